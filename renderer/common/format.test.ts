import { afterEach, describe, expect, it } from 'vitest';
import { formatMs, isoDay } from '../enquiry/enquiry-format';
import { dayEndMs, dayStartMs, formatClockTime, formatDateTime, readQuantity, showDatesIn } from './format';

afterEach(() => showDatesIn({ timeZone: 'UTC', locale: 'en-GB' }));

describe('dates in the renderer follow the company time zone and locale, not the browser', () => {
  it('writes date-times in the company zone and locale', () => {
    showDatesIn({ timeZone: 'Europe/London', locale: 'en-GB' });
    expect(formatDateTime('2026-06-30T23:30:00Z')).toBe('01/07/2026, 00:30');
    expect(formatMs(Date.parse('2026-06-30T23:30:00Z'))).toBe('01/07/2026, 00:30');
    expect(formatClockTime(new Date('2026-06-30T23:30:05Z'))).toBe('00:30:05');
    showDatesIn({ timeZone: 'America/New_York', locale: 'en-US' });
    expect(formatDateTime('2026-06-30T23:30:00Z')).toBe('06/30/2026, 07:30 PM');
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('not a date')).toBe('—');
  });

  it('takes filter days in the company zone: a day runs from its local midnight to 23:59:59.999', () => {
    showDatesIn({ timeZone: 'Europe/London', locale: 'en-GB' });
    expect(new Date(dayStartMs('2026-07-01')).toISOString()).toBe('2026-06-30T23:00:00.000Z');
    expect(new Date(dayEndMs('2026-07-01')).toISOString()).toBe('2026-07-01T22:59:59.999Z');
    expect(isoDay(Date.parse('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
  });
});

describe('readQuantity', () => {
  it('refuses a quantity beyond what a line holds with the limit, and says when it is a barcode typed (the Swiss walk: 7612345999990 pieces)', () => {
    showDatesIn({ timeZone: 'Europe/Zurich', locale: 'de-CH' });
    expect(readQuantity("1'000'000'000'000", 0)).toBe(1e12);
    const group = "['’]"; // ICU writes de-CH's apostrophe as ' or ’ by version
    expect(() => readQuantity('7612345999999', 0)).toThrow(
      new RegExp(`^"7612345999999" is more than a line can hold \\(at most 1${group}000${group}000${group}000${group}000\\); it reads as a barcode: scan or type it into the product field, and the quantity here$`),
    );
    expect(() => readQuantity('7612345999990', 0)).toThrow(/^"7612345999990" is more than a line can hold \(at most [^)]+\)$/); // check digit wrong: not a barcode
    expect(() => readQuantity('-2000000000', 3)).toThrow(new RegExp(`at most 1${group}000${group}000${group}000\\.000\\)$`));
  });
});
