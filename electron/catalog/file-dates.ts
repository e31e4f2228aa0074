import { fromWallClock, startOfDay, zoneOffset } from '../../shared/business-time';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WALL = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)$/;
const EXACT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** "2026-02-30" is no day (Date.UTC would roll it into March). */
const realDay = (day: string) => {
  const m = DATE.exec(day);
  return m !== null && new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().startsWith(day);
};

/**
 * A date or time in a catalog file, read in the company's business time zone: a date ("2026-05-31") is the start of that
 * local day, a time without an offset ("2026-05-31 17:00") that wall-clock time there, and a time with Z or an offset
 * exactly that instant. Null when it is none of these (or no such day), never a guess. The server's own time zone plays
 * no part, so the same file means the same instants wherever it is read.
 */
export function parseFileDate(text: string, timeZone: string): number | null {
  const t = text.trim();
  if (DATE.test(t)) return realDay(t) ? startOfDay(t, timeZone) : null;
  const wall = WALL.exec(t);
  if (wall) return realDay(wall[1]!) && validClock(wall[2]!) ? fromWallClock(`${wall[1]}T${wall[2]}`, timeZone) : null;
  if (EXACT.test(t) && realDay(t.slice(0, 10)) && validClock(t.slice(11, 19).replace(/[^\d:]+.*$/, ''))) {
    const ms = Date.parse(t.replace(' ', 'T'));
    return Number.isFinite(ms) ? ms : null;
  }
  return null;
}

const validClock = (clock: string) => {
  const [h, m, s = '0'] = clock.split(':');
  return Number(h) < 24 && Number(m) < 60 && Number(s) < 60;
};

/**
 * An instant as a catalog file writes it, in the company's time zone, so that parseFileDate reads it back exactly: the
 * date alone when it is the start of a local day, else the local wall-clock time (to the minute, or the second); an
 * instant that wall clock cannot name (an hour repeated when clocks go back, or milliseconds) in UTC with Z.
 */
export function fileDateText(at: number, timeZone: string): string {
  const local = new Date(at + zoneOffset(at, timeZone)).toISOString();
  const day = local.slice(0, 10);
  if (startOfDay(day, timeZone) === at) return day;
  const wall = `${day} ${local.slice(11, local.slice(17, 19) === '00' ? 16 : 19)}`;
  return parseFileDate(wall, timeZone) === at ? wall : new Date(at).toISOString().replace('.000Z', 'Z');
}
