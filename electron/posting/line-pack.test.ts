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

  it('keeps a detailed chunk in about a sixth of the first format (48 bytes a line and each description whole)', () => {
    const lines: StoredLine[] = [];
    for (let e = 1000; e < 1100; e++) {
      const d = `Stock Receipt movement ${e} Receipt GRN-${String(e >> 3).padStart(6, '0')}`;
      lines.push(line(e, '1200', 1_250_000, e, d), line(e, '2100', -1_250_000, e, d));
    }
    const pack = packLines(lines);
    expect(unpackLines(pack)).toEqual(lines);
    expect(pack.numbers.length).toBeLessThan(lines.length * 12);
    expect(pack.names.length).toBeLessThan(100 * 12);
  });

  it('gives back the lines of a pack in the first format (six doubles a line), as packs written before the second still are', () => {
    const lines = [line(7, '1200', 9_007_199_254_740_991, 3, 'Receipt “é”'), line(7, '2100', -9_007_199_254_740_991, 3, 'Receipt “é”'), line(8, '5000', 4, null, 'Credit')];
    const n = new Float64Array(lines.flatMap((l) => [l.entryNo, l.entryDate, l.account === '1200' ? 0 : l.account === '2100' ? 1 : 2, l.amount, 0, l.movementSeq ?? 0]));
    const names = JSON.stringify({ a: ['1200', '2100', '5000'], t: ['stock_receipt'], d: ['Receipt “é”', 'Credit'] });
    expect(unpackLines({ numbers: Buffer.from(n.buffer), names })).toEqual(lines);
  });

  it('gives back descriptions that share a part cut inside a character of two UTF-16 units, and entries that go back', () => {
    const lines = [line(5, '1200', 1, 1, 'a😀b'), line(5, '2100', -1, 1, 'a😀b'), line(6, '1200', 2, 2, 'a😁b'), line(3, '1200', -2, null, 'a😁b😀'), line(9, '1200', 0, 2, '')];
    expect(unpackLines(packLines(lines))).toEqual(lines);
  });

  it('refuses a number it could not keep exactly rather than store it, saying which and why', () => {
    expect(() => packLines([line(1, '1200', 0.5, 1, 'x')])).toThrow(/^Journal line of entry 1 \(account 1200\) cannot be packed: its amount 0.5 is not a whole number\. Nothing of its chunk was written/);
    expect(() => packLines([line(1, '1200', 2 ** 53, 1, 'x')])).toThrow(/: its amount 9007199254740992 is beyond ±9,007,199,254,740,991 \(2\^53 − 1\), so it would not be kept exactly\./);
    // each seq a safe integer, but the step from one to the next is not
    const far = [line(1, '1200', 1, -(2 ** 53 - 1), 'x'), line(1, '2100', -1, 2 ** 53 - 1, 'x')];
    expect(() => packLines(far)).toThrow(/: its movement seq 9007199254740991 is further than ±9,007,199,254,740,991 \(2\^53 − 1\) from the line before's \(-9007199254740991\), so the step between them would not be kept exactly\./);
    expect(() => packLines(far)).not.toThrow(/whole number/);
  });
});
