import { closeSync, openSync, writeSync } from 'node:fs';
import { AppError } from '../../shared/contract/errors';
import { csvLine, CsvNumeral, type CsvCell } from '../../shared/csv';
import type { ExportFormat } from '../../shared/enquiry';
import { writeAtomically, type ExportProgress } from '../enquiry/movement-export';

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
export function writeListFile(source: ListSource, format: ExportFormat, file: string, signal: AbortSignal, progress: (p: ExportProgress) => void): Promise<number> {
  return writeAtomically(file, async (part) => (format === 'xlsx' ? writeXlsx(source, part, signal, progress) : writeCsv(source, part, signal, progress)));
}

function checkCancelled(signal: AbortSignal, done: number, total: number): void {
  if (signal.aborted) throw new AppError('CANCELLED', `The export was cancelled after ${done} of ${total} rows; no file was left behind.`);
}

async function writeCsv(source: ListSource, part: string, signal: AbortSignal, progress: (p: ExportProgress) => void): Promise<number> {
  const fd = openSync(part, 'w');
  let done = 0;
  try {
    writeSync(fd, `\uFEFF${csvLine(source.header)}`);
    for await (const rows of source.chunks()) {
      checkCancelled(signal, done, source.total);
      writeSync(fd, rows.map(csvLine).join(''));
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

async function writeXlsx(source: ListSource, part: string, signal: AbortSignal, progress: (p: ExportProgress) => void): Promise<number> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: part, useStyles: true, useSharedStrings: false });
  wb.creator = 'Stockbook';
  const ws = wb.addWorksheet(source.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = source.header.map((header, i) => ({ header, key: String(i), width: Math.max(10, header.length + 2) }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  let done = 0;
  try {
    for await (const rows of source.chunks()) {
      checkCancelled(signal, done, source.total);
      for (const r of rows) ws.addRow(r.map((c) => (c instanceof CsvNumeral ? Number(c.text) : (c ?? null)))).commit();
      done += rows.length;
      progress({ done, total: source.total, phase: 'writing' });
      await yieldToOthers();
    }
    checkCancelled(signal, done, source.total);
    ws.commit();
    await wb.commit();
  } catch (e) {
    await wb.commit().catch(() => undefined);
    throw e;
  }
  return done;
}
