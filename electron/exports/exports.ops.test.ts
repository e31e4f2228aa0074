import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobFinished } from '../../shared/domain';
import type { ExportWhat } from '../../shared/contract/exports.schemas';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { businessTimeZone } from '../company/business-time-zone';
import { enquiryOps } from '../enquiry/enquiry.ops';
import { createWorkerContext } from '../ledger/worker-context';
import { runPosting } from '../posting/batch-runner';
import { PostingStore } from '../posting/posting-store';
import { BuiltinLedgerTarget } from '../posting/targets/builtin-ledger';
import { exportsOps, type ExportsOps } from './exports.ops';
import { LIST_CHUNK } from './list-sources';

/** A ledger with more product-sites than one export chunk, some low and out, and a posted trial balance. */
let f: Fixture;
let ops: ExportsOps;
const finished = new Map<string, (f: JobFinished) => void>();
const T0 = Date.UTC(2026, 0, 5, 9);
const PRODUCTS = LIST_CHUNK + 37;

beforeAll(async () => {
  f = await openFixture();
  const ctx = createWorkerContext(f.ledger, (event, payload) => {
    if (event === 'job.finished') finished.get((payload as JobFinished).jobId)?.(payload as JobFinished);
  });
  const { wh, shop } = f.ids;
  const r = f.ledger.reference;
  const ids = Array.from({ length: PRODUCTS }, (_, i) => r.addProduct({ sku: `P-${String(i).padStart(5, '0')}`, name: i % 50 === 0 ? `=Formula, "${i}"` : `Product ${i}`, stockType: 'Supplied', lowStockLevel: 5 }));
  // Every product at WH (qty 1…20: some low), every tenth also at the shop and sold out there.
  const docs = ids.map((productId, i) => {
    const lines = [{ productId, siteId: wh, type: 'stock_receipt' as const, qty: 1 + (i % 20), unitCost: 1_0000 }];
    if (i % 10 === 0) lines.push({ productId, siteId: shop, type: 'stock_receipt' as const, qty: 2, unitCost: 1_0000 });
    return f.doc('receipt', lines, { occurredAt: new Date(T0 + i * 1000).toISOString() });
  });
  f.ledger.poster.postMany(docs, f.ids.admin);
  const sells = ids.filter((_, i) => i % 10 === 0).map((productId) => f.doc('despatch', [{ productId, siteId: shop, type: 'stock_despatch', qty: -2 }], { occurredAt: new Date(T0 + 86_400_000).toISOString() }));
  f.ledger.poster.postMany(sells, f.ids.admin);
  const store = new PostingStore(f.ledger.db);
  await runPosting(store, new BuiltinLedgerTarget(store), { to: T0 + 86_400_000 * 2, summarised: false, userId: f.ids.admin });
  ops = exportsOps(ctx, { exportsDir: join(f.dir, 'exports') });
}, 120_000);
afterAll(() => f.cleanup());

async function exportAndWait(what: ExportWhat, format: 'csv' | 'xlsx' = 'csv', file: string | null = null) {
  const jobId = `export-test-${Math.random().toString(36).slice(2)}`;
  const done = new Promise<JobFinished>((resolve) => finished.set(jobId, resolve));
  const started = ops.exportsStart(jobId, what, format, 'test', file);
  const outcome = await done;
  return { started, outcome, info: ops['exports.job']({ jobId })! };
}

/** Data rows of a CSV export (header and the empty string after the last CRLF left out). */
const csvRows = (file: string) => readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split('\r\n').slice(1, -1);
const count = (sql: string) => f.ledger.db.prepare(sql).pluck().get() as number;

