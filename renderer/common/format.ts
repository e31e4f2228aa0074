/**
 * The renderer's one formatter set: every date, time, count, quantity and amount a window shows is written here, in the
 * company's locale, business time zone and currency (set by the CompanyProvider through showDatesIn). No other renderer
 * module calls toLocaleString, Intl.DateTimeFormat/NumberFormat or date-fns' format (format-guard.test.ts checks).
 */
import { endOfDay, startOfDay } from '../../shared/business-time';
import { DEFAULT_CURRENCY } from '../../shared/company';
import {
  businessDay,
  formatCalendarDay,
  formatDate as companyDate,
  formatDateTime as companyDateTime,
  formatJournalMoney as companyJournalMoney,
  formatMoney as companyMoney,
  formatUnitMoney as companyUnitMoney,
  formatQuantityIn,
  minorUnitsOf,
  type FormatSettings,
} from '../../shared/company-format';
import { MAX_QUANTITY_UNITS, numberSeparators, parseMoney, parseQuantity, formatQuantity as plainQuantity } from '../../shared/quantity';
import { hasValidCheckDigit } from '../../shared/scanning/check-digit';

/** The company's business time zone, locale and currency; this browser's until company.get answers. */
let shown: FormatSettings = {
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  locale: Intl.NumberFormat().resolvedOptions().locale,
  currency: DEFAULT_CURRENCY,
};

const formats = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let f = formats.get(key) as T | undefined;
  if (!f) {
    f = make();
    formats.set(key, f);
  }
  return f;
}

/** Called by the CompanyProvider whenever the company settings are known or change: everything shows in them from here on. */
export function showDatesIn(s: Pick<FormatSettings, 'timeZone' | 'locale'> & { currency?: string }): void {
  shown = { timeZone: s.timeZone, locale: s.locale, currency: s.currency ?? shown.currency };
}

/** The business time zone dates are shown and taken in. */
export function shownTimeZone(): string {
  return shown.timeZone;
}

/** The company's locale (a BCP 47 tag such as en-GB). */
export function shownLocale(): string {
  return shown.locale;
}

/** 12345 → "12,345" (en-GB) / "12.345" (de-DE). */
export function formatCount(n: number): string {
  return cached(`count|${shown.locale}`, () => new Intl.NumberFormat(shown.locale, { maximumFractionDigits: 0 })).format(n);
}

/** A plain number with up to `maxDecimals` decimals, in the locale (chart ticks, ratios). */
export function formatNumber(n: number, maxDecimals = 2): string {
  return cached(`num|${shown.locale}|${maxDecimals}`, () => new Intl.NumberFormat(shown.locale, { maximumFractionDigits: maxDecimals })).format(n);
}

/** Money in 1/10000 of the company currency, rounded to its minor units: en-GB GBP "£1,234.57". */
export function formatMoney(amount1e4: number): string {
  return companyMoney(amount1e4, shown.currency, shown.locale);
}

/** The amount formatMoney shows, in 1/10000: rounded to the currency's minor units, half away from zero as Intl rounds. */
export function shownMoney(amount1e4: number): number {
  const step = 10 ** Math.max(0, 4 - minorUnitsOf(shown.currency));
  return Math.sign(amount1e4) * Math.round(Math.abs(amount1e4) / step) * step;
}

/** A price per unit (unit cost, on-cost per unit, average cost): exact, so quantity × price shown = value shown: "£1.1775", "£1.18". */
export function formatUnitCost(amount1e4: number): string {
  return companyUnitMoney(amount1e4, shown.currency, shown.locale);
}

/** The company currency's symbol in the locale: GBP "£", EUR "€", CHF "CHF". */
export function currencySymbol(): string {
  const parts = cached(`money|${shown.locale}|${shown.currency}`, () => new Intl.NumberFormat(shown.locale, { style: 'currency', currency: shown.currency })).formatToParts(0);
  return parts.find((p) => p.type === 'currency')?.value ?? shown.currency;
}

/** The company currency's minor units: GBP 2, JPY 0, KWD 3. */
export function currencyDecimals(): number {
  return minorUnitsOf(shown.currency);
}

/** Money at the journal's precision (four decimals, exact): finance reports whose lines add up to their totals. */
export function formatJournalMoney(amount1e4: number): string {
  return companyJournalMoney(amount1e4, shown.currency, shown.locale);
}

/**
 * Money for a chart axis whose ticks are `step` (1/10000 units) apart, in compact notation with just enough decimals
 * that neighbouring ticks never read the same: step £100k around £3.6m → "£3.6M", "£3.7M"; step £25k → "£3.63M".
 */
export function formatMoneyTick(amount1e4: number, step1e4: number): string {
  const v = amount1e4 / 10_000;
  const step = Math.abs(step1e4 / 10_000) || 1;
  const big = Math.max(Math.abs(v), step);
  const unit = big >= 1e12 ? 1e12 : big >= 1e9 ? 1e9 : big >= 1e6 ? 1e6 : big >= 1e3 ? 1e3 : 1;
  const needed = Math.max(0, Math.ceil(-Math.log10(step / unit) - 1e-9));
  // Whole amounts under a thousand show no decimals; a fraction shows the currency's own (£0.50, never £0.5).
  const decimals = unit === 1 ? (needed > 0 ? minorUnitsOf(shown.currency) : 0) : Math.min(needed, 3);
  return cached(
    `moneytick|${shown.locale}|${shown.currency}|${decimals}|${unit === 1}`,
    () =>
      new Intl.NumberFormat(shown.locale, {
        style: 'currency',
        currency: shown.currency,
        notation: unit === 1 ? 'standard' : 'compact',
        minimumFractionDigits: decimals,
        maximumFractionDigits: decimals,
      }),
  ).format(Object.is(v, -0) ? 0 : v);
}

