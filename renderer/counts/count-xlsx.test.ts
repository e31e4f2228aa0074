import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { CountLine, CountSessionInfo } from '../../shared/counts';
import { countSheetXlsx, XLSX_HEADER } from './count-xlsx';

const line = (over: Partial<CountLine>): CountLine => ({
  id: 1, version: 1, productId: 1, sku: 'RICE', name: 'Rice, "arborio"', unit: 'kg', scale: 3, tracking: 'LOT', binId: 1, binCode: 'A-01', batchId: 7, batchCode: 'L-24',
  systemQty: 10_000, countedQty: 9_500, movedQty: 0, movedAfterCount: 0, countedAt: null, resolution: 'by_time', adjustedQty: null, unitCost: 20_000, codeCount: 0, flaggedCount: 0, missingCount: 0, foundCount: 0, foundElsewhere: 0, missingSerials: [], foundSerials: [], ...over,
});
const session: CountSessionInfo = {
  id: 3, reference: 'SC-000003', siteId: 1, siteName: 'Main warehouse', binId: 1, binCode: 'A-01', notes: 'Cycle count', status: 'DRAFT', snapshotSeq: 1234, occurredAt: '2026-11-24T10:00:00.000Z', backdated: false,
  createdAt: '2026-11-24T10:00:00.000Z', createdBy: 'Admin', completedAt: null, completedBy: null, cancelledAt: null, cancelledBy: null, documentId: null,
  lineCount: 3, countedCount: 2,
};

/** Column number of a header (keys are not kept in the file). */
const c = (name: string) => XLSX_HEADER.indexOf(name) + 1;

async function readBack(buf: ArrayBuffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf);
  return wb;
}

describe('count sheet XLSX', () => {
  it('writes one row per line with numeric quantities in the line precision, blanks where not counted', async () => {
    const lines = [
      line({}),
      line({ id: 2, sku: 'TAP', name: 'Tap', unit: 'pc', scale: 0, tracking: 'SERIAL', batchId: null, batchCode: null, systemQty: 3, countedQty: 4 }),
      line({ id: 3, sku: 'OIL', name: 'Oil', unit: 'l', scale: 2, tracking: 'BULK', binCode: null, batchId: null, batchCode: null, systemQty: 1_250, countedQty: null }),
    ];
    const wb = await readBack(await countSheetXlsx(session, lines, 'UTC'));
    const ws = wb.getWorksheet('Count')!;
    expect(ws.rowCount).toBe(4);
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(XLSX_HEADER);
    expect(ws.getRow(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual([1, 'RICE', 'Rice, "arborio"', 'A-01', 'L-24', 'LOT', 'kg', 10, 9.5, -0.5]);
    expect(ws.getRow(2).getCell(c('counted_qty')).numFmt).toBe('#,##0.000');
    expect((ws.getRow(3).values as unknown[]).slice(1)).toEqual([2, 'TAP', 'Tap', 'A-01', undefined, 'SERIAL', 'pc', 3, 4, 1, 0, 0]);
    expect(ws.getRow(3).getCell(c('system_qty')).numFmt).toBe('#,##0');
    const blank = ws.getRow(4);
    expect(blank.getCell(c('sku')).value).toBe('OIL');
    expect(blank.getCell(c('bin')).value).toBeNull();
    expect(blank.getCell(c('system_qty')).value).toBe(12.5);
    expect(blank.getCell(c('system_qty')).numFmt).toBe('#,##0.00');
    expect(blank.getCell(c('counted_qty')).value).toBeNull();
    expect(blank.getCell(c('variance')).value).toBeNull();
  });

  it('names a serial line\'s missing and found units and which serials', async () => {
    const swap = line({ id: 2, sku: 'TAP', tracking: 'SERIAL', scale: 0, systemQty: 3, countedQty: 3, missingCount: 1, foundCount: 1, missingSerials: ['SN-44710'], foundSerials: ['SN-5000'] });
    const ws = (await readBack(await countSheetXlsx(session, [swap], 'UTC'))).getWorksheet('Count')!;
    expect(['missing', 'found', 'missing_serials', 'found_serials'].map((h) => ws.getRow(2).getCell(c(h)).value)).toEqual([1, 1, 'SN-44710', 'SN-5000']);
  });

  it('describes the session on a second sheet', async () => {
    const wb = await readBack(await countSheetXlsx(session, [line({})], 'UTC'));
    const info = wb.getWorksheet('Session')!;
    const facts = new Map<string, unknown>();
    info.eachRow((r) => facts.set(String(r.getCell(1).value), r.getCell(2).value));
    expect(facts.get('Reference')).toBe('SC-000003');
    expect(facts.get('Site')).toBe('Main warehouse');
    expect(facts.get('Scope')).toBe('Bin A-01 (cycle count)');
    expect(facts.get('Snapshot at')).toBe(1234);
    expect((facts.get('Created') as Date).toISOString()).toBe('2026-11-24T10:00:00.000Z');
    expect(facts.get('Lines')).toBe(1);
  });

  it('writes the session times as date cells of the business time zone’s wall time, and names the zone', async () => {
    const wb = await readBack(await countSheetXlsx({ ...session, createdAt: '2026-07-01T23:30:00.000Z' }, [line({})], 'Europe/London'));
    const info = wb.getWorksheet('Session')!;
    const rows = new Map<string, ExcelJS.Cell>();
    info.eachRow((r) => rows.set(String(r.getCell(1).value), r.getCell(2)));
    const created = rows.get('Created')!;
    expect(created.type).toBe(ExcelJS.ValueType.Date);
    expect((created.value as Date).toISOString()).toBe('2026-07-02T00:30:00.000Z'); // 23:30 UTC on 1 July is 00:30 on 2 July in London
    expect(rows.get('Time zone')!.value).toBe('Europe/London');
  });

  it('writes an empty sheet with just the header for a count without lines', async () => {
    const wb = await readBack(await countSheetXlsx({ ...session, binCode: null }, [], 'UTC'));
    expect(wb.getWorksheet('Count')!.rowCount).toBe(1);
  });
});
