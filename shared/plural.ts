const integers = new Map<string, Intl.NumberFormat>();

/** A whole number grouped in thousands as the locale writes it: (12345, 'de-DE') → "12.345". */
export function count(n: number, locale = 'en-GB'): string {
  let f = integers.get(locale);
  if (!f) integers.set(locale, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 })));
  return f.format(n);
}

/**
 * A count with its noun, singular for exactly one: "1 row", "2 rows", "12,345 movements", "1 entry" with
 * plural(n, 'entry', 'entries'); grouped as the locale writes numbers when one is given ("12.345 rows" in de-DE).
 * The one helper for every message that states how many of something (main and renderer).
 */
export function plural(n: number, singular: string, pluralForm = `${singular}s`, locale = 'en-GB'): string {
  return `${count(n, locale)} ${n === 1 ? singular : pluralForm}`;
}
