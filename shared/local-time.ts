/**
 * Local wall-clock times in the business time zone for files accountants open (CSV and XLSX exports), fast enough for
 * a million rows: the zone's offset comes from business-time's quarter-hour cache (every time zone changes its offset on
 * a quarter hour) and the text is built from tables, not from a Date per row.
 */
import { zoneOffset } from './business-time';

const DAY = 86_400_000;
/** business-time caches one offset per quarter hour of UTC (every zone changes offset on one). */
const BUCKET = 15 * 60_000;
/** Quarter hours whose offsets a clock keeps at hand (a power of two): 170 days of them. */
const SLOTS = 16_384;
const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/** Milliseconds the zone's wall clock is ahead of UTC at an instant: the one cached, quarter-hour lookup of business-time. */
export { zoneOffset };

/**
 * For one time zone: `wall(ms)` is the instant shifted so its UTC fields read the local wall time (what an XLSX date
 * cell holds: a spreadsheet date has no zone), and `text(ms)` is that wall time as "2026-11-02 05:30:00" — the form
 * spreadsheets read as a date-time (no ISO "T", no "Z").
 */
export function localClock(timeZone: string): { timeZone: string; wall: (ms: number) => number; text: (ms: number) => string; wallText: (wall: number) => string } {
  const days = new Map<number, string>();
  // Rows come in time order, so the last quarter hour's offset and the last minute's text usually hold for the next one.
  let bucket = NaN;
  let offset = 0;
  let minute = NaN;
  let minuteText = '';
  // Offsets of recent quarter hours, a slot per bucket modulo SLOTS (the bucket kept beside its offset, so a slot holding
  // another bucket is a miss): times out of order (recorded times in effective order) find theirs without business-time's
  // Map of every zone.
  const slotBucket = new Float64Array(SLOTS).fill(NaN);
  const slotOffset = new Int32Array(SLOTS);
  const wall = (ms: number) => {
    const b = Math.floor(ms / BUCKET);
    if (b !== bucket) {
      const slot = b & (SLOTS - 1);
      if (slotBucket[slot] === b) offset = slotOffset[slot]!;
      else {
        offset = zoneOffset(ms, timeZone);
        slotBucket[slot] = b;
        slotOffset[slot] = offset;
      }
      bucket = b;
    }
    return ms + offset;
  };
  /** "2026-11-02 05:30:00" of a wall time (`wall(ms)`). */
  const wallText = (w: number) => {
    const min = Math.floor(w / 60_000);
    if (min !== minute) {
      const day = Math.floor(w / DAY);
      let prefix = days.get(day);
      if (prefix === undefined) {
        prefix = `${new Date(day * DAY).toISOString().slice(0, 10)} `;
        if (days.size > 50_000) days.clear();
        days.set(day, prefix);
      }
      const r = min - day * 1440;
      const h = Math.floor(r / 60);
      minuteText = `${prefix}${PAD2[h]}:${PAD2[r - h * 60]}:`;
      minute = min;
    }
    return minuteText + PAD2[Math.floor((w - min * 60_000) / 1000)];
  };
  return { timeZone, wall, text: (ms) => wallText(wall(ms)), wallText };
}
