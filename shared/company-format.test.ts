import { describe, expect, it } from 'vitest';
import { businessDay, formatDate, formatDateTime, formatJournalMoney, formatMoney, formatQuantityIn, formatUnitMoney, minorUnitsOf } from './company-format';
import { CURRENCIES, currencyByCode } from './currencies';

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('formatMoney', () => {
  it('rounds 1/10000 amounts half away from zero to the currency minor units', () => {
    expect(formatMoney(1234567, 'GBP', 'en-GB')).toBe('£123.46');
    expect(formatMoney(1234549, 'GBP', 'en-GB')).toBe('£123.45');
    expect(formatMoney(50, 'GBP', 'en-GB')).toBe('£0.01');
    expect(formatMoney(-50, 'GBP', 'en-GB')).toBe('-£0.01');
    expect(formatMoney(-49, 'GBP', 'en-GB')).toBe('£0.00');
    expect(formatMoney(0, 'GBP', 'en-GB')).toBe('£0.00');
  });
  it('shows as many decimals as ISO 4217 gives the currency: JPY 0, KWD 3, CLF 4', () => {
    expect(formatMoney(1234567, 'JPY', 'en-GB')).toBe('JP¥123');
    expect(formatMoney(1235000, 'JPY', 'en-GB')).toBe('JP¥124');
    expect(nbsp(formatMoney(1234567, 'KWD', 'en-GB'))).toBe('KWD 123.457');
    expect(nbsp(formatMoney(1234567, 'CLF', 'en-GB'))).toBe('CLF 123.4567');
  });
  it('writes the amount in the locale', () => {
    expect(nbsp(formatMoney(123456789, 'EUR', 'de-DE'))).toBe('12.345,68 €');
    expect(nbsp(formatMoney(123456789, 'EUR', 'fr-FR'))).toBe('12 345,68 €');
    expect(formatMoney(123456789, 'USD', 'en-US')).toBe('$12,345.68');
  });
  it('is exact for the largest safe amounts (no float on the way)', () => {
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'GBP', 'en-GB')).toBe('£900,719,925,474.10');
    expect(() => formatMoney(1.5, 'GBP', 'en-GB')).toThrow('not an integer');
  });
});

describe('formatQuantityIn', () => {
  it('writes the product scale exactly, in the locale', () => {
    expect(formatQuantityIn(12500, 3, 'en-GB')).toBe('12.500');
    expect(formatQuantityIn(1234567, 3, 'de-DE')).toBe('1.234,567');
    expect(formatQuantityIn(-42, 0, 'en-GB')).toBe('-42');
    expect(formatQuantityIn(Number.MAX_SAFE_INTEGER, 0, 'en-GB')).toBe('9,007,199,254,740,991');
  });
});

describe('dates in the business time zone', () => {
  // 2026-06-30 23:30 UTC is already 1 July in London (BST) and still 30 June in New York.
  const at = Date.UTC(2026, 5, 30, 23, 30);
  it('takes the calendar day in the company time zone', () => {
    expect(formatDate(at, { timeZone: 'Europe/London', locale: 'en-GB' })).toBe('01/07/2026');
    expect(formatDate(at, { timeZone: 'America/New_York', locale: 'en-US' })).toBe('06/30/2026');
    expect(businessDay(at, 'Europe/London')).toBe('2026-07-01');
    expect(businessDay(at, 'America/New_York')).toBe('2026-06-30');
    expect(businessDay(at, 'UTC')).toBe('2026-06-30');
  });
  it('writes date and time in the locale, and a dash for no date', () => {
    expect(formatDateTime(at, { timeZone: 'Europe/London', locale: 'en-GB' })).toBe('01/07/2026, 00:30');
    expect(formatDateTime(new Date(at).toISOString(), { timeZone: 'Asia/Tokyo', locale: 'ja-JP' })).toBe('2026/07/01 08:30');
    expect(formatDateTime(null, { timeZone: 'UTC', locale: 'en-GB' })).toBe('—');
    // A time typed to the second (stock at a date): its seconds when they are not :00, the minute alone otherwise.
    const de = { timeZone: 'Europe/Berlin', locale: 'de-DE' };
    expect(formatDateTime(Date.UTC(2026, 11, 6, 5, 10, 30), de, { secondsWhenSet: true })).toBe('06.12.2026, 06:10:30');
    expect(formatDateTime(Date.UTC(2026, 11, 6, 5, 10, 0), de, { secondsWhenSet: true })).toBe('06.12.2026, 06:10');
    expect(formatDateTime(Date.UTC(2026, 11, 6, 5, 10, 30), de)).toBe('06.12.2026, 06:10');
    expect(formatDate('not a date', { timeZone: 'UTC', locale: 'en-GB' })).toBe('—');
  });
});

describe('the ISO 4217 list', () => {
  it('holds each code once, three capitals, with 0 to 4 minor units', () => {
    expect(new Set(CURRENCIES.map((c) => c.code)).size).toBe(CURRENCIES.length);
    for (const c of CURRENCIES) {
      expect(c.code).toMatch(/^[A-Z]{3}$/);
      expect(c.minorUnits).toBeGreaterThanOrEqual(0);
      expect(c.minorUnits).toBeLessThanOrEqual(4);
      expect(() => new Intl.NumberFormat('en', { style: 'currency', currency: c.code })).not.toThrow();
    }
    expect(currencyByCode('GBP')).toEqual({ code: 'GBP', name: 'Pound Sterling', minorUnits: 2 });
    expect(minorUnitsOf('BHD')).toBe(3);
    expect(currencyByCode('gbp')).toBeUndefined();
  });
});

describe('formatJournalMoney', () => {
  it('writes all four stored decimals, never rounded, in the locale', () => {
    expect(formatJournalMoney(12_345, 'GBP', 'en-GB')).toBe('£1.2345');
    expect(formatJournalMoney(-50, 'GBP', 'en-GB')).toBe('-£0.0050');
    expect(formatJournalMoney(Number.MAX_SAFE_INTEGER, 'GBP', 'en-GB')).toBe('£900,719,925,474.0991');
    expect(nbsp(formatJournalMoney(123_456_789, 'EUR', 'de-DE'))).toBe('12.345,6789 €');
    expect(() => formatJournalMoney(1.5)).toThrow('not an integer');
  });
});

describe('formatUnitMoney', () => {
  it('writes a price per unit with the currency\'s minor units and any further stored decimals, so quantity × price adds up', () => {
    // The walks: 120 jars at 1,1775 € are 141,30 €, but "1,18 €" on screen does not multiply out; 10'000 screws at 0.035.
    expect(nbsp(formatUnitMoney(11_775, 'EUR', 'de-DE'))).toBe('1,1775 €');
    expect(nbsp(formatUnitMoney(11_800, 'EUR', 'de-DE'))).toBe('1,18 €');
    expect(nbsp(formatUnitMoney(350, 'CHF', 'de-CH'))).toBe("CHF 0.035");
    expect(formatUnitMoney(20_000, 'GBP', 'en-GB')).toBe('£2.00');
    expect(formatUnitMoney(-50, 'GBP', 'en-GB')).toBe('-£0.005');
    expect(formatUnitMoney(1_175_000, 'JPY', 'ja-JP')).toBe('￥117.5');
    expect(formatUnitMoney(1_170_000, 'JPY', 'ja-JP')).toBe('￥117');
    expect(formatUnitMoney(Number.MAX_SAFE_INTEGER, 'GBP', 'en-GB')).toBe('£900,719,925,474.0991');
    expect(() => formatUnitMoney(1.5)).toThrow('not an integer');
  });
});
