/**
 * Quantities and money are integers. A quantity is stored in the product's
 * smallest unit (scale = number of decimals); money in 1/10000 of the base currency.
 */
export const MONEY_SCALE = 10_000;

/** The most a quantity the contract takes may be, in the product's smallest unit: every schema's limit and the renderer's quantity reader's. */
export const MAX_QUANTITY_UNITS = 1e12;

export function formatQuantity(units: number, scale: number): string {
  if (!Number.isSafeInteger(units)) throw new Error(`Quantity ${units} is not an integer`);
  if (scale === 0) return groupThousands(String(units));
  const sign = units < 0 ? '-' : '';
  const abs = Math.abs(units);
  const div = 10 ** scale;
  const whole = Math.floor(abs / div);
  const frac = String(abs % div).padStart(scale, '0');
  return `${sign}${groupThousands(String(whole))}.${frac}`;
}

export interface NumberSeparators {
  decimal: string;
  group: string;
}

const separatorCache = new Map<string, NumberSeparators>();

/** The decimal and group separators of a locale, as Intl writes them (en-GB: "." and ","; de-DE: "," and "."). */
export function numberSeparators(locale: string): NumberSeparators {
  let seps = separatorCache.get(locale);
  if (!seps) {
    const parts = new Intl.NumberFormat(locale).formatToParts(1_234_567.5);
    seps = { decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.', group: parts.find((p) => p.type === 'group')?.value ?? ',' };
    separatorCache.set(locale, seps);
  }
  return seps;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Characters some locale groups thousands with: comma, point, apostrophes, spaces (incl. no-break and narrow no-break). */
const GROUP_CHARS = ",.'\u2019 \u00a0\u202f";
const separatorName = (c: string) => (c === '.' ? 'a point' : c === ',' ? 'a comma' : c === "'" || c === '\u2019' ? 'an apostrophe' : /\s/.test(c) ? 'a space' : `"${c}"`);

/**
 * The one number reader for forms and imports: "12.5" at scale 3 → 12500, read in `locale` (its decimal separator
 * from Intl). Never guesses: a thousands separator ("1,234", "1.234", "1 234") is refused as ambiguous unless the
 * locale's own decimal separator follows it, as the screen writes numbers ("1.234,5" in de-DE is 1234.5), the other
 * locale's decimal separator ("2,10" in en-GB) is refused with the right spelling, and more decimals than the scale
 * allows are refused, never rounded. The locale is always the caller's to name (the company's: renderer/common/format.ts
 * numberLocale() in the renderer, the import's "Numbers in this file" in main), never this process's default. Throws an Error whose message can follow "Bad number: " or "Line 1: quantity ".
 */
export function parseQuantity(text: string, scale: number, locale: string): number {
  const { decimal, group } = numberSeparators(locale);
  const t = text.trim().replace(/^\u2212/, '-');
  const m = new RegExp(`^(-?)(\\d*)(?:${escape(decimal)}(\\d+))?$`).exec(t);
  const [, sign = '', whole = '', frac = ''] = m && (m[2] !== '' || m[3] !== undefined) ? m : asWritten(t, text, decimal, group, scale);
  if (frac.length > scale) {
    const near = nearestAllowed(sign, whole, frac, scale, decimal);
    throw new Error(
      scale === 0
        ? `"${text.trim()}" must be a whole number: it is counted in whole units (0 decimals), so enter e.g. ${near}`
        : `"${text.trim()}" has more than ${scale} decimal places: it is counted to ${scale} decimals, so enter e.g. ${near}`,
    );
  }
  const value = Number(whole || '0') * 10 ** scale + Number(frac.padEnd(scale, '0') || '0');
  if (!Number.isSafeInteger(value)) throw new Error(`"${text.trim()}" is too large`);
  return sign === '-' ? -value : value;
}

/**
 * A number that is not plain digits and decimals: read when it is written as the screen writes it and has one reading
 * only — the locale's own thousands separator followed by its decimal separator ("1.234,5" in de-DE, "1,234.5" in
 * en-GB), or the locale's own thousands separator alone where no decimal reading fits: it is not a point or a comma
 * (de-CH "3'600", fr-FR "3 600"), it groups more than once ("1.234.567"), or the product counts to fewer than 3
 * decimals so "3.600" cannot be 3,6 (eggs in de-DE: the screen writes 3600 eggs "3.600"). Otherwise refused with the
 * spelling to use. Returns [match, sign, whole, fraction] as the plain reader's match.
 */
function asWritten(t: string, text: string, decimal: string, group: string, scale: number): [string, string, string, string] {
  const body = t.replace(/^-/, '');
  const groups = escape(GROUP_CHARS + group);
  const groupRun = new RegExp(`^(\\d{1,3}(?:([${groups}])\\d{3})(?:\\2\\d{3})*)(?:([.,])(\\d+))?$`).exec(body);
  if (groupRun && groupRun[2] !== groupRun[3]) {
    const [, grouped = '', sep = '', fracSep, fracDigits = ''] = groupRun;
    const sign = t.startsWith('-') ? '-' : '';
    const own = sep === group || (/\s/.test(sep) && /\s/.test(group));
    if (own && fracSep === decimal) return [t, sign, grouped.split(sep).join(''), fracDigits];
    const decimalReading = (sep === '.' || sep === ',') && grouped.split(sep).length === 2 && scale >= 3;
    if (own && fracSep === undefined && !decimalReading) return [t, sign, grouped.split(sep).join(''), ''];
    // The locale's own grouping, the other decimal separator ("1'234,5" in de-CH): the decimal separator is what is wrong.
    if (own && fracSep !== undefined) throw new Error(`"${text.trim()}" uses ${separatorName(fracSep)} as decimal separator; use ${separatorName(decimal)}, e.g. ${grouped}${decimal}${fracDigits}`);
    const plain = `${grouped.split(sep).join('')}${fracSep ? `${decimal}${fracDigits}` : ''}`;
    const or = !fracSep && (sep === '.' || sep === ',') ? ` (${plain} or ${grouped.replace(sep, decimal)}?)` : '';
    throw new Error(`"${text.trim()}" has a thousands separator (${separatorName(sep)}), so it is ambiguous${or}; write it without one, e.g. ${plain}, with ${separatorName(decimal)} as decimal separator`);
  }
  const other = /^\d*([.,])\d+$/.exec(body);
  if (other && other[1] !== decimal) {
    throw new Error(`"${text.trim()}" uses ${separatorName(other[1]!)} as decimal separator; use ${separatorName(decimal)}, e.g. ${body.replace(other[1]!, decimal)}`);
  }
  throw new Error(`"${text.trim()}" is not a number`);
}

/** "£12.50" → 125000 (money in 1/10000 of the currency), by the same reader; a leading currency sign is allowed. */
export function parseMoney(text: string, locale: string): number {
  return parseQuantity(text.trim().replace(/^(-?)[£$€]/, '$1'), 4, locale);
}

/** Money in 1/10000 of the currency, in the company's currency and locale (shared/company-format.ts; GBP in en-GB by default). */
export { formatMoney } from './company-format';

/** value = qty (base units) × unit cost (money per display unit) / 10^scale, rounded half away from zero. */
export function movementValue(qty: number, unitCost: number, scale: number): number {
  const product = qty * unitCost;
  if (Number.isSafeInteger(product) && scale <= 15) {
    // Exact in doubles: % is exact on integers and (product - r) is a multiple of div. Same result as the BigInt path.
    const div = 10 ** scale;
    const r = product % div;
    const q = (product - r) / div;
    return Math.abs(r) * 2 >= div ? q + (product < 0 ? -1 : 1) : q;
  }
  const raw = (BigInt(qty) * BigInt(unitCost)) ;
  const div = 10n ** BigInt(scale);
  const q = raw / div;
  const r = raw % div;
  const twice = (r < 0n ? -r : r) * 2n;
  const rounded = twice >= div ? q + (raw < 0n ? -1n : 1n) : q;
  return Number(rounded);
}

/** The two values at `scale` either side of a number with too many decimals, as typed: ("", "2", "5", 0) → "2 or 3". */
function nearestAllowed(sign: string, whole: string, frac: string, scale: number, decimal: string): string {
  const down = BigInt(`${whole || '0'}${frac.slice(0, scale)}`);
  const show = (units: bigint) => {
    const digits = units.toString().padStart(scale + 1, '0');
    return `${units === 0n ? '' : sign}${scale === 0 ? digits : `${digits.slice(0, -scale)}${decimal}${digits.slice(-scale)}`}`;
  };
  return `${show(down)} or ${show(down + 1n)}`;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
