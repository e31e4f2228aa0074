import { createHash } from 'node:crypto';
import type ExcelJS from 'exceljs';
import { excelJs } from './exceljs-on-demand';
import { AppError } from '../../shared/contract/errors';
import { numberSeparators } from '../../shared/quantity';
import { csvRowName, parseCsvNumbered, type NumberedRows } from './csv-parse';

/** An import file as the user sent it: CSV text, or an XLSX workbook in base64. */
export interface ImportFile {
  csv?: string | undefined;
  xlsxBase64?: string | undefined;
}

/**
 * A cell as the text a user would have typed in a CSV: dates as YYYY-MM-DD, formulas as their result, numbers with
 * the locale's decimal separator and no grouping (so the one number parser reads a number cell exactly, never rounded).
 */
export function cellText(value: ExcelJS.CellValue, decimal: string): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number') return String(value).replace('.', decimal);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('text' in value) return String(value.text);
  if ('result' in value) return cellText(value.result as ExcelJS.CellValue, decimal);
  if ('error' in value) return String(value.error);
  return '';
}

/** The first worksheet of an XLSX file as rows of text (empty rows left out), like a CSV typed in `locale`, with each row's number in the sheet. */
export async function readXlsx(base64: string, locale: string): Promise<NumberedRows> {
  const { decimal } = numberSeparators(locale);
  const book = new (await excelJs()).Workbook();
  try {
    await book.xlsx.load(Buffer.from(base64, 'base64') as unknown as ArrayBuffer);
  } catch (e) {
    throw new AppError('VALIDATION', `The file is not a readable XLSX workbook (${(e as Error).message}). Save it from Excel as .xlsx, or export it as CSV.`, { field: 'xlsxBase64' });
  }
  const sheet = book.worksheets[0];
  if (!sheet) throw new AppError('VALIDATION', 'The workbook has no worksheet. Put the rows on the first sheet.', { field: 'xlsxBase64' });
  const rows: string[][] = [];
  const fileRows: number[] = [];
  const width = sheet.columnCount;
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c).value, decimal).trim());
    if (cells.some((x) => x !== '')) {
      rows.push(cells);
      fileRows.push(row.number);
    }
  });
  return { rows, fileRows };
}

/**
 * The sha256 of a file's content: an XLSX file's bytes (as `sha256sum` gives); a CSV file's text as UTF-8 without a
 * BOM (the renderer sends CSV decoded, so the same rows saved as UTF-8, UTF-16 or Windows-1252 are one content).
 */
export function importContentHash(file: ImportFile): string {
  const h = createHash('sha256');
  if (file.xlsxBase64) h.update(Buffer.from(file.xlsxBase64, 'base64'));
  else h.update((file.csv ?? '').replace(/^\uFEFF/, ''), 'utf8');
  return h.digest('hex');
}

/**
 * The rows of an import file, whichever format it came in, each with its row number as the file's viewer shows it;
 * XLSX number cells written in `locale` (the file's chosen format).
 */
export async function readImportFile(file: ImportFile, locale: string): Promise<NumberedRows> {
  if (file.xlsxBase64) return readXlsx(file.xlsxBase64, locale);
  if (!file.csv?.trim()) throw new AppError('VALIDATION', 'The file is empty. Choose a CSV or XLSX file with a header row and data rows.', { field: 'csv' });
  const read = parseCsvNumbered(file.csv);
  refuseGarbledText(read);
  return read;
}

/**
 * Text that was decoded in the wrong encoding or is not text at all: NUL characters (UTF-16 read as UTF-8, or a
 * binary file) or U+FFFD replacement characters (bytes that were not valid in the encoding used). Refused whole,
 * naming the first such row (as the file's viewer numbers it), rather than imported as garbled SKUs, batches or serials.
 */
export function refuseGarbledText({ rows, fileRows }: NumberedRows): void {
  for (let r = 0; r < rows.length; r++) {
    const name = csvRowName(fileRows[r] ?? r + 1);
    const Row = `${name[0]!.toUpperCase()}${name.slice(1)}`;
    for (const cell of rows[r]!) {
      if (cell.includes('\u0000')) {
        throw new AppError('VALIDATION', `${Row} holds NUL characters: the file is not CSV text, or is UTF-16 read as UTF-8. Save it from Excel as "CSV UTF-8" and preview again.`, { field: 'csv', row: fileRows[r] ?? r + 1 });
      }
      if (cell.includes('\uFFFD')) {
        throw new AppError('VALIDATION', `${Row} holds characters that are not valid in the file's encoding (shown as \uFFFD). Save the file from Excel as "CSV UTF-8" and preview again.`, { field: 'csv', row: fileRows[r] ?? r + 1 });
      }
    }
  }
}
