import { describe, expect, it } from 'vitest';
import { dateOrder, firstDayOfWeek, formatWallText, parseWallText, readTypedText, typingHint, wallParts, wallValue } from './date-text';

const p = (v: string) => wallParts(v)!;

describe('a date-time field reads and writes dates in the company locale', () => {
  it('writes the value as the grids do, in the locale', () => {
    expect(formatWallText(p('2026-12-01T17:05'), 'datetime', 'en-GB')).toBe('01/12/2026, 17:05');
    expect(formatWallText(p('2026-12-01T17:05'), 'datetime', 'en-US')).toBe('12/01/2026, 05:05 PM');
    expect(formatWallText(p('2026-12-01T17:05'), 'datetime', 'de-DE')).toBe('01.12.2026, 17:05');
    expect(formatWallText(p('2026-12-01T17:05:09'), 'datetime', 'en-GB', true)).toBe('01/12/2026, 17:05:09');
    expect(formatWallText(p('2027-04-12'), 'date', 'en-GB')).toBe('12/04/2027');
    expect(typingHint('en-GB', 'datetime')).toBe('dd/mm/yyyy hh:mm');
    expect(typingHint('en-US', 'date')).toBe('mm/dd/yyyy');
    expect(typingHint('de-DE', 'date')).toBe('dd.mm.yyyy');
  });

  it('reads back what it writes, in every order', () => {
    for (const locale of ['en-GB', 'en-US', 'de-DE', 'ja-JP', 'fr-FR']) {
      for (const v of ['2026-12-01T17:05', '2027-01-31T00:00', '2026-02-28T12:30']) {
        const text = formatWallText(p(v), 'datetime', locale);
        expect(wallValue(parseWallText(text, 'datetime', locale)!, 'datetime'), `${locale} ${text}`).toBe(v);
      }
      const day = formatWallText(p('2027-04-12'), 'date', locale);
      expect(wallValue(parseWallText(day, 'date', locale)!, 'date')).toBe('2027-04-12');
    }
  });

  it('takes what people type: the locale order with any separator, short years, no year, am/pm, ISO', () => {
    const read = (text: string, locale = 'en-GB', mode: 'date' | 'datetime' = 'datetime') => {
      const r = parseWallText(text, mode, locale, { today: { year: 2026 }, fallbackTime: { hour: 9, minute: 30, second: 0 } });
      return r && wallValue(r, mode);
    };
    expect(read('1/12/2026 17:05')).toBe('2026-12-01T17:05');
    expect(read('1-12-26 5:05')).toBe('2026-12-01T05:05');
    expect(read('1.12 17:05')).toBe('2026-12-01T17:05');
    expect(read('1/12/2026')).toBe('2026-12-01T09:30');
    expect(read('12/1/2026 5:05 pm', 'en-US')).toBe('2026-12-01T17:05');
    expect(read('12/1/2026 12:15 am', 'en-US')).toBe('2026-12-01T00:15');
    expect(read('12/1/2026 5pm', 'en-US')).toBe('2026-12-01T17:00');
    expect(read('2026-12-01T17:05')).toBe('2026-12-01T17:05');
    expect(read('2028-01-31', 'en-US', 'date')).toBe('2028-01-31');
    expect(read('31/1/28', 'en-GB', 'date')).toBe('2028-01-31');
  });

  it('refuses what is not a date: impossible days, months, hours and loose text', () => {
    const read = (text: string, mode: 'date' | 'datetime' = 'datetime') => parseWallText(text, mode, 'en-GB');
    expect(read('31/02/2026 10:00')).toBeNull();
    expect(read('01/13/2026 10:00')).toBeNull();
    expect(read('01/12/2026 24:00')).toBeNull();
    expect(read('01/12/2026 17')).toBeNull();
    expect(read('01/12/2026 13:00 pm')).toBeNull();
    expect(read('tomorrow')).toBeNull();
    expect(read('')).toBeNull();
    expect(read('01/12/2026 10:00', 'date')).toBeNull();
    expect(wallParts('2026-02-30')).toBeNull();
  });

  it('knows the order and the first day of the week of a locale', () => {
    expect(dateOrder('en-GB')).toEqual(['day', 'month', 'year']);
    expect(dateOrder('en-US')).toEqual(['month', 'day', 'year']);
    expect(dateOrder('ja-JP')).toEqual(['year', 'month', 'day']);
    expect(firstDayOfWeek('en-GB')).toBe(1);
    expect(firstDayOfWeek('en-US')).toBe(0);
    expect(firstDayOfWeek('de-DE')).toBe(1);
  });

  it('reads each keystroke: a date is the value at once; unreadable or out-of-range text is invalid and the value from before the typing stands', () => {
    const field = { mode: 'datetime' as const, locale: 'en-US', seconds: true, before: '2026-12-03T23:59:59' };
    expect(readTypedText('2026-12-03T10:15:07', field)).toEqual({ value: '2026-12-03T10:15:07', invalid: false });
    expect(readTypedText('12/03/2026 10:15:07 am', field)).toEqual({ value: '2026-12-03T10:15:07', invalid: false });
    // A date without a time keeps the time from before the typing.
    expect(readTypedText('12/04/2026', field)).toEqual({ value: '2026-12-04T23:59:59', invalid: false });
    // Half-typed or unreadable: never a value of its own, never silently the old one either — it is marked invalid.
    expect(readTypedText('12/03/2026 10:1', field)).toEqual({ value: '2026-12-03T23:59:59', invalid: true });
    expect(readTypedText('nonsense', field)).toEqual({ value: '2026-12-03T23:59:59', invalid: true });
    expect(readTypedText('', field)).toEqual({ value: '', invalid: false });
    const bounded = { mode: 'date' as const, locale: 'en-GB', before: '2026-12-01', min: '2026-11-01', max: '2026-12-03' };
    expect(readTypedText('03/12/2026', bounded)).toEqual({ value: '2026-12-03', invalid: false });
    expect(readTypedText('04/12/2026', bounded)).toEqual({ value: '2026-12-01', invalid: true });
    expect(readTypedText('31/10/2026', bounded)).toEqual({ value: '2026-12-01', invalid: true });
  });
});
