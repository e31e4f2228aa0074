import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ON_COSTS } from '../../shared/domain';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { exportHeader } from './movement-export';
import { exportMovementsCsv, exportMovementsXlsx } from './sqlite-movement-export';
import { MovementQuery, StatementCache } from './movement-query';

/**
 * On-costs are visible (issue 13): the Enquiry's rows (and so its columns and a document's movements) and both exports
 * carry each movement's on-costs per unit and their value. 2.500 kg of rice received at £12.3456/kg with £1.20/kg
 * freight and £0.40/kg excise, then 0.750 kg despatched carrying the same on-costs.
 */
let f: Fixture;
const T0 = Date.UTC(2026, 0, 5, 9);
const ON = ON_COSTS.map((k) => (k === 'freight' ? 12_000 : k === 'excise' ? 4_000 : 0));

beforeAll(async () => {
  f = await openFixture();
  const { bulk, wh, admin } = f.ids;
  f.ledger.poster.post(f.doc('receipt', [{ productId: bulk, siteId: wh, type: 'stock_receipt', qty: 2_500, unitCost: 12_3456, onCosts: { freight: 12_000, excise: 4_000 } }], { occurredAt: new Date(T0).toISOString(), reference: 'PO-1' }), admin);
  f.ledger.poster.post(f.doc('despatch', [{ productId: bulk, siteId: wh, type: 'stock_despatch', qty: -750, onCosts: { freight: 12_000, excise: 4_000 } }], { occurredAt: new Date(T0 + 60_000).toISOString(), reference: 'SO-1' }), admin);
});
afterAll(() => f.cleanup());

describe('on-costs in the Enquiry and its exports', () => {
  it('every Enquiry row (the movement list and a document’s movements) carries its on-costs per unit and their value', () => {
    const rows = new MovementQuery(f.ledger.db, {}, new StatementCache(f.ledger.db)).page('asc', 10).rows;
    expect(rows.map((r) => [r.documentReference, r.onCosts, r.onCostValue])).toEqual([
      ['PO-1', ON, 40_000], // 2.5 kg × (£1.20 + £0.40)
      ['SO-1', ON, -12_000], // -0.75 kg × £1.60
    ]);
    const doc = rows[1]!.documentId;
    const ofDocument = new MovementQuery(f.ledger.db, { documentId: doc }, new StatementCache(f.ledger.db)).page('asc', 10).rows;
    expect(ofDocument.map((r) => [r.onCosts, r.onCostValue])).toEqual([[ON, -12_000]]);
  });

  it('CSV: a column per on-cost per unit and the on-cost value, as numbers', async () => {
    const file = join(f.dir, 'exports', 'oc.csv');
    await exportMovementsCsv(f.ledger.db, new StatementCache(f.ledger.db), {}, file, new AbortController().signal, () => {}, 'UTC');
    const [head, receipt, despatch] = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split('\r\n').map((l) => l.split(','));
    expect(head).toEqual(exportHeader('UTC'));
    const at = (name: string) => head!.indexOf(name);
    expect(at('Freight / unit')).toBeGreaterThan(0);
    expect([receipt![at('Freight / unit')], receipt![at('Excise duty / unit')], receipt![at('Insurance / unit')], receipt![at('On-cost value')]]).toEqual(['1.2000', '0.4000', '0.0000', '4.0000']);
    expect([despatch![at('Freight / unit')], despatch![at('On-cost value')]]).toEqual(['1.2000', '-1.2000']);
  });

  it('XLSX: the same columns as number cells', async () => {
    const file = join(f.dir, 'exports', 'oc.xlsx');
    await exportMovementsXlsx(f.ledger.db, new StatementCache(f.ledger.db), {}, file, new AbortController().signal, () => {}, 'UTC');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
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
