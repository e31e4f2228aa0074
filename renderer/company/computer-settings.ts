import type { CompanySettings } from '../../shared/company';
import { canonicalLocale, canonicalTimeZone } from '../../shared/intl-names';
import { currencyOfLocale } from '../../shared/region-currency';

/** What this computer's browser says about where and how its user works. */
export interface ComputerSettings {
  /** Intl.DateTimeFormat().resolvedOptions().timeZone */
  timeZone: string;
  /** navigator.language, e.g. "en-GB", "de", "de-de" */
  language: string;
}

/**
 * The time zone, locale and base currency the set-up proposes, and which of them came from this computer (the others are
 * main's defaults). The currency is the one of the proposed locale's country, while the currency can still change.
 */
export interface ProposedSettings {
  timeZone: string;
  locale: string;
  currency: string;
  fromComputer: { timeZone: boolean; locale: boolean; currency: boolean };
}

/** This browser's settings, as the set-up assistant reads them. */
export const thisComputer = (): ComputerSettings => ({ timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, language: navigator.language });

/**
 * The browser's language as a locale the company settings accept (main's canonicalLocale): a tag with a region as is,
 * canonical ("en-gb" → en-GB); a bare language with its likely region, so the preview shows one country's dates
 * ("de" → de-DE, "en" → en-US, as Intl writes "en"). Null when Intl cannot write numbers and dates in it.
 */
export function localeForLanguage(language: string): string | null {
  const tag = canonicalLocale(language);
  if (!tag) return null;
  let locale: Intl.Locale;
  try {
    locale = new Intl.Locale(tag);
  } catch {
    return null;
  }
  if (locale.region) return tag;
  const likely = locale.maximize();
  const regional = likely.region ? canonicalLocale(`${locale.language}-${likely.region}`) : null;
  return regional ?? tag;
}

/**
 * What the set-up proposes before the company settings were ever saved: the user sits at the browser, so its time zone
 * and locale rather than the server's, and the currency of the locale's country (an en-US user is not offered GBP);
 * main's default stays where the browser's is not one Stockbook supports, and the currency stays while it is locked
 * (`currencyFree` false: movements already carry values in it).
 */
export function proposeFromComputer(server: Pick<CompanySettings, 'timeZone' | 'locale' | 'currency'>, computer: ComputerSettings, currencyFree: boolean): ProposedSettings {
  const timeZone = canonicalTimeZone(computer.timeZone);
  const locale = localeForLanguage(computer.language);
  const currency = currencyFree ? currencyOfLocale(locale ?? server.locale) : null;
  return {
    timeZone: timeZone ?? server.timeZone,
    locale: locale ?? server.locale,
    currency: currency ?? server.currency,
    fromComputer: { timeZone: timeZone !== null, locale: locale !== null, currency: currency !== null && currency !== server.currency },
  };
}
