import { describe, expect, it } from 'vitest';
import { formatMoney, formatQuantity, movementValue, parseQuantity } from './quantity';

describe('integer quantities and money', () => {
  it('formats and parses quantities at the product scale', () => {
    expect(formatQuantity(12_500, 3)).toBe('12.500');
    expect(formatQuantity(-1_234_567, 0)).toBe('-1,234,567');
    expect(formatQuantity(-5, 3)).toBe('-0.005');
    expect(parseQuantity('12.5', 3)).toBe(12_500);
    expect(parseQuantity('-0.005', 3)).toBe(-5);
    expect(() => parseQuantity('1.2345', 3)).toThrow(/more than 3 decimal places/);
    expect(() => parseQuantity('abc', 0)).toThrow(/not a number/);
  });

  it('formats money held in 1/10000 of the currency and values movements without floats', () => {
    expect(formatMoney(42_500)).toBe('£4.25');
    expect(formatMoney(-123_456_789)).toBe('-£12,345.68');
    expect(movementValue(2_500, 40_000, 3)).toBe(100_000); // 2.5 kg × £4/kg = £10
    expect(movementValue(-3, 33_333, 0)).toBe(-99_999);
    expect(movementValue(1, 5, 1)).toBe(1); // 0.1 × 0.0005 rounds half away from zero
    expect(movementValue(-1, 5, 1)).toBe(-1);
    expect(movementValue(2 ** 40, 2 ** 20, 3)).toBe(Number((2n ** 60n + 500n) / 1000n)); // beyond 2^53: the BigInt path
    // The fast double path agrees with exact BigInt arithmetic.
    for (let i = 0; i < 2000; i++) {
      const qty = Math.round((Math.random() - 0.5) * 2 * 10 ** (1 + (i % 9)));
      const cost = Math.round(Math.random() * 10 ** (1 + (i % 7)));
      const scale = i % 7;
      const raw = BigInt(qty) * BigInt(cost);
      const div = 10n ** BigInt(scale);
      const r = raw % div;
      const want = raw / div + ((r < 0n ? -r : r) * 2n >= div ? (raw < 0n ? -1n : 1n) : 0n);
      expect(movementValue(qty, cost, scale)).toBe(Number(want));
    }
  });
});
