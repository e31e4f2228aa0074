import { describe, expect, it } from 'vitest';
import { levelKey, pairKey } from './chain-scan';

describe('the keys the ordered scan sums under', () => {
  it('one number per product/site and per bin/batch while the ids fit, never the same key for two pairs at the edges', () => {
    expect(pairKey(3, 7)).toBe(3 * 2_097_152 + 7);
    expect(levelKey(0, 0)).toBe(0);
    // Beyond the number's room a string: (1, 2^21) must not land on (2, 0), nor (0, 2^26) on (1, 0).
    expect(pairKey(1, 2_097_152)).toBe('1/2097152');
    expect(pairKey(1, 2_097_152)).not.toBe(pairKey(2, 0));
    expect(levelKey(0, 67_108_864)).toBe('0/67108864');
    expect(levelKey(0, 67_108_864)).not.toBe(levelKey(1, 0));
    expect(pairKey(4_294_967_296, 0)).toBe('4294967296/0');
    expect(levelKey(134_217_728, 0)).toBe('134217728/0');
    // The largest number keys stay exact integers.
    expect(Number.isSafeInteger(pairKey(4_294_967_295, 2_097_151))).toBe(true);
    expect(Number.isSafeInteger(levelKey(134_217_727, 67_108_863))).toBe(true);
  });
});
