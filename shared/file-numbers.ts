/**
 * How the numbers of a user's file are read ("Numbers in this file"): always in a locale the user chose (the import
 * window's choice, the company's locale by default), never in the locale of the machine that reads the file. A number
 * written in another of these formats is refused naming the format that would read it.
 */
import { numberSeparators, parseMoney, parseQuantity } from './quantity';

/** The formats the import windows offer, each by a locale that writes numbers so. */
export const FILE_NUMBER_LOCALES = ['en-GB', 'de-DE', 'fr-FR', 'de-CH'] as const;

/** A locale's number format as the user recognises it: en-GB "1,234.56", de-DE "1.234,56", fr-FR "1 234,56". */
export function numberFormatName(locale: string): string {
  const { decimal, group } = numberSeparators(locale);
  return `1${/\s/.test(group) ? ' ' : group}234${decimal}56`;
}

/** The "Numbers in this file" choices: the company's format first, then each other format once. */
export function fileNumberChoices(companyLocale: string): { locale: string; name: string }[] {
  const seen = new Set<string>();
  const out: { locale: string; name: string }[] = [];
  for (const locale of [companyLocale, ...FILE_NUMBER_LOCALES]) {
    const name = numberFormatName(locale);
    if (!seen.has(name)) out.push({ locale, name });
    seen.add(name);
  }
  return out;
}

/** A number written in another of the file formats: its message already says both ways to fix it. */
export class OtherNumberFormat extends Error {}

/** A refusal that names the file's format and the one that would read `text` ("choose 1.234,56 … or write 2.5"). */
function refusal(text: string, locale: string, e: unknown, readsIn: (other: string) => boolean): Error {
  const message = (e as Error).message;
  const t = text.trim();
  const mark = /^[^\d]*\d*([.,])\d+$/.exec(t);
  const decimal = numberSeparators(locale).decimal;
  // "1,234" may be a thousand and some (grouped) as well as one and a bit: refused as ambiguous, whatever the format.
  const ambiguous = /\d{1,3}[.,]\d{3}$/.test(t) && !/\d{4}[.,]/.test(t);
  if (!mark || mark[1] === decimal || ambiguous) return new Error(message);
  const other = FILE_NUMBER_LOCALES.find((l) => numberSeparators(l).decimal === mark[1] && readsIn(l));
  if (!other) return new Error(message);
  const sep = mark[1] === ',' ? 'a comma' : 'a point';
  return new OtherNumberFormat(`"${t}" uses ${sep} as decimal separator; this file is read as ${numberFormatName(locale)}: choose ${numberFormatName(other)} under 'Numbers in this file', or write ${t.replace(mark[1]!, decimal)}`);
}

const reads = (read: () => number) => {
  try {
    read();
    return true;
  } catch {
    return false;
  }
};

/** A quantity cell of a file, read in the file's locale (shared/quantity.ts parseQuantity, with the file's refusal). */
export function readFileQuantity(text: string, scale: number, locale: string): number {
  try {
    return parseQuantity(text, scale, locale);
  } catch (e) {
    throw refusal(text, locale, e, (other) => reads(() => parseQuantity(text, scale, other)));
  }
}

/** A money cell of a file, read in the file's locale (parseMoney, with the file's refusal). */
export function readFileMoney(text: string, locale: string): number {
  try {
    return parseMoney(text, locale);
  } catch (e) {
    throw refusal(text, locale, e, (other) => reads(() => parseMoney(text, other)));
  }
}
