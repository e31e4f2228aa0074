/** Time zones and locales as Intl names them, the same in main (which checks the company settings) and in the renderer (which proposes them). */

let zones: Set<string> | null = null;
/** The IANA time zones this runtime knows (Intl.supportedValuesOf), plus UTC, which some runtimes list only as an alias. */
export function knownTimeZones(): Set<string> {
  zones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
  return zones;
}

/** The canonical name of a time zone (an alias such as Europe/Kiev resolves to Europe/Kyiv), or null when unknown. */
export function canonicalTimeZone(name: string): string | null {
  if (!name) return null;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
  if (knownTimeZones().has(resolved)) return resolved;
  return knownTimeZones().has(name) ? name : null;
}

/** The canonical form of a BCP 47 tag that Intl can write numbers and dates in (en-gb → en-GB), or null. */
export function canonicalLocale(tag: string): string | null {
  let canonical: string | undefined;
  try {
    canonical = Intl.getCanonicalLocales(tag)[0];
  } catch {
    return null;
  }
  if (!canonical) return null;
  const numbers = Intl.NumberFormat.supportedLocalesOf([canonical], { localeMatcher: 'lookup' });
  const dates = Intl.DateTimeFormat.supportedLocalesOf([canonical], { localeMatcher: 'lookup' });
  return numbers.length > 0 && dates.length > 0 ? canonical : null;
}
