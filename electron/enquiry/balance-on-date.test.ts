import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { machineDefaults } from '../company/company-rules';
import { CompanyStore } from '../company/company-store';
import type { MovementView } from '../../shared/enquiry';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { batchJourney } from './batch-journey';
import { exportMovementsCsv, exportMovementsXlsx } from './sqlite-movement-export';
import { MovementQuery, StatementCache } from './movement-query';

/**
 * Issue 13: a backdated receipt must not make the Enquiry say "→ 106" for a day when stock was 7. Today (recorded
 * first) 99 arrive; then a delivery of 7 from three days ago is booked. In recording order the 7 leaves 106; on its
 * own date, 7.
 */
const LONDON = 'Europe/London';
const DAY = 86_400_000;
const NOW = Date.parse('2026-07-10T09:00:00Z');
let now = NOW;
let f: Fixture;
const iso = (t: number) => new Date(t).toISOString();

beforeAll(async () => {
  f = await openFixture({ clock: () => now });
  new CompanyStore(f.ledger.db).saveSettings({ ...machineDefaults(), timeZone: LONDON }, NOW);
  const { lot, wh, admin } = f.ids;
  const receipt = (qty: number, at: number, reference: string, code = 'L-1') =>
    f.ledger.poster.post(f.doc('receipt', [{ productId: lot, siteId: wh, type: 'stock_receipt', qty, unitCost: 10_000, batch: { code } }], { occurredAt: iso(at), reference }), admin);
  receipt(99, NOW, 'PO-TODAY');
  now = NOW + 60_000;
  receipt(7, NOW - 3 * DAY, 'PO-LATE');
  // Effective 23:30 BST on 10 July (22:30Z), recorded 00:10 BST on 11 July (23:10Z): the same UTC day, the day before in London.
  now = Date.parse('2026-07-10T23:10:00Z');
  receipt(1, Date.parse('2026-07-10T22:30:00Z'), 'PO-LATE-EVENING', 'L-2');
});
afterAll(() => f.cleanup());

const page = (order: 'asc' | 'desc', filter = {}) => new MovementQuery(f.ledger.db, filter, new StatementCache(f.ledger.db)).page(order, 50).rows;
const byRef = (rows: MovementView[]) => Object.fromEntries(rows.map((r) => [r.documentReference, { asRecorded: r.balanceAfter, onThatDate: r.balanceOnDate, backdated: r.backdated }]));

describe('balance on that date beside the balance as recorded', () => {
  it('a receipt backdated three days: as recorded → 106, on that date → 7; the later one reads 106 on its date', () => {
    const expected = {
      'PO-LATE': { asRecorded: 106, onThatDate: 7, backdated: true },
      'PO-TODAY': { asRecorded: 99, onThatDate: 106, backdated: false },
      'PO-LATE-EVENING': { asRecorded: 107, onThatDate: 107, backdated: true },
    };
    expect(byRef(page('desc'))).toEqual(expected);
    expect(byRef(page('asc'))).toEqual(expected);
    // A filter that leaves other movements of the product out still counts them in both balances.
    const batch = (code: string) => f.ledger.db.prepare('SELECT id FROM batches WHERE code = ?').pluck().get(code) as number;
    expect(byRef(page('desc', { batchId: batch('L-2') }))).toEqual({ 'PO-LATE-EVENING': expected['PO-LATE-EVENING'] });
    expect(byRef(page('asc', { batchId: batch('L-1') }))).toEqual({ 'PO-LATE': expected['PO-LATE'], 'PO-TODAY': expected['PO-TODAY'] });
  });

  it('marks the movement effective 23:30 London time the evening before it was recorded (the same UTC day)', () => {
    const evening = page('desc').find((r) => r.documentReference === 'PO-LATE-EVENING')!;
    expect(new Date(evening.occurredAt).toISOString().slice(0, 10)).toBe(new Date(evening.recordedAt).toISOString().slice(0, 10));
    expect(evening.backdated).toBe(true);
  });

  it('the batch journey marks the backdated step and carries both balances', () => {
    const batch = f.ledger.db.prepare("SELECT id FROM batches WHERE code = 'L-1'").pluck().get() as number;
    const j = batchJourney(f.ledger.db, batch);
    expect(j.steps.map((s) => [s.documentReference, s.backdated, s.balanceAfter, s.balanceOnDate, s.remainder])).toEqual([
      ['PO-LATE', true, 106, 7, 7],
      ['PO-TODAY', false, 99, 106, 106],
    ]);
  });

  it('both exports carry Backdated, the recorded time and both balances', async () => {
    const cols = [`Recorded at (${LONDON})`, 'Backdated', 'Balance (as recorded)', 'Balance on that date', 'Source reference'];
    const csv = join(f.dir, 'exports', 'late.csv');
    await exportMovementsCsv(f.ledger.db, new StatementCache(f.ledger.db), {}, csv, new AbortController().signal, () => {}, LONDON);
    const [head, ...lines] = readFileSync(csv, 'utf8').replace(/^\uFEFF/, '').split('\r\n').filter(Boolean).map((l) => l.split(','));
    const pick = (line: string[]) => cols.map((c) => line[head!.indexOf(c)]);
    expect(lines.map(pick)).toEqual([
      ['2026-07-10 10:01:00', 'yes', '106', '7', 'PO-LATE'],
      ['2026-07-10 10:00:00', 'no', '99', '106', 'PO-TODAY'],
      ['2026-07-11 00:10:00', 'yes', '107', '107', 'PO-LATE-EVENING'],
    ]);
    const xlsx = join(f.dir, 'exports', 'late.xlsx');
    await exportMovementsXlsx(f.ledger.db, new StatementCache(f.ledger.db), {}, xlsx, new AbortController().signal, () => {}, LONDON);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    const ws = wb.getWorksheet('Movements')!;
    const xhead = (ws.getRow(1).values as unknown[]).slice(1);
    const row = ws.getRow(2);
    const cell = (c: string) => row.getCell(xhead.indexOf(c) + 1).value;
    expect((cell(cols[0]!) as Date).toISOString()).toBe('2026-07-10T10:01:00.000Z'); // London wall time as a date cell
    expect(cols.slice(1).map(cell)).toEqual(['yes', 106, 7, 'PO-LATE']);
  });
});
