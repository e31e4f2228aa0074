import { describe, expect, it } from 'vitest';
import { localeForLanguage, proposeFromComputer } from './computer-settings';

const SERVER = { timeZone: 'America/New_York', locale: 'en-US' };

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
    expect(proposeFromComputer(SERVER, { timeZone: 'Europe/Berlin', language: 'en-GB' })).toEqual({
      timeZone: 'Europe/Berlin',
      locale: 'en-GB',
      fromComputer: { timeZone: true, locale: true },
    });
    expect(proposeFromComputer(SERVER, { timeZone: 'UTC', language: 'de' })).toMatchObject({ timeZone: 'UTC', locale: 'de-DE' });
  });

  it("keeps the server's defaults where the browser's are not supported", () => {
    expect(proposeFromComputer(SERVER, { timeZone: 'Mars/Olympus_Mons', language: 'de' })).toEqual({
      timeZone: 'America/New_York',
      locale: 'de-DE',
      fromComputer: { timeZone: false, locale: true },
    });
    expect(proposeFromComputer(SERVER, { timeZone: 'Asia/Tokyo', language: 'qq' })).toEqual({
      timeZone: 'Asia/Tokyo',
      locale: 'en-US',
      fromComputer: { timeZone: true, locale: false },
    });
  });
});
