import { describe, expect, it } from 'vitest';
import type { LedgerChange } from './contract/events';
import { touchesCount, touchesRecords, touchesStock } from './ledger-change';

const change = (c: Partial<LedgerChange>): LedgerChange => ({ products: [], sites: [], documents: [], counts: [], reasons: [], ...c });

describe('what a ledger change touches', () => {
  it('a posted document touches stock, not the record lists', () => {
    const posted = change({ products: [3], sites: [1], documents: [9], reasons: ['receipt'] });
    expect(touchesStock(posted)).toBe(true);
    expect(touchesRecords(posted)).toBe(false);
    expect(touchesCount(posted, 4)).toBe(true);
  });
  it('master data (no list of products) touches everything', () => {
    const data = change({ products: null, sites: null, reasons: ['product'] });
    expect(touchesStock(data)).toBe(true);
    expect(touchesRecords(data)).toBe(true);
  });
  it('a count line edit touches only its own count sheet', () => {
    const line = change({ counts: [4], reasons: ['count-line'] });
    expect(touchesStock(line)).toBe(false);
    expect(touchesRecords(line)).toBe(false);
    expect(touchesCount(line, 4)).toBe(true);
    expect(touchesCount(line, 5)).toBe(false);
  });
});
