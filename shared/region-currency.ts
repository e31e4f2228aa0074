import { currencyByCode } from './currencies';

/** Countries of the euro area (2026, Bulgaria included), and territories that use the euro as their own. */
const EURO = 'AD AT BE BG CY DE EE ES FI FR GR HR IE IT LT LU LV MC ME MT NL PT SI SK SM VA XK GF GP MQ RE YT PM BL MF AX'.split(' ');

/**
 * The currency a country keeps its books in (ISO 3166 region → ISO 4217), for proposing a base currency from a locale.
 * Countries with two currencies in use, or none of their own, are left out: nothing is proposed for them.
 */
const BY_REGION: Record<string, string> = {
  ...Object.fromEntries(EURO.map((r) => [r, 'EUR'])),
  AE: 'AED', AR: 'ARS', AU: 'AUD', BD: 'BDT', BH: 'BHD', BR: 'BRL', CA: 'CAD', CH: 'CHF', LI: 'CHF', CL: 'CLP', CN: 'CNY',
  CO: 'COP', CZ: 'CZK', DK: 'DKK', FO: 'DKK', GL: 'DKK', EG: 'EGP', GB: 'GBP', GG: 'GBP', JE: 'GBP', IM: 'GBP', GH: 'GHS',
  HK: 'HKD', HU: 'HUF', ID: 'IDR', IL: 'ILS', IN: 'INR', IS: 'ISK', JO: 'JOD', JP: 'JPY', KE: 'KES', KR: 'KRW', KW: 'KWD',
  LK: 'LKR', MA: 'MAD', MX: 'MXN', MY: 'MYR', NG: 'NGN', NO: 'NOK', NZ: 'NZD', OM: 'OMR', PE: 'PEN', PH: 'PHP', PK: 'PKR',
  PL: 'PLN', QA: 'QAR', RO: 'RON', RS: 'RSD', RU: 'RUB', SA: 'SAR', SE: 'SEK', SG: 'SGD', TH: 'THB', TN: 'TND', TR: 'TRY',
  TW: 'TWD', UA: 'UAH', US: 'USD', PR: 'USD', EC: 'USD', SV: 'USD', UY: 'UYU', VN: 'VND', ZA: 'ZAR',
};

/** The country a locale names ("de-CH" → "CH"; "de" → "DE", its likely country), or null for a tag with none or not a tag. */
export function regionOfLocale(locale: string): string | null {
  try {
    const tag = new Intl.Locale(locale);
    return tag.region ?? tag.maximize().region ?? null;
  } catch {
    return null;
  }
}

/**
 * The currency a locale's country keeps its books in ("en-US" → USD, "de-AT" → EUR, "de" → EUR by its likely country
 * Germany), or null when the locale names no country Stockbook knows the currency of.
 */
export function currencyOfLocale(locale: string): string | null {
  const region = regionOfLocale(locale);
  const code = region ? BY_REGION[region] : undefined;
  return code && currencyByCode(code) ? code : null;
}
