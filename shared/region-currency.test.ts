import { describe, expect, it } from 'vitest';
import { CURRENCIES } from './currencies';
import { currencyOfLocale, regionOfLocale } from './region-currency';

describe('currencyOfLocale', () => {
  it("proposes the currency of the locale's country", () => {
    expect(currencyOfLocale('en-US')).toBe('USD');
    expect(currencyOfLocale('en-GB')).toBe('GBP');
    expect(currencyOfLocale('de-DE')).toBe('EUR');
    expect(currencyOfLocale('de-AT')).toBe('EUR');
    expect(currencyOfLocale('de-CH')).toBe('CHF');
    expect(currencyOfLocale('fr-CA')).toBe('CAD');
    expect(currencyOfLocale('ja-JP')).toBe('JPY');
    expect(currencyOfLocale('ar-KW')).toBe('KWD');
  });

  it("takes a bare language's likely country", () => {
    expect(currencyOfLocale('de')).toBe('EUR');
    expect(currencyOfLocale('en')).toBe('USD');
    expect(currencyOfLocale('ja')).toBe('JPY');
  });

  it('proposes nothing for a region it does not know or a tag that is not one', () => {
    expect(currencyOfLocale('es-419')).toBeNull();
    expect(currencyOfLocale('english')).toBeNull();
    expect(currencyOfLocale('')).toBeNull();
  });

  it('proposes only currencies a company can choose', () => {
    const known = new Set(CURRENCIES.map((c) => c.code));
    for (const locale of ['en-US', 'en-GB', 'de-DE', 'de-CH', 'fr-CA', 'ja-JP', 'ar-KW', 'pt-BR', 'hi-IN', 'sv-SE', 'bg-BG']) {
      expect(known.has(currencyOfLocale(locale)!), locale).toBe(true);
    }
  });
});

describe('regionOfLocale', () => {
  it('names the country of a locale, its likely one when the tag has none, and null for a tag that is not one', () => {
    expect(regionOfLocale('de-CH')).toBe('CH');
    expect(regionOfLocale('en-US')).toBe('US');
    expect(regionOfLocale('de')).toBe('DE');
    expect(regionOfLocale('de_CH')).toBeNull();
  });
});
