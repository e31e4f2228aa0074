/**
 * Local wall-clock times in the business time zone for files accountants open (CSV and XLSX exports), fast enough for
 * a million rows: the zone's offset is looked up once per quarter hour (every time zone changes its offset on a quarter
 * hour) and the text is built from tables, not from a Date per row.
 */
const QUARTER_HOUR = 900_000;
const DAY = 86_400_000;
const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

const formats = new Map<string, Intl.DateTimeFormat>();
function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formats.set(timeZone, f);
  }
  return f;
}

/** Milliseconds the zone's wall clock is ahead of UTC at an instant (Europe/London in July: 3,600,000). */
export function zoneOffset(ms: number, timeZone: string): number {
  const parts = partsFormat(timeZone).formatToParts(new Date(ms));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * For one time zone: `wall(ms)` is the instant shifted so its UTC fields read the local wall time (what an XLSX date
 * cell holds: a spreadsheet date has no zone), and `text(ms)` is that wall time as "2026-11-02 05:30:00" — the form
 * spreadsheets read as a date-time (no ISO "T", no "Z").
 */
export function localClock(timeZone: string): { timeZone: string; wall: (ms: number) => number; text: (ms: number) => string } {
  const fmt = partsFormat(timeZone);
  const offsets = new Map<number, number>();
  const offsetAt = (ms: number) => {
    const q = Math.floor(ms / QUARTER_HOUR);
    let off = offsets.get(q);
    if (off === undefined) {
      const at = q * QUARTER_HOUR;
      const parts = fmt.formatToParts(new Date(at));
      const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
      off = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - at;
      if (offsets.size > 200_000) offsets.clear();
      offsets.set(q, off);
    }
    return off;
  };
  const days = new Map<number, string>();
  const wall = (ms: number) => ms + offsetAt(ms);
  const text = (ms: number) => {
    const w = wall(ms);
    const day = Math.floor(w / DAY);
    let prefix = days.get(day);
    if (prefix === undefined) {
      prefix = `${new Date(day * DAY).toISOString().slice(0, 10)} `;
      if (days.size > 50_000) days.clear();
      days.set(day, prefix);
    }
    let r = w - day * DAY;
    const h = Math.floor(r / 3_600_000);
    r -= h * 3_600_000;
    const m = Math.floor(r / 60_000);
    return `${prefix}${PAD2[h]}:${PAD2[m]}:${PAD2[Math.floor((r - m * 60_000) / 1000)]}`;
  };
  return { timeZone, wall, text };
}
