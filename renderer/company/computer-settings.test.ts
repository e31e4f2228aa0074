import { describe, expect, it } from 'vitest';
import { localeForLanguage, proposeFromComputer } from './computer-settings';

const SERVER = { timeZone: 'America/New_York', locale: 'en-US', currency: 'GBP' };

describe("the set-up proposes this computer's time zone and locale, not the server's", () => {
  it("maps the browser's language to a locale the settings accept", () => {
    expect(localeForLanguage('en-GB')).toBe('en-GB');
    expect(localeForLanguage('de-de')).toBe('de-DE');
    // A bare language: its likely country, so dates read one country's way.
    expect(localeForLanguage('de')).toBe('de-DE');
    expect(localeForLanguage('en')).toBe('en-US');
    expect(localeForLanguage('fr')).toBe('fr-FR');
    expect(localeForLanguage('es-419')).toBe('es-419');
    for (const unsupported of ['', 'english', 'x-private', 'qq']) expect(localeForLanguage(unsupported), unsupported).toBeNull();
  });

  it("takes the browser's time zone and locale, saying so", () => {
    expect(proposeFromComputer(SERVER, { timeZone: 'Europe/Berlin', language: 'en-GB' }, true)).toEqual({
      timeZone: 'Europe/Berlin',
      locale: 'en-GB',
      currency: 'GBP',
      fromComputer: { timeZone: true, locale: true, currency: false },
    });
    expect(proposeFromComputer(SERVER, { timeZone: 'UTC', language: 'de' }, true)).toMatchObject({ timeZone: 'UTC', locale: 'de-DE', currency: 'EUR' });
  });

  it("keeps the server's defaults where the browser's are not supported", () => {
    expect(proposeFromComputer(SERVER, { timeZone: 'Mars/Olympus_Mons', language: 'de' }, true)).toEqual({
      timeZone: 'America/New_York',
      locale: 'de-DE',
      currency: 'EUR',
      fromComputer: { timeZone: false, locale: true, currency: true },
    });
    expect(proposeFromComputer(SERVER, { timeZone: 'Asia/Tokyo', language: 'qq' }, true)).toEqual({
      timeZone: 'Asia/Tokyo',
      locale: 'en-US',
      currency: 'USD',
      fromComputer: { timeZone: true, locale: false, currency: true },
    });
  });

  it("proposes the currency of the locale's country while the currency is free, and keeps a locked one", () => {
    expect(proposeFromComputer(SERVER, { timeZone: 'America/Chicago', language: 'en-US' }, true)).toMatchObject({ currency: 'USD', fromComputer: { currency: true } });
    expect(proposeFromComputer(SERVER, { timeZone: 'America/Chicago', language: 'en-US' }, false)).toMatchObject({ currency: 'GBP', fromComputer: { currency: false } });
    // A language whose country has no currency Stockbook knows keeps main's.
    expect(proposeFromComputer(SERVER, { timeZone: 'America/Lima', language: 'es-419' }, true)).toMatchObject({ currency: 'GBP', fromComputer: { currency: false } });
  });
});
