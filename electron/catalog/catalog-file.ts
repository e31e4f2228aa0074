import { excelJs } from '../operations/exceljs-on-demand';
import { AppError } from '../../shared/contract/errors';
import { csvUnneutralise } from '../../shared/csv';
import { numberSeparators } from '../../shared/quantity';
import { parseCsvNumbered } from '../operations/csv-parse';
import { cellText, refuseGarbledText, type ImportFile } from '../operations/import-file';

/** One table of a catalog file: a CSV file, or one worksheet of a workbook (named). Row numbers as a spreadsheet shows them. */
export interface RawSheet {
  worksheet: string | null;
  rows: { row: number; cells: string[] }[];
}

/** What an import cancelled before its file was read and checked says, on either store (the read's job thread or the writer). */
export const cancelledWhileReading = () => new AppError('CANCELLED', 'The import was cancelled while reading the file; nothing was written.');

/**
 * Reads a catalog file: a CSV (RFC 4180, BOM, comma or semicolon; one sheet), or every worksheet of an XLSX workbook.
 * Cells are trimmed; in a CSV the formula-neutralising quote the export wrote ("'=x") is taken off again (an XLSX cell is never a formula).
 * `signal` (an import's cancel) is looked at once, when the workbook is loaded: the worksheets are then read in one
 * synchronous pass, during which no cancel can arrive.
 */
export async function readCatalogFile(file: ImportFile, locale: string, signal?: AbortSignal): Promise<RawSheet[]> {
  if (file.xlsxBase64) return readWorkbook(file.xlsxBase64, locale, signal);
  if (!file.csv?.trim()) throw new AppError('VALIDATION', 'The file is empty. Choose a CSV or XLSX file with a header row and data rows.', { field: 'csv' });
  const read = parseCsvNumbered(file.csv);
  refuseGarbledText(read);
  return [{ worksheet: null, rows: read.rows.map((cells, i) => ({ row: read.fileRows[i]!, cells: cells.map((c) => csvUnneutralise(c.trim())) })) }];
}

async function readWorkbook(base64: string, locale: string, signal: AbortSignal | undefined): Promise<RawSheet[]> {
  const { decimal } = numberSeparators(locale);
  const book = new (await excelJs()).Workbook();
  try {
    await book.xlsx.load(Buffer.from(base64, 'base64') as unknown as ArrayBuffer);
  } catch (e) {
    throw new AppError('VALIDATION', `The file is not a readable XLSX workbook (${(e as Error).message}). Save it from Excel as .xlsx, or export each sheet as CSV.`, { field: 'xlsxBase64' });
  }
  if (signal?.aborted) throw cancelledWhileReading();
  return book.worksheets.map((sheet) => {
    const rows: RawSheet['rows'] = [];
    const width = sheet.columnCount;
    sheet.eachRow({ includeEmpty: false }, (r) => {
      const cells: string[] = [];
      for (let c = 1; c <= width; c++) cells.push(cellText(r.getCell(c).value, decimal).trim());
      if (cells.some((x) => x !== '')) rows.push({ row: r.number, cells });
    });
    return { worksheet: sheet.name, rows };
  });
}
