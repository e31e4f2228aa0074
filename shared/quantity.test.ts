import { describe, expect, it } from 'vitest';
import { formatMoney, formatQuantity, movementValue, numberSeparators, parseMoney, parseQuantity } from './quantity';

describe('integer quantities and money', () => {
  it('formats and parses quantities at the product scale', () => {
    expect(formatQuantity(12_500, 3)).toBe('12.500');
    expect(formatQuantity(-1_234_567, 0)).toBe('-1,234,567');
    expect(formatQuantity(-5, 3)).toBe('-0.005');
    expect(parseQuantity('12.5', 3, 'en-GB')).toBe(12_500);
    expect(parseQuantity('-0.005', 3, 'en-GB')).toBe(-5);
    expect(() => parseQuantity('1.2345', 3, 'en-GB')).toThrow(/more than 3 decimal places/);
    expect(() => parseQuantity('abc', 0, 'en-GB')).toThrow(/not a number/);
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

  it('reads numbers by the locale in force: the other decimal separator, thousands separators and excess decimals are refused, never reinterpreted', () => {
    expect(numberSeparators('en-GB')).toEqual({ decimal: '.', group: ',' });
    expect(numberSeparators('de-DE')).toEqual({ decimal: ',', group: '.' });
    // A unit cost typed "2,10": £2.10 in Germany, refused in Britain (it used to become £210.00).
    expect(parseMoney('2,10', 'de-DE')).toBe(21_000);
    expect(() => parseMoney('2,10', 'en-GB')).toThrow('"2,10" uses a comma as decimal separator; use a point, e.g. 2.10');
    expect(() => parseMoney('£2,10', 'en-GB')).toThrow(/use a point, e\.g\. 2\.10/);
    expect(() => parseQuantity('2.10', 4, 'de-DE')).toThrow('"2.10" uses a point as decimal separator; use a comma, e.g. 2,10');
    expect(parseMoney('£2.10', 'en-GB')).toBe(21_000);
    expect(parseMoney('-€2,10', 'de-DE')).toBe(-21_000);
    // Grouped numbers are ambiguous: refused with the plain spelling.
    expect(() => parseQuantity('1,234', 3, 'en-GB')).toThrow('"1,234" has a thousands separator (a comma), so it is ambiguous (1234 or 1.234?); write it without one, e.g. 1234, with a point as decimal separator');
    expect(() => parseQuantity('1.234', 3, 'de-DE')).toThrow(/"1\.234" has a thousands separator \(a point\), so it is ambiguous \(1234 or 1,234\?\)/);
    expect(() => parseQuantity('1\u202f234', 0, 'de-DE')).toThrow(/thousands separator \(a space\), so it is ambiguous; write it without one, e\.g\. 1234,/);
    expect(() => parseQuantity("1'234", 1, 'de-DE')).toThrow(/thousands separator \(an apostrophe\)/);
    // The locale's own thousands separator alone, where no decimal reading fits, reads as the screen writes it.
    expect(parseQuantity('3.600', 0, 'de-DE')).toBe(3_600); // 3600 eggs, as the screen writes them: 3,6 eggs cannot be
    expect(parseQuantity('-1.500', 2, 'de-DE')).toBe(-150_000);
    expect(parseQuantity('3,600', 0, 'en-GB')).toBe(3_600);
    expect(parseQuantity('1.234.567', 3, 'de-DE')).toBe(1_234_567_000); // two groups: never a decimal
    expect(parseQuantity('1\u202f234', 0, 'fr-FR')).toBe(1_234);
    expect(parseQuantity('1 234', 3, 'fr-FR')).toBe(1_234_000); // a space is never a decimal separator
    expect(parseQuantity("1'234", 1, 'de-CH')).toBe(12_340);
    expect(() => parseQuantity('3.600', 3, 'de-DE')).toThrow(/ambiguous \(3600 or 3,600\?\)/); // 3,6 kg or 3600 kg
    expect(() => parseQuantity('3,600', 0, 'de-DE')).toThrow(/must be a whole number/); // a decimal comma, not a group
    expect(() => parseQuantity('1 234.5', 1, 'de-CH')).toThrow(/thousands separator \(a space\)/);
    expect(parseQuantity("1'234.5", 1, 'de-CH')).toBe(12_345);
    // The locale's own grouping with a decimal comma (a German habit in a Swiss company): the comma is what is wrong, not
    // the apostrophe (the Swiss walk read "has a thousands separator (an apostrophe), so it is ambiguous").
    expect(() => parseQuantity("1'234,5", 1, 'de-CH')).toThrow(`"1'234,5" uses a comma as decimal separator; use a point, e.g. 1'234.5`);
    expect(() => parseQuantity('1,234.5', 1, 'de-DE')).toThrow(/thousands separator \(a comma\)/); // not the locale's own grouping: as before
    expect(() => parseQuantity('1.234,5', 1, 'en-GB')).toThrow(/thousands separator \(a point\)/);
    // The locale's own decimal separator reads exactly; too many decimals are refused, not rounded.
    expect(parseQuantity('1.234', 3, 'en-GB')).toBe(1_234);
    expect(parseQuantity('1,5', 3, 'de-DE')).toBe(1_500);
    expect(parseQuantity('-5', 0, 'en-GB')).toBe(-5);
    expect(parseQuantity('\u22121,5', 1, 'sv-SE')).toBe(-15);
    // As the screen writes it: the locale's own thousands separator followed by its decimal separator reads one way only.
    expect(parseQuantity('1.234,5', 3, 'de-DE')).toBe(1_234_500);
    expect(parseMoney('-€1.234,56', 'de-DE')).toBe(-12_345_600);
    expect(parseQuantity('1,234,567.5', 1, 'en-GB')).toBe(12_345_675);
    expect(() => parseQuantity('1.234,5678', 3, 'de-DE')).toThrow(/^"1\.234,5678" has more than 3 decimal places: it is counted to 3 decimals, so enter e\.g\. 1234,567 or 1234,568$/);
    expect(() => parseQuantity('1.234.5', 1, 'de-DE')).toThrow(/not a number/);
    expect(() => parseQuantity('1,234.5', 1, 'de-DE')).toThrow(/thousands separator \(a comma\), so it is ambiguous; write it without one, e\.g\. 1234,5,/);
    expect(() => parseQuantity('1.234,50', 2, 'en-GB')).toThrow(/thousands separator \(a point\), so it is ambiguous; write it without one, e\.g\. 1234\.50,/);
    expect(() => parseQuantity('1,2345', 3, 'de-DE')).toThrow(/more than 3 decimal places/);
    expect(() => parseMoney('0.00001', 'en-GB')).toThrow(/more than 4 decimal places/);
    expect(() => parseQuantity('1.5', 0, 'en-GB')).toThrow('"1.5" must be a whole number');
  });

  it('a refused number of decimals says how this is counted and the nearest numbers it can be', () => {
    expect(() => parseQuantity('2.5', 0, 'en-GB')).toThrow(/^"2\.5" must be a whole number: it is counted in whole units \(0 decimals\), so enter e\.g\. 2 or 3$/);
    expect(() => parseQuantity('-0.25', 0, 'en-GB')).toThrow(/, so enter e\.g\. 0 or -1$/);
    expect(() => parseQuantity('1.2345', 3, 'en-GB')).toThrow(/^"1\.2345" has more than 3 decimal places: it is counted to 3 decimals, so enter e\.g\. 1\.234 or 1\.235$/);
    expect(() => parseQuantity('0,0019', 2, 'de-DE')).toThrow(/so enter e\.g\. 0,00 or 0,01$/);
    expect(() => parseMoney('0.00001', 'en-GB')).toThrow(/it is counted to 4 decimals, so enter e\.g\. 0\.0000 or 0\.0001$/);
    expect(() => parseQuantity('5.', 1, 'en-GB')).toThrow(/not a number/);
  });
});
