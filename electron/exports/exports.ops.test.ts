import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportWhat } from '../../shared/contract/exports.schemas';
import { catalogOn } from '../../test/fixtures/catalog-on-store';
import { CATALOG_PRODUCT_HEADER } from '../../test/fixtures/catalog-csv';
import { closeVerified, jobFinished, postUpTo, storeForFile, type StoreUnderTest } from '../../test/fixtures/store-under-test';
import { LIST_CHUNK } from './list-sources';
import { parseCsv } from '../operations/csv-parse';

/**
 * List exports on the configured store (test/fixtures/store-under-test.ts): SQLite by default, PostgreSQL in
 * `npm run test:unit:pg`. A ledger with more product-sites than one export chunk, some low and out, and a posted trial
 * balance, all made through the contract (a catalog import, two inventory imports, a despatch, a posting run); each
 * list exported by an exports job and compared with the window's own answer. exports.pg-ops.test.ts compares the two
 * stores' files byte for byte.
 */
// The exports are written under the app's data folder: a temporary one for this file.
const home = mkdtempSync(join(tmpdir(), 'stockbook-exports-'));
process.env.STOCKBOOK_HOME = home;

const open = storeForFile();
let s: StoreUnderTest;
const T0 = Date.UTC(2026, 0, 5, 9);
const PRODUCTS = LIST_CHUNK + 37;
/** The first half of the products was received at T0, the rest two hours later. */
const HALF = Math.floor(PRODUCTS / 2);
const ZONE = 'Europe/London';

beforeAll(async () => {
  let now = Date.UTC(2026, 5, 1);
  s = await open({ clock: () => (now += 1000) });
  await s.call('company.update', { name: 'Test Kitchen Ltd', currency: 'GBP', timeZone: ZONE, locale: 'en-GB', fyStartMonth: 1 });
  const sku = (i: number) => `P-${String(i).padStart(5, '0')}`;
  const catalog = [CATALOG_PRODUCT_HEADER];
  for (let i = 0; i < PRODUCTS; i++) catalog.push([sku(i), i % 50 === 0 ? `"=Formula, ""${i}"""` : `Product ${i}`, '', '', 'each', '0', 'Supplied', 'BULK', 'yes', '5', 'yes', ''].join(','));
  await catalogOn(s).run({ csv: `${catalog.join('\r\n')}\r\n`, fileName: 'products.csv' });
  // Every product at WH1 (qty 1…20: some low), every tenth also at the shop, where it is sold out a day later.
  const ids = new Map((await s.rows<{ id: number; sku: string }>("SELECT id, sku FROM products WHERE sku LIKE 'P-%'")).map((p) => [p.sku, p.id]));
  expect(ids.size).toBe(PRODUCTS);
  for (const [part, from, to] of [[1, 0, HALF], [2, HALF, PRODUCTS]] as const) {
    const rows = ['sku,site,bin,qty,batch,expiry,serial,unit_cost'];
    for (let i = from; i < to; i++) {
      rows.push(`${sku(i)},WH1,A-01,${1 + (i % 20)},,,,1.00`);
      if (i % 10 === 0) rows.push(`${sku(i)},BAR,,2,,,,1.00`);
    }
    const jobId = `exports-opening-${process.pid}-${part}`;
    const occurredAt = new Date(T0 + (part - 1) * 2 * 3_600_000).toISOString();
    await s.call('operations.importStart', { csv: `${rows.join('\n')}\n`, kind: 'inventory_import', jobId, idempotencyKey: `${jobId}-key`, fileName: `opening-${part}.csv`, occurredAt });
    expect(await jobFinished(s, jobId)).toMatchObject({ ok: true });
  }
  const sold = Array.from({ length: PRODUCTS }, (_, i) => i).filter((i) => i % 10 === 0);
  await s.call('operations.despatch', { idempotencyKey: `exports-sale-${process.pid}`, kind: 'sale', siteId: s.ids.shop, occurredAt: new Date(T0 + 86_400_000).toISOString(), lines: sold.map((i) => ({ productId: ids.get(sku(i))!, qty: 2 })) });
  await postUpTo(s, new Date(T0 + 2 * 86_400_000).toISOString());
}, 600_000);
afterAll(async () => {
  if (s) await closeVerified(s);
  rmSync(home, { recursive: true, force: true });
});

let jobs = 0;
async function exportAndWait(what: ExportWhat, format: 'csv' | 'xlsx' = 'csv', file: string | null = null) {
  const jobId = `export-test-${process.pid}-${++jobs}`;
  const started = await s.ops['exports.start'](jobId, what, format, 'test', file);
  const outcome = await jobFinished(s, jobId);
  return { started, outcome, info: (await s.call('exports.job', { jobId }))! };
}

/** Data rows of a CSV export (header and the empty string after the last CRLF left out). */
const csvRows = (file: string) => readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split('\r\n').slice(1, -1);
const count = async (sql: string, params: unknown[] = []) => Number((await s.rows<{ n: number | string }>(sql, params))[0]!.n);

