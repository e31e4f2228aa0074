import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ON_COSTS } from '../../shared/domain';
import { closeVerified, jobFinished, storeForFile, type StoreUnderTest } from '../../test/fixtures/store-under-test';
import { exportHeader } from './movement-export';

/**
 * On-costs are visible (issue 13): the Enquiry's rows (and so its columns and a document's movements) and both exports
 * carry each movement's on-costs per unit and their value. 2.500 kg of rice received at £12.3456/kg with £1.20/kg
 * freight and £0.40/kg excise, then 0.750 kg despatched carrying the same on-costs. On the configured store
 * (test/fixtures/store-under-test.ts): SQLite by default, PostgreSQL in `npm run test:unit:pg`; the receipt, the
 * despatch, the Enquiry and both exports through the contract's operations.
 */
// The movement exports write under the app's data folder: a temporary one for this file.
const home = mkdtempSync(join(tmpdir(), 'stockbook-on-cost-columns-'));
process.env.STOCKBOOK_HOME = home;

const open = storeForFile();
let s: StoreUnderTest;
let n = 0;
const T0 = Date.UTC(2026, 0, 5, 9);
const ON = ON_COSTS.map((k) => (k === 'freight' ? 12_000 : k === 'excise' ? 4_000 : 0));

beforeAll(async () => {
  s = await open();
  const { bulk, wh } = s.ids;
  await s.call('company.update', { name: 'Test Kitchen Ltd', currency: 'GBP', timeZone: 'UTC', locale: 'en-GB', fyStartMonth: 1 });
  await s.call('operations.receive', {
    idempotencyKey: `on-cost-columns-${process.pid}-${++n}`, kind: 'stock_receipt', siteId: wh, dutyPaid: false, occurredAt: new Date(T0).toISOString(), reference: 'PO-1',
    lines: [{ productId: bulk, qty: 2_500, unitCost: 12_3456, onCosts: { freight: 12_000, excise: 4_000 } }],
  });
  // A despatch carries the site's latest on-costs per unit.
  await s.call('operations.despatch', {
    idempotencyKey: `on-cost-columns-${process.pid}-${++n}`, kind: 'stock_despatch', siteId: wh, occurredAt: new Date(T0 + 60_000).toISOString(), reference: 'SO-1',
    lines: [{ productId: bulk, qty: 750 }],
  });
}, 120_000);
afterAll(async () => {
  if (s) await closeVerified(s);
  rmSync(home, { recursive: true, force: true });
});

/** The file the movement export operation (enquiry.exportStart's worker op) writes, once its job has finished. */
async function exported(format: 'csv' | 'xlsx'): Promise<string> {
  const jobId = `on-cost-columns-export-${++n}`;
  const started = await s.ops['enquiry.exportStart'](jobId, { filter: {}, format, summary: '' });
  expect(await jobFinished(s, jobId)).toMatchObject({ ok: true });
  return started.file;
}

describe('on-costs in the Enquiry and its exports', () => {
  it('every Enquiry row (the movement list and a document’s movements) carries its on-costs per unit and their value', async () => {
    const { rows } = await s.call('enquiry.movements', { order: 'asc', limit: 10 });
    expect(rows.map((r) => [r.documentReference, r.onCosts, r.onCostValue])).toEqual([
      ['PO-1', ON, 40_000], // 2.5 kg × (£1.20 + £0.40)
      ['SO-1', ON, -12_000], // -0.75 kg × £1.60
    ]);
    const ofDocument = (await s.call('enquiry.movements', { filter: { documentId: rows[1]!.documentId }, order: 'asc', limit: 10 })).rows;
    expect(ofDocument.map((r) => [r.onCosts, r.onCostValue])).toEqual([[ON, -12_000]]);
  });

  it('CSV: a column per on-cost per unit and the on-cost value, as numbers', async () => {
    const [head, receipt, despatch] = readFileSync(await exported('csv'), 'utf8').replace(/^\uFEFF/, '').split('\r\n').map((l) => l.split(','));
    expect(head).toEqual(exportHeader('UTC'));
    const at = (name: string) => head!.indexOf(name);
    expect(at('Freight / unit')).toBeGreaterThan(0);
    expect([receipt![at('Freight / unit')], receipt![at('Excise duty / unit')], receipt![at('Insurance / unit')], receipt![at('On-cost value')]]).toEqual(['1.2000', '0.4000', '0.0000', '4.0000']);
    expect([despatch![at('Freight / unit')], despatch![at('On-cost value')]]).toEqual(['1.2000', '-1.2000']);
  });

  it('XLSX: the same columns as number cells', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await exported('xlsx'));
    const ws = wb.getWorksheet('Movements')!;
    const head = (ws.getRow(1).values as unknown[]).slice(1);
    expect(head).toEqual(exportHeader('UTC'));
    const col = (name: string) => head.indexOf(name) + 1;
    expect(ws.getRow(2).getCell(col('Freight / unit')).value).toBe(1.2);
    expect(ws.getRow(2).getCell(col('Excise duty / unit')).value).toBe(0.4);
    expect(ws.getRow(2).getCell(col('On-cost value')).value).toBe(4);
    expect(ws.getRow(3).getCell(col('On-cost value')).value).toBe(-1.2);
  });
});
