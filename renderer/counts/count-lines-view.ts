import { appliedResolution, countVariance, effectiveAdjustment, type CountLine } from '../../shared/counts';
import { formatQuantity, movementValue } from '../../shared/quantity';

export type CountFilter = 'all' | 'not_counted' | 'variance' | 'large' | 'moved';

export const FILTER_OPTIONS: { value: CountFilter; label: string }[] = [
  { value: 'all', label: 'All lines' },
  { value: 'not_counted', label: 'Not counted' },
  { value: 'variance', label: 'Variance ≠ 0' },
  { value: 'large', label: 'Large variance (≥20% or ≥£100)' },
  { value: 'moved', label: 'Moved since snapshot' },
];

/** £100 in money units (1/10000 of a pound). */
const LARGE_VALUE = 100 * 10_000;

/** The adjustment a line would post (null while blank), and its value at the latest cost. */
export function lineImpact(l: CountLine): { adjust: number | null; value: number } {
  const adjust = l.adjustedQty ?? effectiveAdjustment(l);
  return { adjust, value: adjust === null ? 0 : movementValue(adjust, l.unitCost, l.scale) };
}

export function isLargeVariance(l: CountLine): boolean {
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
        return (countVariance(l) ?? 0) !== 0;
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
  gain: number;
  loss: number;
}

/** Value impact at cost of what completion would post (or did post). */
export function countTotals(lines: CountLine[]): CountTotals {
  const t: CountTotals = { lines: lines.length, counted: 0, withVariance: 0, gain: 0, loss: 0 };
  for (const l of lines) {
    if (l.countedQty === null) continue;
    t.counted++;
    const { adjust, value } = lineImpact(l);
    if (adjust) t.withVariance++;
    if (value > 0) t.gain += value;
    else t.loss += value;
  }
  return t;
}

const signed = (n: number, scale: number) => `${n > 0 ? '+' : ''}${formatQuantity(n, scale)}`;
const RULE = { keep_counted: 'keep counted', keep_difference: 'keep difference' } as const;

/**
 * Which rule a line's moved stock follows on completion, and why: by time, stock moved before the line was counted
 * was already on the shelf (keep counted) and stock moved after it was not (keep difference). null when nothing moved.
 */
export function resolutionNote(l: CountLine): { text: string; title: string } | null {
  const a = appliedResolution(l);
  if (!a) return l.countedQty === null && l.movedQty !== 0 ? { text: 'not counted yet', title: 'Count the line to see how its moved stock is resolved.' } : null;
  const before = signed(a.movedBefore, l.scale);
  const after = signed(a.movedAfter, l.scale);
  if (a.chosen) {
    return {
      text: `chosen: ${RULE[a.rule as keyof typeof RULE]}`,
      title: `You chose ${RULE[a.rule as keyof typeof RULE]} for everything moved since the snapshot (moved before counting ${before}, after counting ${after}). Choose "By time" to resolve each movement by when it happened.`,
    };
  }
  if (a.rule === 'keep_counted') {
    return { text: `moved before counting: ${before} → keep counted`, title: 'These movements happened before the line was counted, so the counted quantity already reflects them.' };
  }
  if (a.rule === 'keep_difference') {
    return { text: `moved after counting: ${after} → keep difference`, title: 'These movements happened after the line was counted, so they are applied on top of the counted quantity.' };
  }
  return {
    text: `before counting ${before} → counted; after ${after} → difference`,
    title: `Moved before the line was counted (${before}) is already in the counted quantity; moved after it (${after}) is applied on top of it.`,
  };
}
