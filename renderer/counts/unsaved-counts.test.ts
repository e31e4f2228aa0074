import { afterEach, describe, expect, it } from 'vitest';
import type { CountLine } from '../../shared/counts';
import { showDatesIn } from '../common/format';
import { completeBlock, countLineName, readCounted, unsavedMessage, type UnsavedCount } from './unsaved-counts';

const line = (over: Partial<CountLine>): CountLine => ({
  id: 1, version: 1, productId: 1, sku: 'RICE', name: 'Arborio rice', unit: 'kg', scale: 3, tracking: 'BULK', binId: 1, binCode: 'A-01', batchId: null, batchCode: null,
  systemQty: 10_000, countedQty: null, movedQty: 0, movedAfterCount: 0, countedAt: null, resolution: 'by_time', adjustedQty: null, unitCost: 20_000, codeCount: 0, flaggedCount: 0, missingCount: 0, foundCount: 0, foundElsewhere: 0, missingSerials: [], foundSerials: [], ...over,
});
const entry = (base: CountLine, text: string, state: UnsavedCount['state'], problem: string | null = null): UnsavedCount => ({ base, text, state, problem });

afterEach(() => showDatesIn({ timeZone: 'Europe/London', locale: 'en-GB' }));

describe('a counted cell read in the company locale', () => {
  it('en-GB: "2,1" is refused with the point spelling (the parser\'s own words), "2.1" is 2.100, empty is blank', () => {
    showDatesIn({ timeZone: 'Europe/London', locale: 'en-GB' });
    expect(readCounted('2,1', 3)).toEqual({ qty: null, problem: '"2,1" uses a comma as decimal separator; use a point, e.g. 2.1' });
    expect(readCounted(' 2.1 ', 3)).toEqual({ qty: 2_100, problem: null });
    expect(readCounted('  ', 3)).toEqual({ qty: null, problem: null });
    expect(readCounted('0', 3)).toEqual({ qty: 0, problem: null });
    expect(readCounted('2.1234', 3).problem).toBe('"2.1234" has more than 3 decimal places: it is counted to 3 decimals, so enter e.g. 2.123 or 2.124');
    expect(readCounted('-2', 3).problem).toBe('"-2" is below zero: enter what is on the shelf (0 or more), or leave it empty for not counted');
    expect(readCounted('two', 0).problem).toBe('"two" is not a number');
  });
  it('de-DE: "2,1" is 2.100 and "2.1" is refused with the comma spelling', () => {
    showDatesIn({ timeZone: 'Europe/Berlin', locale: 'de-DE' });
    expect(readCounted('2,1', 3)).toEqual({ qty: 2_100, problem: null });
    expect(readCounted('2.1', 3).problem).toBe('"2.1" uses a point as decimal separator; use a comma, e.g. 2,1');
  });
});

describe('Complete waits for counted cells the ledger does not have', () => {
  const a = line({ id: 10, sku: 'OIL', name: 'Rapeseed oil', unit: 'l', binCode: 'B-02' });
  const b = line({ id: 11, sku: 'RICE', name: 'Arborio rice', binCode: 'A-01', batchCode: 'L7' });
  const c = line({ id: 12, sku: 'SALT', name: 'Sea salt', binCode: null });
  const lines = [a, b, c];

  it('nothing unsaved: nothing blocks', () => {
    expect(completeBlock(new Map(), lines)).toBeNull();
  });
  it('one unreadable line: named with bin and batch, what was typed, the reason and what to do', () => {
    const u = entry(b, '2,1', 'invalid', '"2,1" uses a comma as decimal separator; use a point, e.g. 2.1');
    const block = completeBlock(new Map([[b.id, u]]), lines);
    expect(block).toEqual({
      kind: 'unsaved',
      count: 1,
      first: u,
      text:
        '1 line holds a counted quantity that is not saved, so the count cannot be completed yet: RICE Arborio rice, bin A-01, batch L7, typed "2,1" — "2,1" uses a comma as decimal separator; use a point, e.g. 2.1. ' +
        'Correct it (or press Escape in the cell to go back to the saved figure), then complete.',
    });
  });
  it('several: counted, and the first in sheet order is named (not the first typed); saving ones do not count as refused', () => {
    const m = new Map([
      [c.id, entry(c, 'x', 'invalid', '"x" is not a number')],
      [a.id, entry(a, '5', 'failed', 'Someone else counted OIL first')],
      [b.id, entry(b, '3', 'saving')],
    ]);
    const block = completeBlock(m, lines);
    expect(block?.kind).toBe('unsaved');
    expect(block?.count).toBe(2);
    expect(block?.kind === 'unsaved' && block.first.base.id).toBe(a.id);
    expect(block?.text).toMatch(/^2 lines hold a counted quantity that is not saved, so the count cannot be completed yet; the first: OIL Rapeseed oil, bin B-02, typed "5" — Someone else counted OIL first\. Correct them/);
  });
  it('only saving: Complete waits for the answer', () => {
    expect(completeBlock(new Map([[a.id, entry(a, '5', 'saving')]]), lines)).toEqual({ kind: 'saving', count: 1, text: 'Saving 1 counted quantity: Complete waits until it is saved.' });
    expect(completeBlock(new Map([[a.id, entry(a, '5', 'saving')], [c.id, entry(c, '1', 'saving')]]), lines)?.text).toBe('Saving 2 counted quantities: Complete waits until they are saved.');
  });
  it('a line no longer on the sheet still blocks (named last in order)', () => {
    const gone = line({ id: 99, sku: 'GONE', name: 'Gone', binCode: null });
    const block = completeBlock(new Map([[gone.id, entry(gone, '1,5', 'invalid', 'bad')]]), lines);
    expect(block?.kind === 'unsaved' && block.first.base.sku).toBe('GONE');
  });
  it('names and cell messages', () => {
    expect(countLineName(c)).toBe('SALT Sea salt');
    expect(unsavedMessage({ state: 'invalid', problem: '"2,1" uses a comma' })).toBe('Not saved: "2,1" uses a comma');
    expect(unsavedMessage({ state: 'failed', problem: null })).toBe('Not saved: the ledger refused it');
    expect(unsavedMessage({ state: 'saving', problem: null })).toBe('Saving…');
  });
});
