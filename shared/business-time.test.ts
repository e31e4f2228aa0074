import { describe, expect, it } from 'vitest';
import { businessDay } from './company-format';
import { dayStart, endOfDay, fromWallClock, instantOf, upToInstant, localDayNumber, nextDay, startOfDay, zoneOffset } from './business-time';

const iso = (t: number) => new Date(t).toISOString();

describe('business time: local day boundaries in an IANA zone', () => {
  it('starts and ends a summer day in Europe/London at local midnight (BST, UTC+1)', () => {
    expect(iso(startOfDay('2026-07-01', 'Europe/London'))).toBe('2026-06-30T23:00:00.000Z');
    expect(iso(endOfDay('2026-07-01', 'Europe/London'))).toBe('2026-07-01T22:59:59.999Z');
    expect(businessDay(Date.parse('2026-06-30T23:30:00Z'), 'Europe/London')).toBe('2026-07-01');
  });

  it('keeps the day 23 hours long on the spring change and 25 on the autumn change in Europe/London', () => {
    expect(iso(startOfDay('2026-03-29', 'Europe/London'))).toBe('2026-03-29T00:00:00.000Z');
    expect(iso(endOfDay('2026-03-29', 'Europe/London'))).toBe('2026-03-29T22:59:59.999Z');
    expect(endOfDay('2026-03-29', 'Europe/London') + 1 - startOfDay('2026-03-29', 'Europe/London')).toBe(23 * 3_600_000);
    expect(iso(startOfDay('2026-10-25', 'Europe/London'))).toBe('2026-10-24T23:00:00.000Z');
    expect(iso(endOfDay('2026-10-25', 'Europe/London'))).toBe('2026-10-25T23:59:59.999Z');
    expect(endOfDay('2026-10-25', 'Europe/London') + 1 - startOfDay('2026-10-25', 'Europe/London')).toBe(25 * 3_600_000);
  });

  it('handles the America/New_York change days (EST UTC-5, EDT UTC-4)', () => {
    expect(iso(startOfDay('2026-03-08', 'America/New_York'))).toBe('2026-03-08T05:00:00.000Z');
    expect(iso(endOfDay('2026-03-08', 'America/New_York'))).toBe('2026-03-09T03:59:59.999Z');
    expect(iso(startOfDay('2026-11-01', 'America/New_York'))).toBe('2026-11-01T04:00:00.000Z');
    expect(iso(endOfDay('2026-11-01', 'America/New_York'))).toBe('2026-11-02T04:59:59.999Z');
    expect(zoneOffset(Date.parse('2026-03-08T06:59:59Z'), 'America/New_York')).toBe(-5 * 3_600_000);
    expect(zoneOffset(Date.parse('2026-03-08T07:00:00Z'), 'America/New_York')).toBe(-4 * 3_600_000);
  });

  it('gives Intl’s offset at every quarter hour of years with changes, in zones that change by 30 minutes, skip a day or move twice a year', () => {
    const reference = (tz: string) => {
      const f = new Intl.DateTimeFormat('sv-SE', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
      return (t: number) => Date.parse(`${f.format(new Date(t)).replace(' ', 'T')}Z`) - t;
    };
    // Samoa skipped 30 December 2011; Lord Howe moves by 30 minutes; Troll by two hours; Casablanca leaves DST for Ramadan.
    for (const [tz, year] of [['Pacific/Apia', 2011], ['Australia/Lord_Howe', 2026], ['Antarctica/Troll', 2026], ['Africa/Casablanca', 2026]] as const) {
      const intl = reference(tz);
      // Out of order (days taken from both ends of the year), as recorded times come beside effective ones.
      const days = Array.from({ length: 365 }, (_, i) => (i % 2 ? i : 364 - i));
      for (const d of days) {
        for (let q = 0; q < 96; q++) {
          const t = Date.UTC(year, 0, 1) + d * 86_400_000 + q * 900_000 + (q % 7) * 60_000;
          if (zoneOffset(t, tz) !== intl(t)) expect([tz, new Date(t).toISOString(), zoneOffset(t, tz)]).toEqual([tz, new Date(t).toISOString(), intl(t)]);
        }
      }
    }
  });

  it('finds the first instant of a day whose midnight is skipped (America/Santiago spring change at 00:00)', () => {
    const start = startOfDay('2026-09-06', 'America/Santiago');
    expect(businessDay(start, 'America/Santiago')).toBe('2026-09-06');
    expect(businessDay(start - 1, 'America/Santiago')).toBe('2026-09-05');
  });

  it('gives the start of the local day an instant falls on, and a day number constant over the local day', () => {
    const at = Date.parse('2026-07-01T00:30:00+01:00');
    expect(iso(dayStart(at, 'Europe/London'))).toBe('2026-06-30T23:00:00.000Z');
    expect(localDayNumber(startOfDay('2026-10-25', 'Europe/London'), 'Europe/London')).toBe(localDayNumber(endOfDay('2026-10-25', 'Europe/London'), 'Europe/London'));
    expect(localDayNumber(endOfDay('2026-10-25', 'Europe/London') + 1, 'Europe/London')).toBe(localDayNumber(startOfDay('2026-10-25', 'Europe/London'), 'Europe/London') + 1);
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
  });

  it('is plain UTC for UTC', () => {
    expect(iso(startOfDay('2026-07-01', 'UTC'))).toBe('2026-07-01T00:00:00.000Z');
    expect(iso(endOfDay('2026-07-01', 'UTC'))).toBe('2026-07-01T23:59:59.999Z');
  });

  it('reads what a user asked for in the zone: a date is the end of that local day, a wall-clock time is local, an offset is exact', () => {
    expect(iso(instantOf('2026-06-30', 'Europe/London'))).toBe('2026-06-30T22:59:59.999Z');
    expect(iso(instantOf('2026-07-01T00:30', 'Europe/London'))).toBe('2026-06-30T23:30:00.000Z');
    expect(iso(instantOf('2026-07-01T00:30:15.5', 'America/New_York'))).toBe('2026-07-01T04:30:15.500Z');
    expect(iso(instantOf('2026-07-01T00:30:00Z', 'Europe/London'))).toBe('2026-07-01T00:30:00.000Z');
    expect(iso(instantOf('2026-07-01T00:30:00+02:00', 'Europe/London'))).toBe('2026-06-30T22:30:00.000Z');
    // 01:30 on 29 March does not exist in London (clocks go 01:00 → 02:00): it moves forward to 02:30 BST.
    expect(iso(fromWallClock('2026-03-29T01:30', 'Europe/London'))).toBe('2026-03-29T01:30:00.000Z');
  });

  it('posts "up to" to the second: a date is 23:59:59.999 local, a wall-clock second includes all of it', () => {
    expect(iso(upToInstant('2026-07-31', 'Europe/London'))).toBe('2026-07-31T22:59:59.999Z');
    expect(iso(upToInstant('2026-07-31T23:59:59', 'Europe/London'))).toBe('2026-07-31T22:59:59.999Z');
    expect(iso(upToInstant('2026-07-31T18:00', 'America/New_York'))).toBe('2026-07-31T22:00:00.999Z');
    expect(iso(upToInstant('2026-07-31T18:00:00.250', 'UTC'))).toBe('2026-07-31T18:00:00.250Z');
    expect(iso(upToInstant('2026-07-31T18:00:00Z', 'Europe/London'))).toBe('2026-07-31T18:00:00.000Z');
  });
});
