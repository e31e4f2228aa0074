import { DEFAULT_CURRENCY } from './company';
import { currencyByCode } from './currencies';

/**
 * Formatting by the company's settings, the same in main and renderer: money in the base currency rounded to its
 * minor units, dates and times in the business time zone, both written in the company's locale.
 */
export interface FormatSettings {
  currency: string;
  timeZone: string;
  locale: string;
}

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

/** Money is stored in 1/10000 of the currency (MONEY_SCALE in quantity.ts, which re-exports formatMoney from here). */
const SCALE_DIGITS = 4;

/** Decimals a currency is shown with: its ISO 4217 minor units (2 when unknown). */
export function minorUnitsOf(currency: string): number {
  return currencyByCode(currency)?.minorUnits ?? 2;
}

/** An integer with `scale` implied decimals as an exact decimal string: (-12345, 2) → "-123.45". */
export function decimalString(units: number, scale: number): string {
  const sign = units < 0 ? '-' : '';
  const abs = Math.abs(units);
  if (scale === 0) return `${sign}${abs}`;
  const div = 10 ** scale;
  return `${sign}${Math.floor(abs / div)}.${String(abs % div).padStart(scale, '0')}`;
}

/**
 * An amount in 1/10000 of the currency, rounded half away from zero to the currency's minor units and written in
 * the locale: (1234567, 'GBP', 'en-GB') → "£123.46"; (1234567, 'JPY', 'ja-JP') → "￥123"; (1234567, 'KWD', 'en') → "KWD 123.457".
 * Exact for every safe integer (the digits go to Intl as a decimal string, never through a float).
 */
export function formatMoney(amount1e4: number, currency: string = DEFAULT_CURRENCY, locale = 'en-GB'): string {
  if (!Number.isSafeInteger(amount1e4)) throw new Error(`Amount ${amount1e4} is not an integer`);
  const minor = Math.min(minorUnitsOf(currency), SCALE_DIGITS);
  const factor = 10 ** (SCALE_DIGITS - minor);
  const abs = Math.abs(amount1e4);
  const rounded = Math.floor(abs / factor) + (abs % factor >= factor / 2 ? 1 : 0);
  const nf = cached(`money|${locale}|${currency}|${minor}`, () =>
    new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: minor, maximumFractionDigits: minor }),
  );
  return nf.format(decimalString(amount1e4 < 0 && rounded !== 0 ? -rounded : rounded, minor) as unknown as number);
}

/**
 * A price per unit (a unit cost, an on-cost per unit, an average cost) in 1/10000 of the currency: the currency's minor
 * units, and the stored decimals beyond them where they are not zero, never rounded, so quantity × the price shown is
 * the value shown: (11775, 'EUR', 'de-DE') → "1,1775 €"; (11800, 'EUR', 'de-DE') → "1,18 €"; (1175000, 'JPY', 'ja-JP') → "￥117.5".
 */
export function formatUnitMoney(amount1e4: number, currency: string = DEFAULT_CURRENCY, locale = 'en-GB'): string {
  if (!Number.isSafeInteger(amount1e4)) throw new Error(`Amount ${amount1e4} is not an integer`);
  const minor = Math.min(minorUnitsOf(currency), SCALE_DIGITS);
  const nf = cached(`unit|${locale}|${currency}|${minor}`, () =>
    new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: minor, maximumFractionDigits: SCALE_DIGITS }),
  );
  return nf.format(decimalString(amount1e4, SCALE_DIGITS) as unknown as number);
}

/**
 * An amount in 1/10000 of the currency at the journal's own precision (all four stored decimals, never rounded),
 * written in the locale: (1234567, 'GBP', 'en-GB') → "£123.4567"; display 'code': "GBP 123.4567". Finance reports print this, so the printed lines
 * add up to the printed total to the last digit, as the journal does.
 */
export function formatJournalMoney(amount1e4: number, currency: string = DEFAULT_CURRENCY, locale = 'en-GB', display: 'symbol' | 'code' = 'symbol'): string {
  if (!Number.isSafeInteger(amount1e4)) throw new Error(`Amount ${amount1e4} is not an integer`);
  const nf = cached(`journal|${locale}|${currency}|${display}`, () =>
    new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: display, minimumFractionDigits: SCALE_DIGITS, maximumFractionDigits: SCALE_DIGITS }),
  );
  return nf.format(decimalString(amount1e4, SCALE_DIGITS) as unknown as number);
}

/** A quantity in the product's smallest unit, written in the locale with exactly `scale` decimals: (12500, 3, 'de-DE') → "12,500". */
export function formatQuantityIn(units: number, scale: number, locale: string): string {
  if (!Number.isSafeInteger(units)) throw new Error(`Quantity ${units} is not an integer`);
  const nf = cached(`qty|${locale}|${scale}`, () => new Intl.NumberFormat(locale, { minimumFractionDigits: scale, maximumFractionDigits: scale }));
  return nf.format(decimalString(units, scale) as unknown as number);
}

type Instant = number | string | Date | null | undefined;
const toDate = (at: Instant): Date | null => {
  if (at === null || at === undefined || at === '') return null;
  const d = at instanceof Date ? at : new Date(at);
  return Number.isNaN(d.getTime()) ? null : d;
};

/** The calendar date of an instant in the business time zone, in the locale: en-GB "01/12/2026"; "—" when missing. */
export function formatDate(at: Instant, s: Pick<FormatSettings, 'timeZone' | 'locale'>): string {
  const d = toDate(at);
  if (!d) return '—';
  return cached(`date|${s.locale}|${s.timeZone}`, () => new Intl.DateTimeFormat(s.locale, { timeZone: s.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })).format(d);
}

/**
 * A calendar day "2027-04-12" (a batch's expiry) as the company writes dates: en-GB "12/04/2027", en-US "04/12/2027",
 * de-DE "12.04.2027". The day itself, whatever the time zone; text that is not such a day is returned as it is.
 */
export function formatCalendarDay(day: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  return m ? formatDate(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12), { timeZone: 'UTC', locale }) : day;
}

/** Date and time (to the minute) of an instant in the business time zone, in the locale: en-GB "01/12/2026, 21:50"; "—" when missing. */
export function formatDateTime(at: Instant, s: Pick<FormatSettings, 'timeZone' | 'locale'>, opts: { secondsWhenSet?: boolean } = {}): string {
  const d = toDate(at);
  if (!d) return '—';
  // Seconds, where a time may be typed to the second (stock at a date): shown when they are not :00 ("06:10:30").
  const seconds = opts.secondsWhenSet === true && d.getUTCSeconds() !== 0;
  return cached(
    `datetime|${s.locale}|${s.timeZone}|${seconds}`,
    () =>
      new Intl.DateTimeFormat(s.locale, {
        timeZone: s.timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}),
      }),
  ).format(d);
}

/** The business day an instant falls on in the time zone, as "YYYY-MM-DD" (for grouping and day boundaries). */
export function businessDay(at: number | Date, timeZone: string): string {
  const parts = cached(`day|${timeZone}`, () => new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })).formatToParts(
    at instanceof Date ? at : new Date(at),
  );
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}
