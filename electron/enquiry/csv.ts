/** RFC 4180 CSV with spreadsheet formula injection neutralised (OWASP: a leading = + - @ TAB CR is prefixed with '). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** A text cell: neutralised, then quoted when it holds a quote, comma or line break. */
export function csvText(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A number we formatted ourselves ("-12.500"): written as is so spreadsheets read it as a number. */
export function csvNumber(value: string | number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

export function csvLine(cells: readonly string[]): string {
  return `${cells.join(',')}\r\n`;
}
