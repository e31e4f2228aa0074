const integer = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

/**
 * A count with its noun, singular for exactly one: "1 row", "2 rows", "12,345 movements", "1 entry" with
 * plural(n, 'entry', 'entries'). The one helper for every message that states how many of something (main and renderer).
 */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${integer.format(n)} ${n === 1 ? singular : pluralForm}`;
}
