import { fromWallClock, startOfDay, zoneOffset } from '../../shared/business-time';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WALL = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)$/;
const EXACT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** "2026-02-30" is no day (Date.UTC would roll it into March). */
const realDay = (day: string) => {
  const m = DATE.exec(day);
  return m !== null && new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().startsWith(day);
};

type DayField = 'day' | 'month' | 'year';
const shortDates = new Map<string, { pattern: RegExp; order: DayField[]; example: string } | null>();

/**
 * The company's short date as the windows show it (de-DE "31.05.2026", en-GB "31/05/2026", en-US "05/31/2026"): its
 * fields in the locale's order with exactly its separators, a four-digit year. Null for a locale whose short date is
 * not written in ASCII digits (it is then read only as ISO).
 */
function shortDate(locale: string) {
  if (!shortDates.has(locale)) {
    const parts = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(Date.UTC(2026, 4, 31));
    const order: DayField[] = [];
    let source = '';
    let fine = true;
    for (const p of parts) {
      if (p.type === 'day' || p.type === 'month' || p.type === 'year') {
        order.push(p.type);
        fine &&= /^\d+$/.test(p.value);
        source += p.type === 'year' ? '(\\d{4})' : '(\\d{1,2})';
      } else if (p.type === 'literal') source += p.value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      else fine = false;
    }
    shortDates.set(locale, fine && order.length === 3 ? { pattern: new RegExp(`^${source}$`), order, example: parts.map((p) => p.value).join('') } : null);
  }
  return shortDates.get(locale)!;
}

/** A company date ("01.12.2026" in de-DE) as "2026-12-01", read only in that locale's own pattern; null otherwise. */
function companyDay(text: string, locale: string): string | null {
  const format = shortDate(locale);
  const m = format?.pattern.exec(text);
  if (!format || !m) return null;
  const at: Record<DayField, string> = { day: '', month: '', year: '' };
  format.order.forEach((field, i) => (at[field] = m[i + 1]!.padStart(2, '0')));
  return `${at.year}-${at.month}-${at.day}`;
}

/**
 * What a date cell may hold, for the Catalog's refusals: ISO always, and the company's short date when its locale has
 * one ("or as 31.05.2026, the company's dates (de-DE)").
 */
export function fileDateFormats(timeZone: string, locale?: string): string {
  return `Write it as a date 2026-05-31 (year-month-day; from the start of that day, ${timeZone}), optionally with a time 2026-05-31T14:00 (that time there)${companyForm(locale)}`;
}

/** ", or as 31.05.2026 (the company's dates, de-DE)" where the company's short date is not ISO already; else nothing. */
function companyForm(locale: string | undefined): string {
  const company = locale ? shortDate(locale) : null;
  return company && company.example !== '2026-05-31' ? `, or as ${company.example} (the company's dates, ${locale})` : '';
}

/**
 * What a day cell (a batch's expiry in a movement import) may hold, for its refusal: ISO, and the company's short date
 * as the Catalog's dates read it ("Write it as 2026-05-31 (year-month-day), or as 31.05.2026 (the company's dates, de-DE)").
 */
export function fileDayFormats(locale?: string): string {
  return `Write it as 2026-05-31 (year-month-day)${companyForm(locale)}`;
}

/**
 * A calendar day in a file (a batch's expiry) as "2026-12-01": ISO, or the company's short date in its locale's own
 * pattern only ("01.12.2026" in de-DE; "01/12/2026" is 1 December in en-GB, 12 January in en-US, never guessed).
 * Null when it is neither, or no such day.
 */
export function parseFileDay(text: string, companyLocale?: string): string | null {
  const t = text.trim();
  const day = DATE.test(t) ? t : companyLocale ? companyDay(t, companyLocale) : null;
  return day !== null && realDay(day) ? day : null;
}

/**
 * A date or time in a catalog file, read in the company's business time zone: a date ("2026-05-31") is the start of that
 * local day, a time without an offset ("2026-05-31 17:00") that wall-clock time there, and a time with Z or an offset
 * exactly that instant. Given the company's locale, its short date ("01.12.2026" in de-DE) is read too, in that
 * locale's order and separators only, so "01/12/2026" is 1 December for an en-GB company and 12 January for an en-US
 * one, never either by guess. Null when it is none of these (or no such day). The server's own time zone and locale
 * play no part, so the same file means the same instants wherever it is read.
 */
export function parseFileDate(text: string, timeZone: string, companyLocale?: string): number | null {
  const t = text.trim();
  const day = DATE.test(t) ? t : companyLocale ? companyDay(t, companyLocale) : null;
  if (day !== null) return realDay(day) ? startOfDay(day, timeZone) : null;
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
