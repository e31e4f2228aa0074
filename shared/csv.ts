/**
 * The one CSV writer for every CSV the app writes (movement export, count sheet, posting report, Sage/Xero journal
 * files), in the renderer and in main. RFC 4180: a field holding a quote, the separator or a line break is quoted, quotes
 * doubled; lines end in CRLF. The separator is a comma, or a semicolon for a file whose numbers are written with a decimal
 * comma (csvSeparator: what Excel in Germany or France opens into columns); our importers read either. Spreadsheet formula injection is neutralised (OWASP): a text cell that starts with = + - @ TAB or
 * CR is prefixed with a single quote. Numbers are typed: a number, or a decimal we formatted ourselves wrapped in
 * `numeral()`, is written raw so spreadsheets read it as a number (a quantity of -5 stays -5); text never is.
 */
import { numberSeparators } from './quantity';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = { ',': /[",\r\n]/, ';': /[";\r\n]/ } as const;

export type CsvSeparator = keyof typeof NEEDS_QUOTES;

/**
 * The field separator of a CSV whose numbers are written in the locale: a semicolon where the decimal separator is a
 * comma (de-DE "1.234,56", fr-FR), as spreadsheets there expect, so no number needs quoting; else a comma.
 */
export function csvSeparator(locale: string): CsvSeparator {
  return numberSeparators(locale).decimal === ',' ? ';' : ',';
}
/** A plain decimal as we format numbers: optional minus, digits, optional point and digits; no grouping, no exponent. */
const NUMERAL = /^-?\d+(?:\.\d+)?$/;

/** A decimal we formatted ourselves ("-12.500"), to be written as a number. */
export class CsvNumeral {
  constructor(readonly text: string) {}
}
export const numeral = (text: string): CsvNumeral => new CsvNumeral(text);

export type CsvCell = string | number | boolean | CsvNumeral | null | undefined;

/** A text cell: neutralised, then quoted when it holds a quote, the separator or a line break. */
export function csvText(value: string | null | undefined, separator: CsvSeparator = ','): string {
  if (value === null || value === undefined || value === '') return '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES[separator].test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * A number cell: a finite number or a plain decimal as is (its point a comma in a ';' file, whose numbers are written
 * with a decimal comma: "12,5"); anything else is not a number and is written as text.
 */
export function csvNumber(value: number | string | null | undefined, separator: CsvSeparator = ','): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : NUMERAL.test(value) ? value : null;
  if (text === null) return csvText(value as string, separator);
  return separator === ';' ? text.replace('.', ',') : text;
}

export function csvCell(cell: CsvCell, separator: CsvSeparator = ','): string {
  if (cell instanceof CsvNumeral) return csvNumber(cell.text, separator);
  if (typeof cell === 'number') return csvNumber(cell, separator);
  if (typeof cell === 'boolean') return String(cell);
  return csvText(cell, separator);
}

/** One CSV line (with its CRLF), its fields joined by the separator. */
export function csvLine(cells: readonly CsvCell[], separator: CsvSeparator = ','): string {
  return `${cells.map((c) => csvCell(c, separator)).join(separator)}\r\n`;
}

/** A whole CSV file: the header and rows. */
export function csvFile(header: readonly string[], rows: readonly (readonly CsvCell[])[], separator: CsvSeparator = ','): string {
  return csvLine(header, separator) + rows.map((r) => csvLine(r, separator)).join('');
}

/** A cell of a CSV we wrote, read back: the neutralising quote taken off again ("'=A1" → "=A1"). */
export function csvUnneutralise(value: string): string {
  return value.length > 1 && value[0] === "'" && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

/**
 * A data row with values past the header's last column has its columns shifted: most often a number written with a
 * decimal comma in a comma-separated file ("10,5" read as 10 and 5), or a separator inside an unquoted value. Such a
 * row is never read (the counted quantity, cost or name would be another column's): the problem to show, or null.
 */
export function shiftedRowProblem(cells: readonly string[], headerLength: number): string | null {
  if (!cells.some((cell, i) => i >= headerLength && cell.trim() !== '')) return null;
  return `The row has ${cells.length} values but the header names ${headerLength} columns, so its columns may be shifted: a number with a decimal comma in a comma-separated file, or a comma or semicolon inside a value. Quote such values (or save the file with ';' between fields) and preview again.`;
}

/** The separator a CSV file uses: ';' where its header line holds more semicolons than commas, else ','. */
export function separatorOfHeader(text: string): CsvSeparator {
  const header = text.slice(0, Math.max(0, text.indexOf('\n')) || text.length);
  return (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ';' : ',';
}
