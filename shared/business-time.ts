import { businessDay } from './company-format';

/**
 * Day boundaries in the business time zone (an IANA zone), DST-safe: a day runs from the first instant whose local
 * date is that day to the last millisecond before the next day starts (23, 24 or 25 hours long).
 */
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Zone offsets change only on quarter hours of UTC, so one offset per 15-minute bucket is exact. */
const BUCKET = 15 * 60_000;

const offsetFormats = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();

/** Quarter hours in a UTC day. */
const PER_DAY = DAY / BUCKET;

/**
 * Local wall-clock time minus UTC at an instant, in ms (Europe/London in July: 3,600,000). A miss fills the instant's
 * whole UTC day at once: the offsets at its first and last quarter hour, and when they differ the quarter hour the
 * offset changes at, found by halving (a zone changes its offset at most once a day; a day whose halving meets a third
 * offset is read quarter hour by quarter hour). So a year of times asks Intl a few hundred times, not 35,000.
 */
export function zoneOffset(at: number, timeZone: string): number {
  const bucket = Math.floor(at / BUCKET);
  let zone = offsetCache.get(timeZone);
  if (!zone) offsetCache.set(timeZone, (zone = new Map()));
  const hit = zone.get(bucket);
  if (hit !== undefined) return hit;
  if (zone.size > 100_000) zone.clear();
  const first = Math.floor(bucket / PER_DAY) * PER_DAY;
  const last = first + PER_DAY - 1;
  const a = intlOffset(first, timeZone);
  const b = intlOffset(last, timeZone);
  let lo = first;
  let hi = last;
  if (a !== b) {
    // offset(lo) = a, offset(hi) = b: halve until they are neighbours, hi the first quarter hour at b.
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      const o = intlOffset(mid, timeZone);
      if (o === a) lo = mid;
      else if (o === b) hi = mid;
      else {
        for (let k = first; k <= last; k++) zone.set(k, intlOffset(k, timeZone));
        return zone.get(bucket)!;
      }
    }
  } else lo = last;
  for (let k = first; k <= lo; k++) zone.set(k, a);
  for (let k = lo + 1; k <= last; k++) zone.set(k, b);
  return zone.get(bucket)!;
}

/** The zone's offset at the start of a quarter hour, from Intl. */
function intlOffset(bucket: number, timeZone: string): number {
  let f = offsetFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    offsetFormats.set(timeZone, f);
  }
  const t = bucket * BUCKET;
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(t))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!);
  return wall - t;
}

const parseDay = (day: string): number => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new Error(`${day} is not a date (YYYY-MM-DD)`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
};

/** The calendar day after `day`: "2026-03-31" → "2026-04-01". */
export function nextDay(day: string): string {
  return new Date(parseDay(day) + DAY).toISOString().slice(0, 10);
}

/** The first instant (epoch ms) of a local day in the zone: ("2026-07-01", "Europe/London") → 2026-06-30T23:00:00Z. */
export function startOfDay(day: string, timeZone: string): number {
  const wall = parseDay(day);
  let t = wall - zoneOffset(wall, timeZone);
  t = wall - zoneOffset(t, timeZone);
  if (businessDay(t, timeZone) === day && businessDay(t - 1, timeZone) < day) return t;
  // Midnight skipped or repeated by a change of offset: the first instant whose local date is `day`.
  let lo = t - 4 * HOUR;
  let hi = t + 4 * HOUR;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (businessDay(mid, timeZone) >= day) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The last millisecond of a local day in the zone (23:59:59.999 local, or just before the next day starts). */
export function endOfDay(day: string, timeZone: string): number {
  return startOfDay(nextDay(day), timeZone) - 1;
}

/** The first instant of the local day an instant falls on. */
export function dayStart(at: number, timeZone: string): number {
  return startOfDay(businessDay(at, timeZone), timeZone);
}

/** A local day as a whole number of days since 1970-01-01 (for grouping in SQL); constant across each local day. */
export function localDayNumber(at: number, timeZone: string): number {
  return Math.floor((at + zoneOffset(at, timeZone)) / DAY);
}

/** The "YYYY-MM-DD" of a local day number. */
export function dayOfNumber(n: number): string {
  return new Date(n * DAY).toISOString().slice(0, 10);
}

/** A wall-clock time in the zone ("2026-07-01T00:30" or with seconds) as epoch ms; a time skipped by a change of offset moves forward. */
export function fromWallClock(wall: string, timeZone: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(wall);
  if (!m) throw new Error(`${wall} is not a date and time (YYYY-MM-DDTHH:mm)`);
  const w = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), Number((m[7] ?? '0').padEnd(3, '0')));
  const first = w - zoneOffset(w, timeZone);
  const second = w - zoneOffset(first, timeZone);
  return Math.max(first, second);
}

/**
 * An instant a user asked for, read in the business time zone: a date ("2026-07-01") means the end of that local day,
 * a wall-clock time ("2026-07-01T12:00") that time in the zone, and a time with an offset or Z exactly that instant.
 */
export function instantOf(text: string, timeZone: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return endOfDay(text, timeZone);
  if (/(Z|[+-]\d{2}:?\d{2})$/i.test(text)) return Date.parse(text);
  return fromWallClock(text, timeZone);
}

/**
 * The end of a posting's "up to", to the second, in the zone: a date is its last millisecond (23:59:59.999 local),
 * a wall-clock time to the second or minute includes that whole second (…:59.999), and an instant with an offset is exact.
 */
export function upToInstant(text: string, timeZone: string): number {
  if (/^\d{4}-\d{2}-\d{2}T[\d:]+$/.test(text)) return fromWallClock(text, timeZone) + 999;
  return instantOf(text, timeZone);
}
