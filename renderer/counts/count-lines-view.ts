import { appliedResolution, countVariance, effectiveAdjustment, hasVariance, type CountLine } from '../../shared/counts';
import { formatMoney, formatQuantity } from '../common/format';
import { movementValue } from '../../shared/quantity';

export type CountFilter = 'all' | 'not_counted' | 'variance' | 'large' | 'moved';

/** 100 of the company currency in money units (1/10000 of the currency). */
const LARGE_VALUE = 100 * 10_000;

/** The count sheet's filters, "large" in the company's currency. */
export const filterOptions = (): { value: CountFilter; label: string }[] => [
  { value: 'all', label: 'All lines' },
  { value: 'not_counted', label: 'Not counted' },
  { value: 'variance', label: 'Variance ≠ 0' },
  { value: 'large', label: `Large variance (≥20% or ≥${formatMoney(LARGE_VALUE)})` },
  { value: 'moved', label: 'Moved since snapshot' },
];

/** The adjustment a line would post (null while blank), and its value at the latest cost. */
export function lineImpact(l: CountLine): { adjust: number | null; value: number } {
  const adjust = l.adjustedQty ?? effectiveAdjustment(l);
  return { adjust, value: adjust === null ? 0 : movementValue(adjust, l.unitCost, l.scale) };
}

export function isLargeVariance(l: CountLine): boolean {
  // serial units swapped: every unit missing or found is a whole unit of the line, however the count nets out
  if (l.missingCount > 0 || l.foundCount > 0) return true;
  const v = countVariance(l);
  if (v === null || v === 0) return false;
  if (l.systemQty === 0 || Math.abs(v) * 5 >= Math.abs(l.systemQty)) return true;
  return Math.abs(movementValue(v, l.unitCost, l.scale)) >= LARGE_VALUE;
}

export function filterLines(lines: CountLine[], filter: CountFilter, search: string): CountLine[] {
  const q = search.trim().toLowerCase();
  return lines.filter((l) => {
    if (q && !`${l.sku} ${l.name} ${l.binCode ?? ''} ${l.batchCode ?? ''}`.toLowerCase().includes(q)) return false;
    switch (filter) {
      case 'not_counted':
        return l.countedQty === null;
      case 'variance':
        return hasVariance(l);
      case 'large':
        return isLargeVariance(l);
      case 'moved':
        return l.movedQty !== 0;
      default:
        return true;
    }
  });
}

export interface CountTotals {
  lines: number;
  counted: number;
  withVariance: number;
  /** Of withVariance, serial lines whose units differ: missing, found (a swap nets to 0). */
  serialSwaps: number;
  gain: number;
  loss: number;
}

/** Value impact at cost of what completion would post (or did post). */
export function countTotals(lines: CountLine[]): CountTotals {
  const t: CountTotals = { lines: lines.length, counted: 0, withVariance: 0, serialSwaps: 0, gain: 0, loss: 0 };
  for (const l of lines) {
    if (l.countedQty === null) continue;
    t.counted++;
    const { adjust, value } = lineImpact(l);
    const swapped = l.missingCount > 0 || l.foundCount > 0;
    if (adjust || swapped) t.withVariance++;
    if (swapped) t.serialSwaps++;
    if (value > 0) t.gain += value;
    else t.loss += value;
  }
  return t;
}

/**
 * A serial line's units beside its net variance, which a swap hides: "−1 missing, +1 found (1 recorded elsewhere)";
 * null when no unit is missing or found.
 */
export function serialUnitsNote(l: Pick<CountLine, 'missingCount' | 'foundCount' | 'foundElsewhere'>): { short: string; title: string } | null {
  if (l.missingCount === 0 && l.foundCount === 0) return null;
  const parts = [l.missingCount ? `−${l.missingCount}` : '', l.foundCount ? `+${l.foundCount}` : ''].filter(Boolean);
  const elsewhere = l.foundElsewhere
    ? ` (${l.foundElsewhere === 1 ? '1 recorded' : `${l.foundElsewhere} recorded`} in stock at another bin or site: completion moves ${l.foundElsewhere === 1 ? 'it' : 'them'} here)`
    : '';
  const title =
    `${l.missingCount} missing (in stock here, not scanned: completion takes ${l.missingCount === 1 ? 'it' : 'them'} out), ` +
    `${l.foundCount} found (scanned, not recorded here${elsewhere})`;
  return { short: parts.join(' '), title: `${title}. Open the codes to see which.` };
}

