import { describe, expect, it } from 'vitest';
import { packLines, unpackLines } from './line-pack';
import type { StoredLine } from './targets/target-journal-store';

const line = (entryNo: number, account: string, amount: number, movementSeq: number | null, description: string, movementType = 'stock_receipt'): StoredLine => ({
  entryNo,
  entryDate: Date.UTC(2026, 0, 5, 9) + entryNo,
  account,
  amount,
  movementType,
  movementSeq,
  description,
});

describe('a chunk of journal lines packed in one row (migration 0041)', () => {
  it('gives back every line exactly: large amounts, negative amounts, no movement, each entry its own description', () => {
    const lines = [
      line(41, '1200', 9_007_199_254_740_991, 7, 'Stock receipt movement 7 Receipt GRN-1 “é; ½”'),
      line(41, '2100', -9_007_199_254_740_991, 7, 'Stock receipt movement 7 Receipt GRN-1 “é; ½”'),
      line(42, '5000', 1, null, 'Sale value credit 3 Invoice INV-2', 'sales_credit_note'),
      line(42, '1200', -1, null, 'Sale value credit 3 Invoice INV-2', 'sales_credit_note'),
      line(43, '1200', 12_345, 9, ''),
      line(43, '2100', -12_345, 9, ''),
    ];
    expect(unpackLines(packLines(lines))).toEqual(lines);
    expect(unpackLines(packLines([]))).toEqual([]);
  });

  it('reads a pack whose bytes do not start on an 8-byte boundary', () => {
    const lines = [line(1, '1200', 5, 1, 'x'), line(1, '2100', -5, 1, 'x')];
    const pack = packLines(lines);
    const shifted = Buffer.alloc(pack.numbers.length + 1);
    pack.numbers.copy(shifted, 1);
    expect(unpackLines({ numbers: shifted.subarray(1), names: pack.names })).toEqual(lines);
  });

  it('refuses a value that is not a whole number rather than store it', () => {
    expect(() => packLines([line(1, '1200', 0.5, 1, 'x')])).toThrow(/not a whole number/);
    expect(() => packLines([line(1, '1200', 2 ** 53, 1, 'x')])).toThrow(/not a whole number/);
  });
});
