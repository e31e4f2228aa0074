import { MONTH_NAMES } from '../../shared/company';
import { CURRENCIES } from '../../shared/currencies';
import type { SelectOption } from './SearchableSelect';

/** "GBP — Pound Sterling (2 decimals)" for every ISO 4217 currency in shared/currencies.ts. */
export const CURRENCY_OPTIONS: readonly SelectOption[] = CURRENCIES.map((c) => ({
  value: c.code,
  text: `${c.code} — ${c.name} (${c.minorUnits} decimal${c.minorUnits === 1 ? '' : 's'})`,
}));

/** The IANA time zones this browser knows, plus the current one if it is not among them (an alias main accepted). */
export function timeZoneOptions(current: string): SelectOption[] {
  const zones = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
  if (current) zones.add(current);
  return [...zones].sort().map((z) => ({ value: z, text: z }));
}

/** Suggested locales; any other BCP 47 tag may be typed (main checks it). */
const COMMON_LOCALES = [
  'en-GB', 'en-US', 'en-IE', 'en-AU', 'en-CA', 'en-NZ', 'en-ZA', 'en-IN', 'de-DE', 'de-AT', 'de-CH', 'fr-FR', 'fr-BE', 'fr-CA', 'fr-CH',
  'es-ES', 'es-MX', 'it-IT', 'nl-NL', 'nl-BE', 'pt-PT', 'pt-BR', 'pl-PL', 'cs-CZ', 'sv-SE', 'da-DK', 'nb-NO', 'fi-FI', 'el-GR', 'tr-TR',
  'ja-JP', 'zh-CN', 'ko-KR', 'ar-AE', 'he-IL', 'hi-IN',
];

export function localeOptions(current: string): SelectOption[] {
  const names = new Intl.DisplayNames(['en'], { type: 'language' });
  const tags = COMMON_LOCALES.includes(current) || !current ? COMMON_LOCALES : [current, ...COMMON_LOCALES];
  return tags.map((tag) => {
    let name = '';
    try {
      name = names.of(tag) ?? '';
    } catch {
      name = '';
    }
    return { value: tag, text: name ? `${tag} — ${name}` : tag };
  });
}

export const MONTH_OPTIONS = MONTH_NAMES.map((name, i) => ({ value: i + 1, text: name }));
