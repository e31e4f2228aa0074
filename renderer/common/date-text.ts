/**
 * Dates and times as the user types and reads them in a date-time field, in the company's locale: the text is what
 * the grids show (en-GB "01/12/2026, 17:05", en-US "12/01/2026, 05:05 PM", de-DE "01.12.2026, 17:05"), and the
 * reader takes that, the same with any separators, a two-digit or missing year, a time without minutes' leading
 * zero, am/pm, or ISO ("2026-12-01T17:05"). Values are wall-clock strings in the business time zone:
 * "YYYY-MM-DD" for a day, "YYYY-MM-DDTHH:mm" (or with ":ss") for a date and time.
 */

export type DateFieldMode = 'date' | 'datetime';

export interface WallParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

type Field = 'day' | 'month' | 'year';

const formats = new Map<string, Intl.DateTimeFormat>();
function dtf(key: string, locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const k = `${key}|${locale}`;
  let f = formats.get(k);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', ...options });
    formats.set(k, f);
  }
  return f;
}

const DATE_OPTIONS: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit' };
const TIME_OPTIONS: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
const TIME_SECONDS: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', second: '2-digit' };

/** The order the locale writes day, month and year in: en-GB day-month-year, en-US month-day-year, ja-JP year-month-day. */
export function dateOrder(locale: string): Field[] {
  return dtf('date', locale, DATE_OPTIONS)
    .formatToParts(Date.UTC(2026, 11, 31))
    .filter((p): p is Intl.DateTimeFormatPart & { type: Field } => p.type === 'day' || p.type === 'month' || p.type === 'year')
    .map((p) => p.type);
}

/** Whether the locale writes times on a 12-hour clock (en-US "05:05 PM"). */
export function uses12Hours(locale: string): boolean {
  return dtf('time', locale, TIME_OPTIONS)
    .formatToParts(Date.UTC(2026, 0, 1, 17, 5))
    .some((p) => p.type === 'dayPeriod');
}

/** A hint of what to type, in the locale's order: en-GB "dd/mm/yyyy hh:mm", de-DE "dd.mm.yyyy hh:mm". */
export function typingHint(locale: string, mode: DateFieldMode, seconds = false): string {
  const parts = dtf('date', locale, DATE_OPTIONS).formatToParts(Date.UTC(2026, 11, 31));
  const date = parts.map((p) => (p.type === 'day' ? 'dd' : p.type === 'month' ? 'mm' : p.type === 'year' ? 'yyyy' : p.value)).join('');
  if (mode === 'date') return date;
  return `${date} hh:mm${seconds ? ':ss' : ''}${uses12Hours(locale) ? ' am/pm' : ''}`;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A wall-clock value ("2026-12-01", "2026-12-01T17:05", "2026-12-01T17:05:09") as its parts; null when unreadable. */
export function wallParts(value: string): WallParts | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value.trim());
  if (!m) return null;
  const p = { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +(m[4] ?? 0), minute: +(m[5] ?? 0), second: +(m[6] ?? 0) };
  return valid(p) ? p : null;
}