/** A quantity in the product's smallest unit with exactly `scale` decimals, in the locale: (12500, 3) → "12.500". */
export function formatQuantity(units: number, scale: number): string {
  return formatQuantityIn(units, scale, shown.locale);
}

/**
 * The locale every typed quantity and amount is read in: the company's, the one numbers are shown in, so what the user
 * sees is what they type (this browser's until company.get answers). The one source for parseQuantity/parseMoney,
 * numberSeparators and an import's default "Numbers in this file" in the renderer.
 */
export function numberLocale(): string {
  return shown.locale;
}

/**
 * A typed quantity read in numberLocale() (shared/quantity.ts parseQuantity: strict, never guesses). One beyond what a
 * line may hold is refused with the limit, and one that is a barcode (12 to 14 digits with a valid GS1 check digit: a
 * scan typed, or a wedge too slow to be seen as a scan) is said to be one.
 */
export function readQuantity(text: string, scale: number): number {
  const units = parseQuantity(text, scale, shown.locale);
  if (Math.abs(units) > MAX_QUANTITY_UNITS) {
    const digits = text.trim();
    const barcode = /^\d{12,14}$/.test(digits) && hasValidCheckDigit(digits);
    throw new Error(
      `"${digits}" is more than a line can hold (at most ${formatQuantity(MAX_QUANTITY_UNITS, scale)})` +
        (barcode ? `; it reads as a barcode: scan or type it into the product field, and the quantity here` : ''),
    );
  }
  return units;
}

/** A typed amount read in numberLocale() (shared/quantity.ts parseMoney). */
export function readMoney(text: string): number {
  return parseMoney(text, shown.locale);
}

/** The decimal separator typed numbers take: en-GB ".", de-DE ",". */
export function decimalSeparator(): string {
  return numberSeparators(shown.locale).decimal;
}

/** A quantity as the text an input starts with (no grouping, as the quantity reader takes it): en-GB (1234500, 3) → "1234.500", de-DE "1234,500". */
export function editableQuantity(units: number, scale: number): string {
  return plainQuantity(units, scale).replace(/,/g, '').replace('.', decimalSeparator());
}

/** An ISO time (or epoch ms) in the company's time zone and locale: en-GB "24/11/2025, 21:50"; "—" when missing or unreadable. */
export function formatDateTime(at: string | number | Date | null | undefined, opts: { secondsWhenSet?: boolean } = {}): string {
  return companyDateTime(at, shown, opts);
}

/** The calendar date of an instant in the company's time zone and locale: en-GB "24/11/2025". */
export function formatDate(at: string | number | Date | null | undefined): string {
  return companyDate(at, shown);
}

/** The date of an instant with its month in words ("30 November 2026", "November 30, 2026"): unambiguous in any locale, for screens shown before a ledger's company format is known. */
export function formatLongDate(at: string | number | Date): string {
  return cached(`longdate|${shown.locale}|${shown.timeZone}`, () => new Intl.DateTimeFormat(shown.locale, { timeZone: shown.timeZone, day: 'numeric', month: 'long', year: 'numeric' })).format(new Date(at));
}

/** A calendar day "2027-04-12" (an expiry, a report day) in the locale: en-GB "12/04/2027", en-US "04/12/2027"; "—" when missing. */
export function formatDay(day: string | null | undefined): string {
  return day ? formatCalendarDay(day, shown.locale) : '—';
}

/** A calendar day as day and month only, for chart axes: en-GB "12/04", en-US "4/12", de-DE "12.4.". */
export function formatShortDay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  if (!m) return day;
  return cached(`shortday|${shown.locale}`, () => new Intl.DateTimeFormat(shown.locale, { timeZone: 'UTC', day: 'numeric', month: 'numeric' })).format(
    Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12),
  );
}

/** A Date as the time of day in the company's time zone and locale: en-GB "21:50:12". */
export function formatClockTime(date: Date): string {
  return cached(
    `clock|${shown.locale}|${shown.timeZone}`,
    () => new Intl.DateTimeFormat(shown.locale, { timeZone: shown.timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit' }),
  ).format(date);
}

/** Month and weekday names in a locale, for the calendar of a date field (Sunday first, as the calendar counts). */
export function calendarNames(locale: string): { months: string[]; shortMonths: string[]; days: string[]; shortDays: string[] } {
  const name = (options: Intl.DateTimeFormatOptions, at: (i: number) => number, n: number) => {
    const f = cached(`names|${locale}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(locale, { timeZone: 'UTC', ...options }));
    return Array.from({ length: n }, (_, i) => f.format(at(i)));
  };
  const month = (i: number) => Date.UTC(2026, i, 15);
  // 4 January 2026 is a Sunday.
  const weekday = (i: number) => Date.UTC(2026, 0, 4 + i);
  return {
    months: name({ month: 'long' }, month, 12),
    shortMonths: name({ month: 'short' }, month, 12),
    days: name({ weekday: 'long' }, weekday, 7),
    shortDays: name({ weekday: 'narrow' }, weekday, 7),
  };
}

/** "2025-11-24" → epoch ms at the start (or the last millisecond) of that day in the company's time zone. */
export function dayStartMs(day: string): number {
  return startOfDay(day, shown.timeZone);
}
export function dayEndMs(day: string): number {
  return endOfDay(day, shown.timeZone);
}
/** Epoch ms → its "YYYY-MM-DD" in the company's time zone. */
export function dayOfMs(ms: number): string {
  return businessDay(ms, shown.timeZone);
}

/** "1 product-site" / "2 product-sites": the one shared helper, for the renderer's messages too. */
/** A count with its noun in the company's number format: "1 row", "12,345 movements" (plural(n, 'entry', 'entries')). */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : pluralForm}`;
}
