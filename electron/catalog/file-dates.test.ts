import { describe, expect, it } from 'vitest';
import { fileDateFormats, fileDateText, fileDayFormats, parseFileDate, parseFileDay } from './file-dates';

const NY = 'America/New_York';
const LONDON = 'Europe/London';
const BERLIN = 'Europe/Berlin';

describe("a catalog file's dates are the company's days", () => {
  it('a date is the start of that local day in the business time zone, not midnight UTC', () => {
    expect(parseFileDate('2030-01-01', NY)).toBe(Date.UTC(2030, 0, 1, 5));
    expect(parseFileDate('2026-07-01', LONDON)).toBe(Date.UTC(2026, 5, 30, 23));
    expect(parseFileDate('2030-01-01', 'UTC')).toBe(Date.UTC(2030, 0, 1));
  });

  it('a time without an offset is that wall-clock time there; with Z or an offset, exactly that instant', () => {
    expect(parseFileDate('2026-05-31 17:00', NY)).toBe(Date.UTC(2026, 4, 31, 21));
    expect(parseFileDate('2026-05-31T17:00:30', NY)).toBe(Date.UTC(2026, 4, 31, 21, 0, 30));
    expect(parseFileDate('2026-05-31T17:00:00Z', NY)).toBe(Date.UTC(2026, 4, 31, 17));
    expect(parseFileDate('2026-05-31 17:00+02:00', NY)).toBe(Date.UTC(2026, 4, 31, 15));
  });

  it('refuses what is no date or no such day, never rolling it into another', () => {
    for (const t of ['31/05/2026', '2026-02-30', '2026-13-01', '2026-05-31 25:00', '2026-05-31T17:60Z', 'tomorrow', '2026-5-1']) {
      expect(parseFileDate(t, NY), t).toBeNull();
    }
  });

  it("reads the company's short date in its locale's pattern only: en-GB and en-US never confused", () => {
    expect(parseFileDate('01.12.2026', BERLIN, 'de-DE')).toBe(Date.UTC(2026, 10, 30, 23));
    expect(parseFileDate('1.12.2026', BERLIN, 'de-DE')).toBe(Date.UTC(2026, 10, 30, 23));
    expect(parseFileDate('01/12/2026', LONDON, 'en-GB')).toBe(Date.UTC(2026, 11, 1));
    expect(parseFileDate('01/12/2026', NY, 'en-US')).toBe(Date.UTC(2026, 0, 12, 5));
    expect(parseFileDate('2026/12/01', 'UTC', 'ja-JP')).toBe(Date.UTC(2026, 11, 1));
    // ISO is read whatever the locale.
    expect(parseFileDate('2026-12-01', BERLIN, 'de-DE')).toBe(Date.UTC(2026, 10, 30, 23));
    const refused: [string, string][] = [
      ['31/12/2026', 'en-US'], // no month 31: never read as en-GB instead
      ['12/31/2026', 'en-GB'], // nor the other way round
      ['01/12/2026', 'de-DE'], // another locale's separators
      ['01.12.2026', 'en-GB'],
      ['01.12.26', 'de-DE'], // a two-digit year is no year
      ['31.02.2026', 'de-DE'], // no such day
      ['01.12.2026 14:00', 'de-DE'],
      ['01.12.2026', ''],
    ];
    for (const [t, locale] of refused) expect(parseFileDate(t, BERLIN, locale || undefined), `${t} ${locale}`).toBeNull();
  });

  it('names the formats it reads: ISO with its order, and the company\'s short date where it is not ISO already', () => {
    expect(fileDateFormats(BERLIN, 'de-DE')).toBe(
      "Write it as a date 2026-05-31 (year-month-day; from the start of that day, Europe/Berlin), optionally with a time 2026-05-31T14:00 (that time there), or as 31.05.2026 (the company's dates, de-DE)",
    );
    expect(fileDateFormats(NY, 'en-US')).toContain("or as 05/31/2026 (the company's dates, en-US)");
    expect(fileDateFormats('Europe/Stockholm', 'sv-SE')).not.toContain('or as');
    expect(fileDateFormats(NY)).not.toContain('or as');
  });

  it('writes each instant so that it reads back exactly: a day start as the date, else the wall clock, else UTC', () => {
    const cases: [number, string, string][] = [
      [Date.UTC(2030, 0, 1, 5), NY, '2030-01-01'],
      [Date.UTC(2026, 4, 31, 21), NY, '2026-05-31 17:00'],
      [Date.UTC(2026, 4, 31, 21, 0, 30), NY, '2026-05-31 17:00:30'],
      // 01:30 happens twice in New York on 2026-11-01: the wall clock names the first (EDT); the second (EST) is written in UTC.
      [Date.UTC(2026, 10, 1, 5, 30), NY, '2026-11-01 01:30'],
      [Date.UTC(2026, 10, 1, 6, 30), NY, '2026-11-01T06:30:00Z'],
      [Date.UTC(2026, 4, 31, 21, 0, 0, 5), NY, '2026-05-31T21:00:00.005Z'],
    ];
    for (const [at, zone, text] of cases) {
      expect(fileDateText(at, zone)).toBe(text);
      expect(parseFileDate(text, zone)).toBe(at);
    }
  });

  it("reads a day cell (a batch's expiry) as ISO or the company's short date only, and names both forms", () => {
    expect(parseFileDay('2031-05-31')).toBe('2031-05-31');
    expect(parseFileDay('31.05.2031', 'de-DE')).toBe('2031-05-31');
    expect(parseFileDay(' 1.5.2031 ', 'de-DE')).toBe('2031-05-01');
    expect(parseFileDay('01/12/2031', 'en-GB')).toBe('2031-12-01');
    expect(parseFileDay('01/12/2031', 'en-US')).toBe('2031-01-12');
    for (const [t, locale] of [['31.05.2031', undefined], ['31/12/2031', 'en-US'], ['12/31/2031', 'en-GB'], ['31.02.2031', 'de-DE'], ['2031-02-30', 'de-DE'], ['2031-05-31 14:00', 'de-DE']] as const) {
      expect(parseFileDay(t, locale), `${t} ${locale}`).toBeNull();
    }
    expect(fileDayFormats('de-DE')).toBe("Write it as 2026-05-31 (year-month-day), or as 31.05.2026 (the company's dates, de-DE)");
    expect(fileDayFormats()).toBe('Write it as 2026-05-31 (year-month-day)');
  });
});