describe('list exports', () => {
  it('Current Stock: every product-site across chunks; the done count is the rows in the file', async () => {
    const { outcome, info } = await exportAndWait({ list: 'currentStock', query: { status: 'all', sort: 'sku', direction: 'asc' } });
    expect(outcome.ok).toBe(true);
    const total = (await s.call('stock.current', { status: 'all', sort: 'sku', direction: 'asc', limit: 1, offset: 0 })).total;
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
    expect(readFileSync(info.file, 'utf8').split('\r\n')[0]).toBe(`\uFEFFSKU,Product,Site,Site name,Stock type,On hand,Unit,Low-stock level,Status,Last movement (${ZONE})`);
    // Sorted as the window sorts; a formula-like name is neutralised and quoted.
    expect(rows[0]!.startsWith('P-00000,"\'=Formula, ""0""",BAR,')).toBe(true);
    expect(rows.filter((r) => r.includes(',Out of stock,')).length).toBe(Math.ceil(PRODUCTS / 10));
  });

  it('Low stock: the low and out product-sites, the same count the window shows', async () => {
    const { info } = await exportAndWait({ list: 'lowStock', query: { includeOut: true } });
    const page = await s.call('stock.current', { status: 'low_or_out', sort: 'sku', direction: 'asc', limit: 1, offset: 0 });
    expect(page.lowCount).toBeGreaterThan(0);
    expect(info.rows).toBe(page.lowCount + page.outCount);
    expect(csvRows(info.file).length).toBe(info.rows);
    expect(csvRows(info.file).every((r) => /,(Low|Out of stock),/.test(r))).toBe(true);
  });

  it('Stock at a date, per product and site and per bin and batch, as XLSX too', async () => {
    const at = new Date(T0 + 3_600_000).toISOString();
    const { info } = await exportAndWait({ list: 'stockAt', query: { at, level: 'site' } });
    const expected = (await s.call('enquiry.stockAt', { at, level: 'site', offset: 0, limit: 5000 })).total;
    const productSites = `SELECT COUNT(*) AS n FROM (SELECT DISTINCT product_id, site_id FROM movements WHERE occurred_at <= ? AND site_id != ?) x`;
    expect(expected).toBe(await count(productSites, [T0 + 3_600_000, s.ids.external]));
    expect(expected).toBe(HALF + Math.ceil(HALF / 10)); // the first import only: WH1 and the shop's
    expect(info.rows).toBe(expected);
    expect(csvRows(info.file).length).toBe(expected);
    const x = await exportAndWait({ list: 'stockAt', query: { at, level: 'batch' } }, 'xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(x.info.file);
    const ws = wb.getWorksheet('Stock at date')!;
    expect(ws.getRow(1).values).toEqual([undefined, 'SKU', 'Product', 'Site', 'Bin', 'Batch', 'Expiry', 'Quantity', 'Unit']);
    expect(x.info.rows).toBe(expected);
    expect(ws.actualRowCount - 1).toBe(x.info.rows);
    expect(typeof ws.getRow(2).getCell(7).value).toBe('number');
  });

  it('Trial balance: one row per account, balancing to zero', async () => {
    const { info } = await exportAndWait({ list: 'trialBalance', target: 'builtin' });
    const tb = await s.call('posting.trialBalance', { target: 'builtin' });
    expect(tb.rows.length).toBeGreaterThan(1);
    const rows = csvRows(info.file);
    expect(info.rows).toBe(tb.rows.length);
    expect(rows.length).toBe(tb.rows.length);
    expect(rows.reduce((n, r) => n + Number(r.split(',').at(-1)), 0)).toBeCloseTo(0, 4);
  });

  it('Inventory transactions: the movement export, to the file the user chose', async () => {
    const chosen = join(home, 'chosen', 'my transactions.csv');
    const to = T0 + 99_000;
    const { info } = await exportAndWait({ list: 'movements', filter: { occurred: { to } } }, 'csv', chosen);
    expect(info.file).toBe(chosen);
    // The desktop's Save dialog chose it: the whole path, as the user picked it.
    expect(info.fileName).toBe(chosen);
    expect(info.rows).toBe(await count('SELECT COUNT(*) AS n FROM movements WHERE occurred_at <= ?', [to]));
    expect(info.rows).toBeGreaterThan(0);
    expect(csvRows(chosen).length).toBe(info.rows);
    expect(existsSync(`${chosen}.part`)).toBe(false);
  });

  it('A decimal-comma company (de-DE) gets its lists separated by ";" with decimal commas, cell for cell as the "," file holds them', async () => {
    const lists: ExportWhat[] = [{ list: 'trialBalance', target: 'builtin' }, { list: 'currentStock', query: { status: 'all', sort: 'sku', direction: 'asc' } }];
    const read = (file: string) => parseCsv(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
    const comma = [];
    for (const what of lists) comma.push(read((await exportAndWait(what)).info.file));
    await s.call('company.update', { name: 'Test Kitchen Ltd', currency: 'GBP', timeZone: ZONE, locale: 'de-DE', fyStartMonth: 1 });
    try {
      for (const [i, what] of lists.entries()) {
        const { info } = await exportAndWait(what);
        expect(readFileSync(info.file, 'utf8').split('\r\n')[0]).toBe(`\uFEFF${comma[i]![0]!.join(';')}`);
        const semi = read(info.file);
        expect(semi.length).toBe(comma[i]!.length);
        let decimals = 0;
        comma[i]!.forEach((row, r) => {
          expect(semi[r]!.length).toBe(row.length);
          row.forEach((cell, c) => {
            if (/^-?\d+\.\d+$/.test(cell)) decimals++;
            expect(semi[r]![c]).toBe(cell.replace(/^(-?\d+)\.(\d+)$/, '$1,$2'));
          });
        });
        // the trial balance's money has 4 decimals; this ledger's stock is counted in each (no decimals)
        if (what.list === 'trialBalance') expect(decimals).toBeGreaterThan(0);
      }
    } finally {
      await s.call('company.update', { name: 'Test Kitchen Ltd', currency: 'GBP', timeZone: ZONE, locale: 'en-GB', fyStartMonth: 1 });
    }
  });
});
