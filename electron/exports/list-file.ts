import { closeSync, openSync, writeSync } from 'node:fs';
import { AppError } from '../../shared/contract/errors';
import { csvLine, CsvNumeral, type CsvCell, type CsvSeparator } from '../../shared/csv';
import type { ExportFormat } from '../../shared/enquiry';
import { writeAtomically, type ExportProgress } from '../enquiry/movement-export';
import { EMPTY_BODY, numberBody, rowXml, textBody, XlsxWriter, type XlsxWriterOptions } from './xlsx-writer';

/** A list as an export reads it: its column headers, how many rows it holds, and its rows in chunks. */
export interface ListSource {
  /** What a row is ("lines", "accounts"). */
  noun: string;
  /** The worksheet's name in an .xlsx. */
  sheet: string;
  header: string[];
  total: number;
  chunks(): AsyncIterable<CsvCell[][]> | Iterable<CsvCell[][]>;
}

const yieldToOthers = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Writes a list to CSV (UTF-8 with BOM, CRLF, formulas neutralised) or XLSX (numbers as numbers), atomically: a
 * cancel or failure leaves no file. Returns the number of data rows in the file, which is what the job reports.
 */
export function writeListFile(
  source: ListSource,
  format: ExportFormat,
  file: string,
  signal: AbortSignal,
  progress: (p: ExportProgress) => void,
  xlsx: XlsxWriterOptions = {},
  separator: CsvSeparator = ',',
): Promise<number> {
  return writeAtomically(file, async (part) => (format === 'xlsx' ? writeXlsx(source, part, signal, progress, xlsx) : writeCsv(source, part, signal, progress, separator)));
}

function checkCancelled(signal: AbortSignal, done: number, total: number): void {
  if (signal.aborted) throw new AppError('CANCELLED', `The export was cancelled after ${done} of ${total} rows; no file was left behind.`);
}

/** The CSV: fields separated by `separator` (';' writes its decimals with a comma, csvNumber). */
async function writeCsv(source: ListSource, part: string, signal: AbortSignal, progress: (p: ExportProgress) => void, separator: CsvSeparator): Promise<number> {
  const fd = openSync(part, 'w');
  let done = 0;
  try {
    writeSync(fd, `\uFEFF${csvLine(source.header, separator)}`);
    for await (const rows of source.chunks()) {
      checkCancelled(signal, done, source.total);
      writeSync(fd, rows.map((r) => csvLine(r, separator)).join(''));
      done += rows.length;
      progress({ done, total: source.total, phase: 'writing' });
      await yieldToOthers();
    }
    checkCancelled(signal, done, source.total);
    progress({ done, total: source.total, phase: 'writing' });
  } finally {
    closeSync(fd);
  }
  return done;
}

/** A cell's XLSX body: a number or a decimal we formatted as a number cell, text inline (never a formula), a boolean as one. */
function cellBody(c: CsvCell): string {
  if (c === null || c === undefined) return EMPTY_BODY;
  if (c instanceof CsvNumeral) return NUMERAL.test(c.text) ? numberBody(c.text) : textBody(c.text);
  if (typeof c === 'number') return Number.isFinite(c) ? numberBody(c) : EMPTY_BODY;
  if (typeof c === 'boolean') return ` t="b"><v>${c ? 1 : 0}</v></c>`;
  return textBody(c);
}
const NUMERAL = /^-?\d+(?:\.\d+)?$/;

/** XLSX through our streaming writer (XlsxWriter: sheet XML through fflate's zip), chosen over exceljs by measurement (issue 15). */
async function writeXlsx(source: ListSource, part: string, signal: AbortSignal, progress: (p: ExportProgress) => void, options: XlsxWriterOptions): Promise<number> {
  const w = new XlsxWriter(part, options);
  let done = 0;
  try {
    await w.startSheet(source.sheet, source.header.map((header) => ({ header, width: Math.max(10, header.length + 2) })));
    for await (const rows of source.chunks()) {
      checkCancelled(signal, done, source.total);
      for (const r of rows) w.row(rowXml(++done + 1, r.map(cellBody)));
      progress({ done, total: source.total, phase: 'writing' });
      await w.drain();
      await yieldToOthers();
    }
    checkCancelled(signal, done, source.total);
    await w.finish();
  } catch (e) {
    w.abort();
    throw e;
  }
  return done;
}
