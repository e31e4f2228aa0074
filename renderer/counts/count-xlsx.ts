import type { CountLine, CountSessionInfo } from '../../shared/counts';
import { localClock } from '../../shared/local-time';
import { serialUnitsCells } from './count-lines-view';

/**
 * Columns of the XLSX count sheet: the CSV's columns (so a filled-in sheet saved as CSV imports back), plus unit and
 * variance; a counted serial line's missing and found units and which serials.
 */
export const XLSX_HEADER = ['line_id', 'sku', 'name', 'bin', 'batch', 'tracking', 'unit', 'system_qty', 'counted_qty', 'variance', 'missing', 'found', 'missing_serials', 'found_serials'];
const WIDTHS = [9, 16, 36, 12, 16, 9, 7, 13, 13, 12, 9, 9, 30, 30];

const qtyFormat = (scale: number) => (scale > 0 ? `#,##0.${'0'.repeat(scale)}` : '#,##0');
const value = (units: number, scale: number) => units / 10 ** scale;

/**
 * The count sheet as an .xlsx workbook: sheet "Count" with one row per line (quantities as numbers in the line's
 * precision, counted and variance blank where not counted), and sheet "Session" with what the count is. Its times are
 * date cells of the local wall time in the business time zone, which the sheet names.
 */
export async function countSheetXlsx(session: CountSessionInfo, lines: CountLine[], timeZone: string): Promise<ArrayBuffer> {
  const clock = localClock(timeZone);
  const local = (at: string | number) => new Date(clock.wall(new Date(at).getTime()));
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Stockbook';
  const ws = wb.addWorksheet('Count', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = XLSX_HEADER.map((header, i) => ({ header, key: header, width: WIDTHS[i] }));
  ws.getRow(1).font = { bold: true };
  for (const l of lines) {
    const units = serialUnitsCells(l);
    const row = ws.addRow([
      l.id, l.sku, l.name, l.binCode ?? null, l.batchCode ?? null, l.tracking, l.unit,
      value(l.systemQty, l.scale),
      l.countedQty === null ? null : value(l.countedQty, l.scale),
      l.countedQty === null ? null : value(l.countedQty - l.systemQty, l.scale),
      ...(units ? [units.missing, units.found, units.missingSerials || null, units.foundSerials || null] : []),
    ]);
    for (const c of [8, 9, 10]) row.getCell(c).numFmt = qtyFormat(l.scale);
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: XLSX_HEADER.length } };

  const info = wb.addWorksheet('Session');
  info.columns = [{ width: 16 }, { width: 40 }];
  const facts: [string, string | number | Date | null][] = [
    ['Reference', session.reference],
    ['Status', session.status],
    ['Site', session.siteName],
    ['Scope', session.binCode ? `Bin ${session.binCode} (cycle count)` : 'Full count'],
    ['Snapshot at', session.snapshotSeq],
    ['Created', local(session.createdAt)],
    ['Created by', session.createdBy],
    ['Completed', session.completedAt ? local(session.completedAt) : null],
    ['Completed by', session.completedBy ?? null],
    ['Notes', session.notes ?? null],
    ['Lines', lines.length],
    ['Time zone', timeZone],
  ];
  for (const [k, v] of facts) {
    const r = info.addRow([k, v]);
    r.getCell(1).font = { bold: true };
    if (v instanceof Date) r.getCell(2).numFmt = 'yyyy-mm-dd hh:mm';
  }
  return (await wb.xlsx.writeBuffer()) as ArrayBuffer;
}
