import { DEFAULT_CURRENCY, MONTH_NAMES, type CompanySettings } from '../../shared/company';
import type { CompanySettingsInput } from '../../shared/contract/company.schemas';
import { AppError } from '../../shared/contract/errors';
import { currencyByCode } from '../../shared/currencies';
import { csvSeparator, type CsvSeparator } from '../../shared/csv';
import { canonicalLocale, canonicalTimeZone } from '../../shared/intl-names';
import type { FormatSettings } from '../../shared/company-format';

/** A refusal about one field of the company settings, so the window can mark it. */
export const refuse = (field: keyof CompanySettings, message: string, code: 'VALIDATION' | 'CONFLICT' = 'VALIDATION') => new AppError(code, message, { field });

/** The machine defaults last worked out, and the TZ variable they were worked out under. */
let lastDefaults: { tzVariable: string | undefined; settings: CompanySettings } | null = null;

/**
 * What a ledger without saved settings uses: this machine's time zone and locale, GBP, a year from January.
 * Asking Intl for them builds a date formatter, about 1–2 ms (and every enquiry asks while no company is saved), so
 * the answer is kept. The machine's time zone and locale are read by the runtime once at start; only a change of the
 * TZ variable changes the time zone later (Node resets it then), so a change of TZ works them out again.
 */
export function machineDefaults(): CompanySettings {
  if (!lastDefaults || lastDefaults.tzVariable !== process.env.TZ) {
    const tz = canonicalTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone) ?? 'UTC';
    const locale = canonicalLocale(Intl.NumberFormat().resolvedOptions().locale) ?? 'en-GB';
    lastDefaults = { tzVariable: process.env.TZ, settings: { name: '', currency: DEFAULT_CURRENCY, timeZone: tz, locale, fyStartMonth: 1 } };
  }
  return { ...lastDefaults.settings };
}

/** How a printed report writes money and times: the company's currency, locale and time zone (the machine's until saved). */
export function reportFormat(saved: CompanySettings | null): FormatSettings {
  const { currency, timeZone, locale } = saved ?? machineDefaults();
  return { currency, timeZone, locale };
}

/**
 * The locale a user's file is read in: the one the request names ("Numbers in this file"), else the company's as
 * company.get shows it (its saved setting, or the defaults shown before one is saved), never this process's own.
 */
export function fileNumberLocale(asked: string | undefined, saved: CompanySettings | null): string {
  return asked ?? companyLocale(saved);
}

/**
 * The locale the company's numbers and short dates are written in, in messages as in the windows (and the one a file's
 * date cells may use, whatever its numbers are read in): its saved setting, else the defaults shown before one is saved.
 */
export function companyLocale(saved: CompanySettings | null): string {
  return (saved ?? machineDefaults()).locale;
}

/**
 * How the company's export files are written: dates and times in its business time zone, and CSV fields separated by
 * ';' with decimal commas where its number format has a decimal comma (csvSeparator), else by ','.
 */
export function exportFileStyle(saved: CompanySettings | null): { timeZone: string; separator: CsvSeparator } {
  return { timeZone: fileTimeZone(saved), separator: csvSeparator(companyLocale(saved)) };
}

/** The business time zone a file's dates and wall-clock times are read in: the company's (its defaults until saved). */
export function fileTimeZone(saved: CompanySettings | null): string {
  return (saved ?? machineDefaults()).timeZone;
}

/**
 * Checks company settings and returns them in canonical form (currency upper case, time zone and locale as Intl
 * names them). Refuses, naming the field: a currency ISO 4217 does not list, a time zone or locale this computer
 * does not know, a financial year starting outside months 1–12.
 */
export function checkCompanySettings(input: CompanySettingsInput): CompanySettings {
  const name = input.name.trim();
  if (!name) throw refuse('name', 'The company needs a name. Type the name of the business.');
  const code = input.currency.trim().toUpperCase();
  const currency = currencyByCode(code);
  if (!currency) {
    throw refuse(
      'currency',
      code
        ? `The company's base currency "${input.currency.trim()}" is not an ISO 4217 currency code. Choose one from the list, e.g. GBP, EUR or USD.`
        : 'The company needs a base currency. Choose one from the list, e.g. GBP, EUR or USD.',
    );
  }
  const timeZone = canonicalTimeZone(input.timeZone.trim());
  if (!timeZone) {
    throw refuse(
      'timeZone',
      input.timeZone.trim()
        ? `The company's time zone "${input.timeZone.trim()}" is not an IANA time zone this computer knows. Choose one from the list, e.g. Europe/London.`
        : 'The company needs a time zone. Choose one from the list, e.g. Europe/London.',
    );
  }
  const locale = canonicalLocale(input.locale.trim());
  if (!locale) {
    throw refuse(
      'locale',
      input.locale.trim()
        ? `The company's locale "${input.locale.trim()}" is not a language tag this computer can write numbers and dates in. Use a BCP 47 tag such as en-GB, de-DE or fr-FR.`
        : 'The company needs a locale for numbers and dates. Use a BCP 47 tag such as en-GB.',
    );
  }
  if (!Number.isInteger(input.fyStartMonth) || input.fyStartMonth < 1 || input.fyStartMonth > 12) {
    throw refuse(
      'fyStartMonth',
      `The company's financial year must start in a month from 1 (${MONTH_NAMES[0]}) to 12 (${MONTH_NAMES[11]}); ${input.fyStartMonth} is not a month.`,
    );
  }
  return { name, currency: currency.code, timeZone, locale, fyStartMonth: input.fyStartMonth };
}
