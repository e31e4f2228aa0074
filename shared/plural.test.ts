import { describe, expect, it } from 'vitest';
import { count, plural } from './plural';

describe('plural', () => {
  it('says "1 row", never "1 rows"; every other count takes the plural, grouped in thousands', () => {
    expect(plural(1, 'row')).toBe('1 row');
    expect(plural(0, 'row')).toBe('0 rows');
    expect(plural(2, 'movement')).toBe('2 movements');
    expect(plural(12_345, 'line')).toBe('12,345 lines');
    expect(plural(1, 'entry', 'entries')).toBe('1 entry');
    expect(plural(3, 'entry', 'entries')).toBe('3 entries');
  });

  it("groups thousands as the company's locale writes numbers when one is given", () => {
    expect(plural(12_345, 'row', undefined, 'de-DE')).toBe('12.345 rows');
    expect(count(1_234_567, 'de-DE')).toBe('1.234.567');
    expect(count(1_234, 'en-GB')).toBe('1,234');
  });
});
