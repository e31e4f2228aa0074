import { describe, expect, it } from 'vitest';
import { fileDateText, parseFileDate } from './file-dates';

const NY = 'America/New_York';
const LONDON = 'Europe/London';

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
});