/**
 * The Adjustment column: what completion posts for the line. A serial line whose units differ posts each missing unit
 * out and each found unit in ("−1 +1"), however it nets out; any other line its net adjustment; '—' while blank.
 */
export function adjustmentText(l: CountLine): string {
  const { adjust } = lineImpact(l);
  if (adjust === null) return '—';
  return serialUnitsNote(l)?.short ?? signed(adjust, l.scale);
}

/** A counted serial line's units for the export and print: how many missing and found, and which; null on other lines. */
export function serialUnitsCells(l: CountLine): { missing: number; found: number; missingSerials: string; foundSerials: string } | null {
  if ((l.tracking !== 'SERIAL' && l.tracking !== 'RFID') || l.countedQty === null) return null;
  return { missing: l.missingCount, found: l.foundCount, missingSerials: l.missingSerials.join(' '), foundSerials: l.foundSerials.join(' ') };
}

const signed = (n: number, scale: number) => `${n > 0 ? '+' : ''}${formatQuantity(n, scale)}`;
const RULE = { keep_counted: 'keep counted', keep_difference: 'keep difference', split: 'split' } as const;
/** What "By time" does, in the If moved choice's width ("By time: keep co…" at 1366 px); the title says it in full. */
const BY_TIME = { keep_counted: 'counted', keep_difference: 'difference', split: 'split' } as const;

/**
 * How a line's moved stock is resolved on completion, and why, for the sheet: `moved` says when it moved against the
 * line's count (short, for the sheet), `byTime` what the default "By time" does (the which), `title` the why in full. By time, stock moved before the line
 * was counted was already on the shelf (keep counted) and stock moved after it was not (keep difference); the lines of
 * a back-dated count (`backdated`, see CountSessionInfo) were counted on the count date, however late they were typed in.
 * null when nothing moved.
 */
export function resolutionNote(l: CountLine, backdated = false): { moved: string; byTime: string; title: string } | null {
  const a = appliedResolution(l);
  if (!a) {
    return l.movedQty !== 0
      ? { moved: signed(l.movedQty, l.scale), byTime: 'By time', title: 'Count the line to see how the stock moved since the snapshot is resolved.' }
      : null;
  }
  const before = signed(a.movedBefore, l.scale);
  const after = signed(a.movedAfter, l.scale);
  const counted = backdated ? 'the count date' : 'the line was counted';
  const byTimeRule = a.movedBefore === 0 ? 'keep_difference' : a.movedAfter === 0 ? 'keep_counted' : 'split';
  // Short enough for the sheet's columns at 1366 px ("-2.000 before counting" was cut to "-2 before c…"); the title
  // (the why) says before or after what.
  const moved = a.movedBefore === 0 ? `${after} after` : a.movedAfter === 0 ? `${before} before` : `${before} / ${after}`;
  const why =
    byTimeRule === 'keep_difference'
      ? `Moved after ${counted} (${after}): by time it is applied on top of the counted quantity (keep difference).`
      : byTimeRule === 'keep_counted'
        ? `Moved before ${counted} (${before}): by time the counted quantity already reflects it (keep counted).`
        : `Moved before ${counted} (${before}) is already in the counted quantity; moved after it (${after}) is applied on top of it.`;
  const dated = backdated ? ' This count is dated before it was entered: its lines count as counted on that date.' : '';
  const chosen = a.chosen ? ` You chose ${RULE[a.rule]} for all of it instead.` : '';
  return { moved, byTime: `By time: ${BY_TIME[byTimeRule]}`, title: why + dated + chosen };
}
