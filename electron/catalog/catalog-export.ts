import { PassThrough } from 'node:stream';
import { excelJs } from '../operations/exceljs-on-demand';
import type { CatalogExportFile, CatalogSheetName } from '../../shared/catalog';
import { csvLine, csvSeparator } from '../../shared/csv';
import { numberSeparators } from '../../shared/quantity';
import type { CatalogContext } from './catalog-sheet';
import { CATALOG_SHEET_MODULES } from './catalog-sheets';

const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The catalog as a file that imports back unchanged: one sheet as CSV (decimals in the locale's separator, fields
 * separated by a semicolon where that is a comma, as Excel there opens it; text cells neutralised against formulas), or any sheets as one XLSX workbook (one worksheet each, text as text so barcodes keep
 * their leading zeros, decimals as numbers).
 */
export async function exportCatalog(ctx: CatalogContext, names: readonly CatalogSheetName[], format: 'csv' | 'xlsx'): Promise<CatalogExportFile> {
  const sheets = CATALOG_SHEET_MODULES.filter((s) => names.includes(s.name));
  const { decimal } = numberSeparators(ctx.locale);
  const base = sheets.length === 1 ? sheets[0]!.name : 'catalog';
  if (format === 'csv') {
    const sheet = sheets[0]!;
    const numeric = sheet.columns.map((c) => c.numeric === true);
    const rows = await ctx.run(sheet.exportRows(ctx));
    const separator = csvSeparator(ctx.locale);
    const parts = [csvLine(sheet.columns.map((c) => c.header), separator)];
    for (const r of rows) parts.push(csvLine(r.map((cell, i) => (numeric[i] && cell ? cell.replace('.', decimal) : cell)), separator));
    return { fileName: `${base}-${stamp(ctx.now)}.csv`, csv: parts.join(''), rows: rows.length };
  }
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const book = new (await excelJs()).stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  // Stamped with the export's clock, not the wall clock: the same catalog at the same time is the same file, on either store.
  book.created = book.modified = new Date(ctx.now);
  let total = 0;
  for (const sheet of sheets) {
    const ws = book.addWorksheet(sheet.title);
    ws.columns = sheet.columns.map((c) => ({ header: c.header, key: c.field, width: Math.max(10, c.header.length + 2) }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).commit();
    const numeric = sheet.columns.map((c) => c.numeric === true);
    for (const r of await ctx.run(sheet.exportRows(ctx))) {
      ws.addRow(r.map((cell, i) => (numeric[i] && cell ? Number(cell) : (cell ?? '')))).commit();
      total++;
    }
    ws.commit();
  }
  await book.commit();
  await ended;
  return { fileName: `${base}-${stamp(ctx.now)}.xlsx`, xlsxBase64: Buffer.concat(chunks).toString('base64'), rows: total };
}
