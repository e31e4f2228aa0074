import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MovementView } from '../../shared/enquiry';
import { closeVerified, jobFinished, storeForFile, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/**
 * Issue 13: a backdated receipt must not make the Enquiry say "→ 106" for a day when stock was 7. Today (recorded
 * first) 99 arrive; then a delivery of 7 from three days ago is booked. In recording order the 7 leaves 106; on its
 * own date, 7. On the configured store (test/fixtures/store-under-test.ts): SQLite by default, PostgreSQL in
 * `npm run test:unit:pg`; the receipts, the company's time zone, the enquiry, the batch journey and both exports all
 * through the contract's operations.
 */
// The movement exports write under the app's data folder: a temporary one for this file.
const home = mkdtempSync(join(tmpdir(), 'stockbook-balance-on-date-'));
process.env.STOCKBOOK_HOME = home;

const LONDON = 'Europe/London';
const DAY = 86_400_000;
const NOW = Date.parse('2026-07-10T09:00:00Z');
let now = NOW;
const open = storeForFile();
let s: StoreUnderTest;
let n = 0;
const iso = (t: number) => new Date(t).toISOString();

beforeAll(async () => {
  s = await open({ clock: () => now });
  await s.call('company.update', { name: 'Test Kitchen Ltd', currency: 'GBP', timeZone: LONDON, locale: 'en-GB', fyStartMonth: 1 });
  const receipt = (qty: number, at: number, reference: string, code = 'L-1') =>
    s.call('operations.receive', {
      idempotencyKey: `balance-on-date-${process.pid}-${++n}`, kind: 'stock_receipt', siteId: s.ids.wh, dutyPaid: false, occurredAt: iso(at), reference,
      lines: [{ productId: s.ids.lot, qty, unitCost: 10_000, batch: { code, expiry: '2027-12-31' } }],
    });
  await receipt(99, NOW, 'PO-TODAY');
  now = NOW + 60_000;
  await receipt(7, NOW - 3 * DAY, 'PO-LATE');
  // Effective 23:30 BST on 10 July (22:30Z), recorded 00:10 BST on 11 July (23:10Z): the same UTC day, the day before in London.
  now = Date.parse('2026-07-10T23:10:00Z');
  await receipt(1, Date.parse('2026-07-10T22:30:00Z'), 'PO-LATE-EVENING', 'L-2');
}, 120_000);
afterAll(async () => {
  if (s) await closeVerified(s);
  rmSync(home, { recursive: true, force: true });
});

const page = async (order: 'asc' | 'desc', filter = {}) => (await s.call('enquiry.movements', { filter, order, limit: 50 })).rows;
const byRef = (rows: MovementView[]) => Object.fromEntries(rows.map((r) => [r.documentReference, { asRecorded: r.balanceAfter, onThatDate: r.balanceOnDate, backdated: r.backdated }]));
const batch = async (code: string) => (await s.rows<{ id: number }>('SELECT id FROM batches WHERE code = ?', [code]))[0]!.id;

describe('balance on that date beside the balance as recorded', () => {
  it('a receipt backdated three days: as recorded → 106, on that date → 7; the later one reads 106 on its date', async () => {
    const expected = {
      'PO-LATE': { asRecorded: 106, onThatDate: 7, backdated: true },
      'PO-TODAY': { asRecorded: 99, onThatDate: 106, backdated: false },
      'PO-LATE-EVENING': { asRecorded: 107, onThatDate: 107, backdated: true },
    };
    expect(byRef(await page('desc'))).toEqual(expected);
    expect(byRef(await page('asc'))).toEqual(expected);
    // A filter that leaves other movements of the product out still counts them in both balances.
    expect(byRef(await page('desc', { batchId: await batch('L-2') }))).toEqual({ 'PO-LATE-EVENING': expected['PO-LATE-EVENING'] });
    expect(byRef(await page('asc', { batchId: await batch('L-1') }))).toEqual({ 'PO-LATE': expected['PO-LATE'], 'PO-TODAY': expected['PO-TODAY'] });
  });

  it('marks the movement effective 23:30 London time the evening before it was recorded (the same UTC day)', async () => {
    const evening = (await page('desc')).find((r) => r.documentReference === 'PO-LATE-EVENING')!;
    expect(new Date(evening.occurredAt).toISOString().slice(0, 10)).toBe(new Date(evening.recordedAt).toISOString().slice(0, 10));
    expect(evening.backdated).toBe(true);
  });

  it('the batch journey marks the backdated step and carries both balances', async () => {
    const j = await s.call('enquiry.batchJourney', { batchId: await batch('L-1') });
    expect(j.steps.map((x) => [x.documentReference, x.backdated, x.balanceAfter, x.balanceOnDate, x.remainder])).toEqual([
      ['PO-LATE', true, 106, 7, 7],
      ['PO-TODAY', false, 99, 106, 106],
    ]);
  });

  /** The file the movement export operation (enquiry.exportStart's worker op) writes, once its job has finished. */
  async function exported(format: 'csv' | 'xlsx'): Promise<string> {
    const jobId = `balance-on-date-export-${++n}`;
    const started = await s.ops['enquiry.exportStart'](jobId, { filter: {}, format, summary: '' });
    expect(await jobFinished(s, jobId)).toMatchObject({ ok: true });
    return started.file;
  }

  it('both exports carry Backdated, the recorded time and both balances', async () => {
    const cols = [`Recorded at (${LONDON})`, 'Backdated', 'Balance (as recorded)', 'Balance on that date', 'Source reference'];
    const [head, ...lines] = readFileSync(await exported('csv'), 'utf8').replace(/^\uFEFF/, '').split('\r\n').filter(Boolean).map((l) => l.split(','));
    const pick = (line: string[]) => cols.map((c) => line[head!.indexOf(c)]);
    expect(lines.map(pick)).toEqual([
      ['2026-07-10 10:01:00', 'yes', '106', '7', 'PO-LATE'],
      ['2026-07-10 10:00:00', 'no', '99', '106', 'PO-TODAY'],
      ['2026-07-11 00:10:00', 'yes', '107', '107', 'PO-LATE-EVENING'],
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await exported('xlsx'));
    const ws = wb.getWorksheet('Movements')!;
    const xhead = (ws.getRow(1).values as unknown[]).slice(1);
    const row = ws.getRow(2);
    const cell = (c: string) => row.getCell(xhead.indexOf(c) + 1).value;
    expect((cell(cols[0]!) as Date).toISOString()).toBe('2026-07-10T10:01:00.000Z'); // London wall time as a date cell
    expect(cols.slice(1).map(cell)).toEqual(['yes', 106, 7, 'PO-LATE']);
  });
});
