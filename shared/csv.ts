/**
 * The one CSV writer for every CSV the app writes (movement export, count sheet, posting report, Sage/Xero journal
 * files), in the renderer and in main. RFC 4180: a field holding a quote, comma or line break is quoted, quotes doubled;
 * lines end in CRLF. Spreadsheet formula injection is neutralised (OWASP): a text cell that starts with = + - @ TAB or
 * CR is prefixed with a single quote. Numbers are typed: a number, or a decimal we formatted ourselves wrapped in
 * `numeral()`, is written raw so spreadsheets read it as a number (a quantity of -5 stays -5); text never is.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;
/** A plain decimal as we format numbers: optional minus, digits, optional point and digits; no grouping, no exponent. */
const NUMERAL = /^-?\d+(?:\.\d+)?$/;

/** A decimal we formatted ourselves ("-12.500"), to be written as a number. */
export class CsvNumeral {
  constructor(readonly text: string) {}
}
export const numeral = (text: string): CsvNumeral => new CsvNumeral(text);

export type CsvCell = string | number | boolean | CsvNumeral | null | undefined;

/** A text cell: neutralised, then quoted when it holds a quote, comma or line break. */
export function csvText(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A number cell: a finite number or a plain decimal as is; anything else is not a number and is written as text. */
export function csvNumber(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return NUMERAL.test(value) ? value : csvText(value);
}

export function csvCell(cell: CsvCell): string {
  if (cell instanceof CsvNumeral) return csvNumber(cell.text);
  if (typeof cell === 'number') return csvNumber(cell);
  if (typeof cell === 'boolean') return String(cell);
  return csvText(cell);
}

/** One CSV line (with its CRLF). */
export function csvLine(cells: readonly CsvCell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** A whole CSV file: the header and rows. */
export function csvFile(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return csvLine(header) + rows.map(csvLine).join('');
}

/** A cell of a CSV we wrote, read back: the neutralising quote taken off again ("'=A1" → "=A1"). */
export function csvUnneutralise(value: string): string {
  return value.length > 1 && value[0] === "'" && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}