describe('list exports', () => {
  it('Current Stock: every product-site across chunks; the done count is the rows in the file', async () => {
    const { outcome, info } = await exportAndWait({ list: 'currentStock', query: { status: 'all', sort: 'sku', direction: 'asc' } });
    expect(outcome.ok).toBe(true);
    const total = f.ledger.queries.currentStock({ status: 'all', sort: 'sku', direction: 'asc', limit: 1, offset: 0 }).total;
    expect(total).toBeGreaterThan(LIST_CHUNK);
    const rows = csvRows(info.file);
    expect(info.status).toBe('done');
    expect(info.rows).toBe(rows.length);
    expect(rows.length).toBe(total);
    expect(outcome.message).toContain(`Exported ${total.toLocaleString('en-GB')} lines`);
    // A file Stockbook chose (browser mode: the user gets it as a download) is named by its name only, never the server's path.
    expect(info.fileName).toBe(basename(info.file));
    expect(outcome.message).toMatch(new RegExp(` to ${info.fileName.replace(/[.]/g, '\\.')}\\.$`));
    expect(outcome.message).not.toContain(dirname(info.file));
    expect(readFileSync(info.file, 'utf8').split('\r\n')[0]).toBe('\uFEFFSKU,Product,Site,Site name,Stock type,On hand,Unit,Low-stock level,Status,Last movement (' + businessTimeZone(f.ledger.db) + ')');
    // Sorted as the window sorts; a formula-like name is neutralised and quoted.
    expect(rows[0]!.startsWith('P-00000,"\'=Formula, ""0""",BAR,')).toBe(true);
    expect(rows.filter((r) => r.includes(',Out of stock,')).length).toBe(Math.ceil(PRODUCTS / 10));
  });

  it('Low stock: the low and out product-sites, the same count the window shows', async () => {
    const { info } = await exportAndWait({ list: 'lowStock', query: { includeOut: true } });
    const page = f.ledger.queries.currentStock({ status: 'low_or_out', sort: 'sku', direction: 'asc', limit: 1, offset: 0 });
    expect(info.rows).toBe(page.lowCount + page.outCount);
    expect(csvRows(info.file).length).toBe(info.rows);
    expect(csvRows(info.file).every((r) => /,(Low|Out of stock),/.test(r))).toBe(true);
  });

  it('Stock at a date, per product and site and per bin and batch, as XLSX too', async () => {
    const at = new Date(T0 + 3_600_000).toISOString();
    const { info } = await exportAndWait({ list: 'stockAt', query: { at, level: 'site' } });
    const expected = enquiryOps(createWorkerContext(f.ledger, () => undefined))['enquiry.stockAt']({ at, level: 'site', offset: 0, limit: 5000 }).total;
    expect(expected).toBe(count(`SELECT COUNT(DISTINCT product_id || ':' || site_id) FROM movements WHERE occurred_at <= ${T0 + 3_600_000} AND site_id != ${f.ids.external}`));
    expect(info.rows).toBe(expected);
    expect(csvRows(info.file).length).toBe(expected);
    const x = await exportAndWait({ list: 'stockAt', query: { at, level: 'batch' } }, 'xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(x.info.file);
    const ws = wb.getWorksheet('Stock at date')!;
    expect(ws.getRow(1).values).toEqual([undefined, 'SKU', 'Product', 'Site', 'Bin', 'Batch', 'Expiry', 'Quantity', 'Unit']);
    expect(ws.actualRowCount - 1).toBe(x.info.rows);
    expect(typeof ws.getRow(2).getCell(7).value).toBe('number');
  });

  it('Trial balance: one row per account, balancing to zero', async () => {
    const { info } = await exportAndWait({ list: 'trialBalance', target: 'builtin' });
    const tb = new PostingStore(f.ledger.db).trialBalance('builtin');
    expect(tb.rows.length).toBeGreaterThan(1);
    const rows = csvRows(info.file);
    expect(info.rows).toBe(tb.rows.length);
    expect(rows.length).toBe(tb.rows.length);
    expect(rows.reduce((n, r) => n + Number(r.split(',').at(-1)), 0)).toBeCloseTo(0, 4);
  });

  it('Inventory transactions: the movement export, to the file the user chose', async () => {
    const chosen = join(f.dir, 'chosen', 'my transactions.csv');
    const { info } = await exportAndWait({ list: 'movements', filter: { occurred: { to: T0 + 99_000 } } }, 'csv', chosen);
    expect(info.file).toBe(chosen);
    // The desktop's Save dialog chose it: the whole path, as the user picked it.
    expect(info.fileName).toBe(chosen);
    expect(info.rows).toBe(count(`SELECT COUNT(*) FROM movements WHERE occurred_at <= ${T0 + 99_000}`));
    expect(csvRows(chosen).length).toBe(info.rows);
    expect(existsSync(`${chosen}.part`)).toBe(false);
  });
});
