import { describe, expect, it } from 'vitest';
import { localClock, zoneOffset } from './local-time';

describe('local wall-clock times for exports', () => {
  it('writes the business time zone’s wall time as "YYYY-MM-DD HH:MM:SS", across both DST changes', () => {
    const london = localClock('Europe/London');
    expect(london.text(Date.UTC(2026, 10, 2, 5, 30, 0, 999))).toBe('2026-11-02 05:30:00'); // GMT
    expect(london.text(Date.UTC(2026, 6, 1, 23, 30))).toBe('2026-07-02 00:30:00'); // BST: a July evening in UTC is the next local day
    expect(london.text(Date.UTC(2026, 2, 29, 0, 59, 59))).toBe('2026-03-29 00:59:59'); // last second of GMT
    expect(london.text(Date.UTC(2026, 2, 29, 1, 0, 0))).toBe('2026-03-29 02:00:00'); // first of BST
    expect(london.text(Date.UTC(2026, 9, 25, 0, 59, 59))).toBe('2026-10-25 01:59:59');
    expect(london.text(Date.UTC(2026, 9, 25, 1, 0, 0))).toBe('2026-10-25 01:00:00');
    expect(localClock('Asia/Kolkata').text(Date.UTC(2026, 0, 1, 18, 45))).toBe('2026-01-02 00:15:00');
    expect(localClock('America/New_York').text(Date.UTC(2026, 0, 1, 3))).toBe('2025-12-31 22:00:00');
    expect(localClock('UTC').text(0)).toBe('1970-01-01 00:00:00');
  });

  it('agrees with Intl for every third hour of a year in zones with half-hour and 45-minute offsets and DST', () => {
    for (const tz of ['Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns']) {
      const c = localClock(tz);
      const intl = new Intl.DateTimeFormat('sv-SE', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 3_600_000 * 3 + 60_007) {
        expect(c.text(t)).toBe(intl.format(new Date(t)));
        expect(c.wall(t) - t).toBe(zoneOffset(t, tz));
      }
    }
  });

  it('gives each instant its own offset when times come out of order, years apart (its quarter-hour slots are shared)', () => {
    const c = localClock('Europe/London');
    const SLOT_SPAN = 16_384 * 15 * 60_000;
    let t = Date.UTC(2020, 0, 1);
    for (let i = 0; i < 3000; i++) {
      // Jumps of whole slot spans land on the same slot with another quarter hour: each must read its own offset.
      t += (i % 3 === 0 ? SLOT_SPAN : -SLOT_SPAN / 2) + ((i * 7_777_777) % 86_400_000);
      expect(c.wall(t) - t).toBe(zoneOffset(t, 'Europe/London'));
    }
  });
});