/** Parts as a wall-clock value of the mode: "2026-12-01" or "2026-12-01T17:05" (":ss" only when asked). */
export function wallValue(p: WallParts, mode: DateFieldMode, seconds = false): string {
  const day = `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
  if (mode === 'date') return day;
  return `${day}T${pad(p.hour)}:${pad(p.minute)}${seconds ? `:${pad(p.second)}` : ''}`;
}

function valid(p: WallParts): boolean {
  if (p.year < 1000 || p.year > 9999 || p.month < 1 || p.month > 12 || p.day < 1) return false;
  if (p.day > new Date(Date.UTC(p.year, p.month, 0)).getUTCDate()) return false;
  return p.hour >= 0 && p.hour < 24 && p.minute >= 0 && p.minute < 60 && p.second >= 0 && p.second < 60;
}

/** A time of day in the locale: (17, 5) → en-GB "17:05", en-US "05:05 PM". */
export function formatTimeText(hour: number, minute: number, locale: string): string {
  return dtf('time', locale, TIME_OPTIONS).format(Date.UTC(2000, 0, 1, hour, minute));
}

/** Parts as the user reads them in the locale: en-GB "01/12/2026, 17:05" (date only in 'date' mode). */
export function formatWallText(p: WallParts, mode: DateFieldMode, locale: string, seconds = false): string {
  const at = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  if (mode === 'date') return dtf('date', locale, DATE_OPTIONS).format(at);
  return dtf(seconds ? 'datetimes' : 'datetime', locale, { ...DATE_OPTIONS, ...(seconds ? TIME_SECONDS : TIME_OPTIONS) }).format(at);
}

/**
 * What the user typed, read in the locale's order; null when it is not a date (or time) the field can take.
 * A missing year is this year (`today`'s); a two-digit year is 20yy; a missing time keeps `fallbackTime` (or midnight).
 */
export function parseWallText(
  text: string,
  mode: DateFieldMode,
  locale: string,
  options: { today?: { year: number }; fallbackTime?: Pick<WallParts, 'hour' | 'minute' | 'second'> } = {},
): WallParts | null {
  const t = text.trim();
  if (!t) return null;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ,]+(.*))?$/.exec(t);
  let date: Pick<WallParts, 'year' | 'month' | 'day'>;
  let rest: string;
  if (iso) {
    date = { year: +iso[1]!, month: +iso[2]!, day: +iso[3]! };
    rest = iso[4] ?? '';
  } else {
    const m = /^(\d{1,4})[^\d\s:]+(\d{1,2})(?:[^\d\s:]+(\d{1,4}))?[^\d\s:]*(?:[\s,]+(.*))?$/.exec(t);
    if (!m) return null;
    const order = dateOrder(locale);
    const numbers = [m[1]!, m[2]!, m[3]];
    const got: Partial<Record<Field, string>> = {};
    if (numbers[2] === undefined) {
      // Two numbers: day and month in the locale's order, this year.
      order.filter((f) => f !== 'year').forEach((f, i) => (got[f] = numbers[i]));
    } else {
      order.forEach((f, i) => (got[f] = numbers[i]));
    }
    const y = got.year;
    const year = y === undefined ? (options.today?.year ?? new Date().getFullYear()) : y.length <= 2 ? 2000 + Number(y) : Number(y);
    if (y !== undefined && y.length === 3) return null;
    date = { year, month: Number(got.month), day: Number(got.day) };
    rest = m[4] ?? '';
  }
  // Only the time of the fallback: given whole parts (as callers do), its date must not override the date typed.
  const fb = options.fallbackTime;
  let time = fb ? { hour: fb.hour, minute: fb.minute, second: fb.second } : { hour: 0, minute: 0, second: 0 };
  if (mode === 'datetime' && rest.trim()) {
    const tm = /^(\d{1,2})(?:[:.](\d{2}))?(?:[:.](\d{2}))?(?:\.\d+)?\s*([ap])?\.?\s*m?\.?$/i.exec(rest.trim());
    if (!tm) return null;
    let hour = Number(tm[1]);
    const period = tm[4]?.toLowerCase();
    if (period) {
      if (hour < 1 || hour > 12) return null;
      hour = (hour % 12) + (period === 'p' ? 12 : 0);
    } else if (tm[2] === undefined) {
      return null;
    }
    time = { hour, minute: Number(tm[2] ?? 0), second: Number(tm[3] ?? 0) };
  } else if (mode === 'date' && rest.trim()) {
    return null;
  }
  const p = { ...date, ...(mode === 'date' ? { hour: 0, minute: 0, second: 0 } : time) };
  return valid(p) ? p : null;
}

/** Parts as a Date whose local fields read them (what the calendar shows); and back. */
export const partsToLocalDate = (p: WallParts): Date => new Date(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
export const localDateToParts = (d: Date): WallParts => ({
  year: d.getFullYear(),
  month: d.getMonth() + 1,
  day: d.getDate(),
  hour: d.getHours(),
  minute: d.getMinutes(),
  second: d.getSeconds(),
});

/** The first day of the week in the locale (0 = Sunday … 6 = Saturday), from Intl.Locale's week info where the runtime has it. */
export function firstDayOfWeek(locale: string): number {
  try {
    const loc = new Intl.Locale(locale) as Intl.Locale & { getWeekInfo?: () => { firstDay: number }; weekInfo?: { firstDay: number } };
    const info = loc.getWeekInfo?.() ?? loc.weekInfo;
    if (info) return info.firstDay % 7;
  } catch {
    // An unknown locale falls through to the region rule below.
  }
  const region = /-([A-Z]{2})\b/.exec(locale)?.[1] ?? '';
  return ['US', 'CA', 'JP', 'IL', 'BR', 'MX', 'PH', 'KR', 'TW', 'HK', 'IN', 'ZA', 'SA', 'AU'].includes(region) ? 0 : 1;
}

/**
 * What a change of the field's text means, keystroke by keystroke: the value it reads as ('' when empty), or — when it
 * is not a date (or falls outside min/max, compared by day) — invalid, with the value from before the typing standing.
 * A half-typed or unreadable text never becomes the value. `before` also gives a typed date without a time its time.
 */
export function readTypedText(
  text: string,
  field: { mode: DateFieldMode; locale: string; seconds?: boolean; before: string; min?: string; max?: string },
): { value: string; invalid: boolean } {
  if (!text.trim()) return { value: '', invalid: false };
  const p = parseWallText(text, field.mode, field.locale, { fallbackTime: wallParts(field.before) ?? undefined });
  const value = p ? wallValue(p, field.mode, field.seconds) : null;
  const day = value?.slice(0, 10);
  const outside = day !== undefined && ((!!field.min && day < field.min.slice(0, 10)) || (!!field.max && day > field.max.slice(0, 10)));
  return value === null || outside ? { value: field.before, invalid: true } : { value, invalid: false };
}
