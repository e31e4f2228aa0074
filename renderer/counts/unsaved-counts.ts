import type { CountLine } from '../../shared/counts';
import { plural, readQuantity } from '../common/format';

/**
 * A counted cell holding text the ledger does not have: unreadable (the parser refused it), still saving, or refused by
 * main. The sheet keeps these (a cell scrolled out of the virtual table keeps its text) and Complete is refused while
 * any is left, so a typed figure is never posted as "not counted".
 */
export interface UnsavedCount {
  /** The line as it was when the user started typing: the save is checked against its version. */
  base: CountLine;
  /** What the user typed, as typed. */
  text: string;
  state: 'invalid' | 'saving' | 'failed';
  /** What is wrong and what to do (null while saving). */
  problem: string | null;
}

export type UnsavedCounts = ReadonlyMap<number, UnsavedCount>;

/** A counted cell's text read in the company's locale: empty is blank (not counted); else a quantity of 0 or more, or the parser's own message. */
export function readCounted(text: string, scale: number): { qty: number | null; problem: null } | { qty: null; problem: string } {
  if (text.trim() === '') return { qty: null, problem: null };
  let qty: number;
  try {
    qty = readQuantity(text, scale);
  } catch (e) {
    return { qty: null, problem: e instanceof Error ? e.message : String(e) };
  }
  if (qty < 0) return { qty: null, problem: `"${text.trim()}" is below zero: enter what is on the shelf (0 or more), or leave it empty for not counted` };
  return { qty, problem: null };
}

/** The line as a person finds it on the sheet: "RICE-1 Arborio rice, bin A-01, batch L7". */
export function countLineName(line: Pick<CountLine, 'sku' | 'name' | 'binCode' | 'batchCode'>): string {
  return `${line.sku} ${line.name}${line.binCode ? `, bin ${line.binCode}` : ''}${line.batchCode ? `, batch ${line.batchCode}` : ''}`;
}

/** The cell's visible message: the text is not saved, why, and what to do. */
export function unsavedMessage(u: Pick<UnsavedCount, 'state' | 'problem'>): string {
  if (u.state === 'saving') return 'Saving…';
  return `Not saved: ${u.problem ?? 'the ledger refused it'}`;
}

export type CompleteBlock =
  | { kind: 'saving'; count: number; text: string }
  | { kind: 'unsaved'; count: number; first: UnsavedCount; text: string };

/**
 * Why Complete must wait, or null when every cell's text is in the ledger. Lines that are not saved come first (the
 * first in sheet order is named); lines still saving only make Complete wait for their answer.
 */
export function completeBlock(unsaved: UnsavedCounts, lines: readonly CountLine[]): CompleteBlock | null {
  if (unsaved.size === 0) return null;
  const refused = [...unsaved.values()].filter((u) => u.state !== 'saving');
  if (refused.length === 0) {
    return { kind: 'saving', count: unsaved.size, text: `Saving ${plural(unsaved.size, 'counted quantity', 'counted quantities')}: Complete waits until ${unsaved.size === 1 ? 'it is' : 'they are'} saved.` };
  }
  const order = new Map(lines.map((l, i) => [l.id, i]));
  const at = (u: UnsavedCount) => order.get(u.base.id) ?? Number.MAX_SAFE_INTEGER;
  const first = refused.reduce((a, b) => (at(b) < at(a) ? b : a));
  const n = refused.length;
  const text =
    `${plural(n, 'line holds', 'lines hold')} a counted quantity that is not saved, so the count cannot be completed yet` +
    `${n === 1 ? '' : '; the first'}: ${countLineName(first.base)}, typed "${first.text.trim()}" — ${first.problem ?? 'the ledger refused it'}. ` +
    `Correct ${n === 1 ? 'it' : 'them'} (or press Escape in the cell to go back to the saved figure), then complete.`;
  return { kind: 'unsaved', count: n, first, text };
}
