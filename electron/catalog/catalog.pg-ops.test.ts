import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import type pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CATALOG_SHEETS, type CatalogExportFile, type CatalogPreview } from '../../shared/catalog';
import type { CatalogImportInput } from '../../shared/contract/catalog.schemas';
import { asUser } from '../../test/fixtures/caller';
import { catalogProductsCsv } from '../../test/fixtures/catalog-csv';
import { pgErrorsOn, settledOrWaiting, writeBetween } from '../../test/fixtures/pg-servers';
import { clusterForFile } from '../../test/fixtures/both-ledgers';
import { answer, outcomeOf, refused as refusedAs, sideBySide, steppedClock } from '../../test/fixtures/both-stores';
import type { ProductRecord } from '../../shared/masterdata';
import { productCreateSchema, type ProductUpdateInput } from '../../shared/contract/masterdata.schemas';
import type { PgLedgerOps, PgWorkerContext } from '../ledger/pg/pg-ops';
import { migratePg } from '../ledger/pg/pg-data-source';
import type { PgConnection } from '../ledger/pg/pg-types';
import { openPool } from '../ledger/pg/pg-types';
import { createPgWorkerContext } from '../ledger/pg/pg-worker-context';
import { allPgOps } from '../ledger/pg/pg-worker-ops';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { createWorkerContext, type WorkerContext } from '../ledger/worker-context';
import { catalogOps, type CatalogOps } from './catalog.ops';
import { PgCatalogStore } from './pg-catalog-store';
import { CATALOG_PRODUCT_BATCH } from './catalog-records';

/**
 * Catalog import and export on both stores (issue 17): the same workbook previewed, imported (a job) and exported
 * through the SQLite worker's operations (catalog.ops.ts) and PostgreSQL's (catalog.pg-ops.ts, through
 * PG_CAPABILITIES), on two empty ledgers at the same clock; the answers, refusals, job outcomes, events and exported
 * files must be the same. Then a cancelled import, a second import of the same file, and two servers importing one
 * file at once.
 */
const cluster = clusterForFile();
const { clock, start, tick } = steppedClock(60_000);
const ALL = ['read:stock', 'manage:products', 'manage:sites', 'post:movements'];
let dir: string;
let ledger: SqliteLedger;
let connection: PgConnection;
let pool: pg.Pool;
let sqliteCtx: WorkerContext;
let pgCtx: PgWorkerContext;
let sqliteOps: CatalogOps;
let pgOps: PgLedgerOps;
let admin: number;
let databases = 0;
const events = { sqlite: [] as unknown[], pg: [] as unknown[] };
let both: ReturnType<typeof sideBySide<CatalogOps>>;

beforeEach(async () => {
  start();
  dir = mkdtempSync(join(tmpdir(), 'stockbook-cat-pg-'));
  ledger = await SqliteLedger.open(join(dir, 'ledger.db'), { clock });
  connection = cluster().createDatabase(`cat_ops_${process.pid}_${++databases}`);
  await migratePg(connection);
  pool = openPool(connection);
  admin = ledger.reference.userId('admin');
  events.sqlite.length = 0;
  events.pg.length = 0;
  sqliteCtx = createWorkerContext(ledger, (e, p) => events.sqlite.push([e, p]));
  sqliteOps = catalogOps(sqliteCtx, clock);
  pgCtx = createPgWorkerContext(pool, connection, (e, p) => events.pg.push([e, p]), clock);
  pgOps = allPgOps(pgCtx, []);
  both = sideBySide(sqliteOps, pgOps, asUser(admin, ALL), events);
});
afterEach(async () => {
  await sqliteCtx?.jobs.close();
  await ledger?.close();
  rmSync(dir, { recursive: true, force: true });
  await pool?.end();
});

type Finished = { jobId: string; kind: string; ok: boolean; cancelled: boolean; message: string };
const finishedIn = (list: unknown[], jobId: string) =>
  list.map((e) => e as [string, Finished]).find(([event, p]) => event === 'job.finished' && p.jobId === jobId)?.[1];
async function finished(list: unknown[], jobId: string): Promise<Finished> {
  for (;;) {
    const done = finishedIn(list, jobId);
    if (done) return done;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
const jobEnd = (list: unknown[]) => list.filter((e) => (e as [string])[0] !== 'job.progress');

let jobs = 0;
/** The import job on SQLite, then on PostgreSQL: the same job.finished, the same events but progress (throttled by time). */
async function importBoth(input: Omit<CatalogImportInput, 'jobId'>): Promise<Finished> {
  const jobId = `cat-both-${++jobs}`;
  events.sqlite.length = 0;
  events.pg.length = 0;
  expect(sqliteOps['catalog.importStart']({ ...input, jobId }, asUser(admin, ALL))).toEqual({ started: true });
  const a = await finished(events.sqlite, jobId);
  expect(await pgOps['catalog.importStart']({ ...input, jobId }, asUser(admin, ALL))).toEqual({ started: true });
  const b = await finished(events.pg, jobId);
  expect(b).toEqual(a);
  expect(jobEnd(events.pg)).toEqual(jobEnd(events.sqlite));
  return a;
}

const pgCount = async (sql: string) => (await pool.query<{ n: number }>(sql)).rows[0]!.n;
const pgCounts = async () => {
  const out: Record<string, number> = {};
  for (const t of ['sites', 'bins', 'product_groups', 'suppliers', 'products', 'product_barcodes', 'product_sites', 'product_supplier_codes', 'recipe_versions', 'audit_log']) {
    out[t] = await pgCount(`SELECT COUNT(*) AS n FROM ${t}`);
  }
  return out;
};

/** A workbook of every sheet, each referring to records of the sheets before it (created by the same file). */
async function workbook(over: { rice?: string } = {}): Promise<string> {
  const book = new ExcelJS.Workbook();
  const sheet = (title: string, rows: (string | number)[][]) => {
    const ws = book.addWorksheet(title);
    for (const r of rows) ws.addRow(r);
  };
  sheet('Sites', [['Code', 'Name', 'Kind', 'Allow negative stock', 'Active'], ['WH', 'Central Warehouse', 'warehouse', 'no', 'yes'], ['KIT', 'Kitchen; hot', 'kitchen', 'yes', 'yes']]);
  sheet('Bins', [['Site', 'Code', 'Name', 'Stock status', 'Active'], ['WH', 'A-01', 'Shelf A', 'sellable', 'yes'], ['KIT', 'HOLD', 'Shelf, top', 'quarantine', 'no']]);
  sheet('Product groups', [['Group code', 'Group name', 'Post on-costs', 'Active'], ['DRY', 'Dry goods', 'yes', 'yes'], ['WINE', 'Wine', 'no', 'yes']]);
  sheet('Suppliers', [['Supplier code', 'Supplier name', 'Country', 'In EC', 'Contact name', 'Email'], ['ACME', 'Acme Foods', 'FR', '', 'Jo', 'jo@acme.example'], ['BRIT', 'Brit Supply', 'GB', 'no', '', '']]);
  sheet('Products', [
    ['SKU', 'Name', 'Description', 'Barcodes', 'Unit', 'Decimals', 'Stock type', 'Tracking', 'Stock keeping', 'Low-stock level', 'Group', 'Country of origin', 'Variant attributes', 'Parent SKU', 'Variant values'],
    ['RICE-1KG', over.rice ?? 'Arborio rice', 'Said "fresh"', '4006381333931', 'kg', '3', 'Supplied', 'BULK', 'yes', '2.5', 'DRY', 'IT', '', '', ''],
    ['CLARET-75', 'Claret 2019', '', '', 'ea', '0', 'Supplied', 'LOT', 'yes', '', 'WINE', '', '', '', ''],
    ['RISOTTO', 'Risotto', '', '', 'ea', '0', 'Recipe', 'BULK', 'no', '', '', '', '', '', ''],
    ['TEE', 'T-shirt', '', '', 'ea', '0', 'Supplied', 'BULK', 'no', '', '', '', 'Size=S|M', '', ''],
    ['TEE-M', 'T-shirt M', '', '5012345678900', 'ea', '0', 'Supplied', 'BULK', 'yes', '', '', '', '', 'TEE', 'Size=M'],
  ]);
  sheet('Product sites', [['SKU', 'Site code', 'Site low-stock level', 'Default bin code'], ['RICE-1KG', 'WH', '1.25', 'A-01'], ['CLARET-75', 'KIT', '3', '']]);
  sheet('Supplier codes', [["Supplier code", 'SKU', "Supplier's product code"], ['ACME', 'RICE-1KG', 'A-100'], ['BRIT', 'CLARET-75', 'B-1']]);
  sheet('Recipes', [['Recipe SKU', 'Effective from', 'Component SKU', 'Qty per unit'], ['RISOTTO', '', 'RICE-1KG', '0.2'], ['RISOTTO', '', 'CLARET-75', '1'], ['RISOTTO', '2026-06-01', 'RICE-1KG', '0.25']]);
  return Buffer.from(await book.xlsx.writeBuffer()).toString('base64');
}

/** Each part of an XLSX file (the zip's entries; the entries' own time stamps are the zip's, not the file's content). */
const parts = (base64: string) => Object.fromEntries(Object.entries(unzipSync(Buffer.from(base64, 'base64'))).map(([name, bytes]) => [name, Buffer.from(bytes).toString('utf8')]));

/** Another Stockbook server on the same PostgreSQL: its own pool and its PostgreSQL operations. */
async function withServer(run: (server: { pool: pg.Pool; ops: PgLedgerOps }) => Promise<void>): Promise<void> {
  const other = openPool(connection);
  try {
    await run({ pool: other, ops: allPgOps(createPgWorkerContext(other, connection, () => undefined, clock), []) });
  } finally {
    await other.end();
  }
}

/** The product form's fields of a record, as the editor sends them back. */
const asUpdate = ({ hasMovements: _m, onHand: _o, groupCode: _g, variantLabel: _l, variantCount: _c, ...fields }: ProductRecord & { onHand?: unknown }): ProductUpdateInput => fields;
const productId = async (sku: string) => (await pool.query<{ id: number }>('SELECT id FROM products WHERE sku = $1', [sku])).rows[0]!.id;

/** A product form saved on `ops`' server: the record read there, `change` made, saved. */
async function formSave(ops: PgLedgerOps, sku: string, change: Partial<ProductUpdateInput>): Promise<ProductRecord> {
  const p = await ops['masterdata.product']({ id: await productId(sku) });
  return ops['masterdata.productUpdate']({ ...asUpdate(p), ...change }, asUser(admin, ALL));
}

let imports = 0;
/** A catalog import job on `ops`' server, to its end. */
async function importOn(ops: PgLedgerOps, list: unknown[], csv: string): Promise<Finished> {
  const jobId = `cat-pg-${++imports}`;
  await ops['catalog.importStart']({ csv, fileName: `${jobId}.csv`, locale: 'en-GB', jobId }, asUser(admin, ALL));
  return finished(list, jobId);
}

describe('catalog import and export on SQLite and PostgreSQL', () => {
  it('previews, imports and exports the same workbook alike: answers, job outcome, events and the files byte for byte', async () => {
    const xlsxBase64 = await workbook();
    const preview = answer<CatalogPreview>(await both('catalog.preview', { xlsxBase64, locale: 'en-GB' }));
    expect(preview.problems).toEqual([]);
    expect(preview.sheets.map((s) => [s.sheet, s.creates])).toEqual([
      ['sites', 2], ['bins', 2], ['groups', 2], ['suppliers', 2], ['products', 5], ['productSites', 2], ['supplierCodes', 2], ['recipes', 3],
    ]);
    tick();
    const done = await importBoth({ xlsxBase64, fileName: 'catalog.xlsx', locale: 'en-GB' });
    expect(done).toMatchObject({ ok: true, message: expect.stringMatching(/^Imported catalog\.xlsx: sites 2 created/) as string });
    expect(events.pg).toContainEqual(['stock.changed', { documentId: null, reason: 'catalog' }]);

    tick();
    // Unchanged now, on both; and a changed name is one update on both.
    const again = answer<CatalogPreview>(await both('catalog.preview', { xlsxBase64, locale: 'en-GB' }));
    expect(again.sheets.every((s) => s.creates + s.updates === 0)).toBe(true);
    expect(answer<CatalogPreview>(await both('catalog.preview', { xlsxBase64: await workbook({ rice: 'Carnaroli' }), locale: 'en-GB' })).sheets.find((s) => s.sheet === 'products')).toMatchObject({ updates: 1 });

    for (const locale of ['en-GB', 'de-DE']) {
      for (const sheet of CATALOG_SHEETS) {
        const file = answer<CatalogExportFile>(await both('catalog.export', { sheets: [sheet], format: 'csv', locale }));
        expect(file.rows, `${sheet} rows`).toBeGreaterThan(0);
      }
    }
    const a = await sqliteOps['catalog.export']({ sheets: [...CATALOG_SHEETS], format: 'xlsx', locale: 'en-GB' });
    const b = await pgOps['catalog.export']({ sheets: [...CATALOG_SHEETS], format: 'xlsx', locale: 'en-GB' });
    expect({ ...b, xlsxBase64: '' }).toEqual({ ...a, xlsxBase64: '' });
    expect(parts(b.xlsxBase64!)).toEqual(parts(a.xlsxBase64!));
    // The export imports back unchanged on PostgreSQL too.
    const back = answer<CatalogPreview>(await both('catalog.preview', { xlsxBase64: b.xlsxBase64!, locale: 'en-GB' }));
    expect(back.problemCount).toBe(0);
    expect(back.sheets.every((s) => s.creates + s.updates === 0)).toBe(true);
  });

  it('refuses alike: a file with problems (nothing written), and a sheet the caller may not change', async () => {
    const before = await pgCounts();
    const bad = 'SKU,Name,Unit,Decimals\nA-1,Apples,kg,7\nA-1,Apples again,kg,0\nB-2,,ea,0\n';
    const p = answer<CatalogPreview>(await both('catalog.preview', { csv: bad, locale: 'en-GB' }));
    expect(p.problemCount).toBeGreaterThanOrEqual(2);
    const refused = await importBoth({ csv: bad, fileName: 'bad.csv', locale: 'en-GB' });
    expect(refused).toMatchObject({ ok: false, cancelled: false, message: expect.stringMatching(/nothing was imported/) as string });
    expect(await pgCounts()).toEqual(before);
    expect(refusedAs(await both('catalog.preview', { csv: ' ', locale: 'en-GB' }))).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/The file is empty/) as string });
    expect(refusedAs(await both('catalog.preview', { xlsxBase64: 'bm90IGEgd29ya2Jvb2s=', locale: 'en-GB' }))).toMatchObject({ code: 'VALIDATION' });
    const sites = 'Code,Name\nKIT,Kitchen\n';
    const limited = sideBySide(sqliteOps, pgOps, asUser(admin, ['read:stock', 'manage:products']), events);
    expect(answer<CatalogPreview>(await limited('catalog.preview', { csv: sites, locale: 'en-GB' })).problems[0]!.message).toMatch(/needs the “Manage sites and bins” permission\. Ask an administrator for it \(Settings → Users\)/);
  });

  it('a second import of the same file imports nothing: the same answer on both, no second audit entry', async () => {
    const xlsxBase64 = await workbook();
    await importBoth({ xlsxBase64, fileName: 'catalog.xlsx', locale: 'en-GB' });
    const after = await pgCounts();
    tick();
    const second = await importBoth({ xlsxBase64, fileName: 'catalog.xlsx', locale: 'en-GB' });
    expect(second).toMatchObject({ ok: true, message: 'Nothing to import: all 20 rows of catalog.xlsx match the catalog already.' });
    expect(await pgCounts()).toEqual(after);
  });

  it('an import cancelled before it writes writes nothing and says so, as on SQLite', async () => {
    const before = await pgCounts();
    const csv = catalogProductsCsv(20_000);
    sqliteOps['catalog.importStart']({ csv, locale: 'en-GB', jobId: 'cancel-1' }, asUser(admin, ALL));
    expect(sqliteCtx.cancelJob('cancel-1')).toBe(true);
    await pgOps['catalog.importStart']({ csv, locale: 'en-GB', jobId: 'cancel-1' }, asUser(admin, ALL));
    expect(pgCtx.cancelJob('cancel-1')).toBe(true);
    const a = await finished(events.sqlite, 'cancel-1');
    const b = await finished(events.pg, 'cancel-1');
    expect(a).toMatchObject({ ok: false, cancelled: true, message: expect.stringMatching(/cancelled.*nothing was written/) as string });
    expect(b).toEqual(a);
    expect(await pgCounts()).toEqual(before);
  });

  it('an import cancelled after it wrote rows inside its transaction stops at the next batch and leaves nothing of them (PostgreSQL: the cancel lands between two statements)', async () => {
    const before = await pgCounts();
    const idsBefore = Number((await pool.query<{ n: string }>("SELECT nextval(pg_get_serial_sequence('products', 'id')) AS n")).rows[0]!.n);
    // Cancelled once the first batch of the file's 4,000 products is in (one statement of CATALOG_PRODUCT_BATCH rows;
    // the transaction's own, not yet committed): the second batch is never written.
    const cancelledAt = writeBetween(pool, /^INSERT INTO products \(/, () => Promise.resolve(pgCtx.cancelJob('cancel-late')));
    await pgOps['catalog.importStart']({ csv: catalogProductsCsv(2 * CATALOG_PRODUCT_BATCH), fileName: 'late.csv', locale: 'en-GB', jobId: 'cancel-late' }, asUser(admin, ALL));
    const done = await finished(events.pg, 'cancel-late');
    expect(cancelledAt()).toBe(true);
    expect(done).toMatchObject({ ok: false, cancelled: true, message: 'The import was cancelled while writing; nothing was written.' });
    expect(await pgCounts()).toEqual(before);
    // One batch of products was inserted (their ids were taken: a sequence is never rolled back), and none is left.
    const idsAfter = Number((await pool.query<{ n: string }>("SELECT nextval(pg_get_serial_sequence('products', 'id')) AS n")).rows[0]!.n);
    expect(idsAfter - idsBefore).toBe(CATALOG_PRODUCT_BATCH + 1);
  });
});

describe('two servers importing one file at once', () => {
  it('imports it once: one job imports, the other finds nothing to import; one audit entry', async () => {
    const other = openPool(connection);
    try {
      const otherEvents: unknown[] = [];
      const otherOps = allPgOps(createPgWorkerContext(other, connection, (e, p) => otherEvents.push([e, p]), clock), []);
      const csv = catalogProductsCsv(2_000);
      const before = await pgCounts();
      const input = { csv, fileName: 'products.csv', locale: 'en-GB' };
      // A third import holds the catalog while both start, so both are under way (waiting) before either reads: then it ends.
      const holder = await pool.connect();
      await holder.query('BEGIN');
      await new PgCatalogStore(holder).lockImport();
      await Promise.all([
        pgOps['catalog.importStart']({ ...input, jobId: 'server-a' }, asUser(admin, ALL)),
        otherOps['catalog.importStart']({ ...input, jobId: 'server-b' }, asUser(admin, ALL)),
      ]);
      const both = Promise.all([finished(events.pg, 'server-a'), finished(otherEvents, 'server-b')]);
      await settledOrWaiting(pool, both, 2);
      await holder.query('COMMIT');
      holder.release();
      const outcomes = await both;
      expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
      expect(outcomes.map((o) => o.message).sort()).toEqual([
        'Imported products.csv: products 2,000 created, 0 updated, 0 unchanged.',
        'Nothing to import: all 2,000 rows of products.csv match the catalog already.',
      ]);
      const after = await pgCounts();
      expect(after.products).toBe(before.products! + 2000);
      expect(after.product_barcodes).toBe(before.product_barcodes! + 4000);
      expect(await pgCount(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'master-data-changed'`)).toBe(1);
    } finally {
      await other.end();
    }
  });

  it('an import refuses a tracking change once another server gave the product stock after the import read the stock (as a single save does)', async () => {
    await withServer(async ({ ops }) => {
      const header = 'SKU,Name,Unit,Tracking';
      expect(await importOn(pgOps, events.pg, `${header}\nRACE-1,Race item,ea,BULK\n`)).toMatchObject({ ok: true });
      const site = await ops['masterdata.siteCreate']({ code: 'WH', name: 'Warehouse', kind: 'warehouse', allowNegative: false, active: true }, asUser(admin, ALL));
      const id = await productId('RACE-1');
      // Another server's posting (a real receipt through its operations) gives the product stock right after the import
      // first read who holds stock: it commits before the import's next statement.
      const wrote = writeBetween(pool, /FROM stock_levels WHERE qty <> 0/, () =>
        ops['operations.receive']({ idempotencyKey: `race-${process.pid}-receipt`, kind: 'cash_purchase', siteId: site.id, dutyPaid: false, lines: [{ productId: id, qty: 5, unitCost: 10_000 }] }, asUser(admin, ALL)),
      );
      const done = await importOn(pgOps, events.pg, `${header}\nRACE-1,Race item,ea,LOT\n`);
      expect(wrote()).toBe(true);
      expect(done).toMatchObject({ ok: false, message: expect.stringMatching(/RACE-1.*nothing was imported/) as string });
      expect((await pool.query<{ tracking: string }>('SELECT tracking FROM products WHERE id = $1', [id])).rows[0]!.tracking).toBe('BULK');
    });
  });

  it("an import refuses in plain words a site name another server's save took after the import checked its file, and imports nothing", async () => {
    await withServer(async ({ ops }) => {
      expect(await importOn(pgOps, events.pg, 'Code,Name\nWH,Warehouse\nKIT,Kitchen\n')).toMatchObject({ ok: true });
      // A site window on another server saves a site by the name the file gives WH, right after the import read the sites.
      const wrote = writeBetween(pool, /"stockLines"/, () =>
        ops['masterdata.siteCreate']({ code: 'HB', name: 'Harbour Bar', kind: 'shop', allowNegative: false, active: true }, asUser(admin, ALL)),
      );
      const done = await importOn(pgOps, events.pg, 'Code,Name\nKIT,Galley\nWH,Harbour Bar\n');
      expect(wrote()).toBe(true);
      expect(done).toMatchObject({ ok: false, message: 'Another site is already called Harbour Bar. Choose a different name. Nothing was imported: fix the file, preview it and import it again.' });
      expect((await pool.query("SELECT code, name FROM sites WHERE code IN ('KIT', 'WH') ORDER BY code")).rows).toEqual([{ code: 'KIT', name: 'Kitchen' }, { code: 'WH', name: 'Warehouse' }]);
    });
  });

  it("an import refuses in plain words a SKU another server's save took after the import's last check, in the middle of a batch, and imports nothing", async () => {
    await withServer(async ({ ops }) => {
      const before = await pgCounts();
      // A product form on another server creates CAT-000150 as the import begins to write (its batch's savepoint; a
      // save before the import's last check under its locks makes CAT-000150 an update of the file instead): the
      // file's 300 new products go to the database in one statement, which the key refuses; the import writes them
      // again one by one to name the product.
      const wrote = writeBetween(pool, /^SAVEPOINT catalog_batch/, () =>
        ops['masterdata.productCreate'](productCreateSchema.parse({ sku: 'CAT-000150', name: 'Saved first', unit: 'ea', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null }), asUser(admin, ALL)),
      );
      const done = await importOn(pgOps, events.pg, catalogProductsCsv(300));
      expect(wrote()).toBe(true);
      expect(done).toMatchObject({ ok: false, message: 'Another product already has the SKU CAT-000150. Choose a different SKU. Nothing was imported: fix the file, preview it and import it again.' });
      expect(await pgCounts()).toEqual({ ...before, products: before.products! + 1, audit_log: before.audit_log! + 1 });
    });
  });

  it("an import keeps what another server's product save wrote after the import read the products (fields the file leaves out)", async () => {
    await withServer(async ({ ops }) => {
      expect(await importOn(pgOps, events.pg, 'SKU,Name,Description\nSAVE-1,Saved item,old\n')).toMatchObject({ ok: true });
      // A product form saved on another server (through its operations) commits right after the import read who holds stock.
      const wrote = writeBetween(pool, /FROM stock_levels WHERE qty <> 0/, () => formSave(ops, 'SAVE-1', { description: 'from the form' }));
      expect(await importOn(pgOps, events.pg, 'SKU,Name\nSAVE-1,Renamed item\n')).toMatchObject({ ok: true });
      expect(wrote()).toBe(true);
      expect((await pool.query("SELECT name, description FROM products WHERE sku = 'SAVE-1'")).rows[0]).toEqual({ name: 'Renamed item', description: 'from the form' });
    });
  });
});

describe('an import and other servers\' writers at once', () => {
  it('an import whose changes grow while it locks waits for a posting on another server instead of deadlocking with it', async () => {
    await withServer(async ({ pool: other, ops }) => {
      expect(await importOn(pgOps, events.pg, 'SKU,Name\nDL-A,Item A\nDL-B,Item B\n')).toMatchObject({ ok: true });
      const site = await ops['masterdata.siteCreate']({ code: 'WH', name: 'Warehouse', kind: 'warehouse', allowNegative: false, active: true }, asUser(admin, ALL));
      const [a, b] = [await productId('DL-A'), await productId('DL-B')];
      expect(a).toBeLessThan(b);
      const deadlocks = pgErrorsOn('40P01', pool, other);
      // The import first plans to change DL-B only; a product form saved on another server right after the import read
      // the products renames DL-A, so once DL-B is locked the file changes DL-A too (a lower id than the one it holds).
      const saved = writeBetween(pool, /FROM products p\b/, () => formSave(ops, 'DL-A', { name: 'Item A from the form' }));
      // Right after the import locked DL-B, a posting on that server locks DL-A (id order) and waits for DL-B.
      let posting: Promise<unknown> = Promise.resolve();
      const posted = writeBetween(pool, /FROM products WHERE id = \$1 FOR UPDATE/, async () => {
        posting = outcomeOf(() =>
          ops['operations.receive']({ idempotencyKey: `dl-${process.pid}-post`, kind: 'cash_purchase', siteId: site.id, dutyPaid: false, lines: [{ productId: a, qty: 5, unitCost: 10_000 }, { productId: b, qty: 7, unitCost: 10_000 }] }, asUser(admin, ALL)),
        );
        await settledOrWaiting(pool, posting, 1);
      });
      const done = await importOn(pgOps, events.pg, 'SKU,Name\nDL-A,Item A\nDL-B,Item B renamed\n');
      expect([saved(), posted()]).toEqual([true, true]);
      expect(done).toMatchObject({ ok: true, message: expect.stringMatching(/^Imported cat-pg-\d+\.csv: products 0 created, 2 updated, 0 unchanged\.$/) as string });
      expect(await posting).toMatchObject({ answer: expect.anything() as unknown });
      expect(deadlocks).toEqual([]);
      expect((await pool.query('SELECT sku, name FROM products ORDER BY id')).rows).toEqual([{ sku: 'DL-A', name: 'Item A' }, { sku: 'DL-B', name: 'Item B renamed' }]);
      expect((await pool.query<{ qty: string }>('SELECT product_id AS p, qty::int AS qty FROM stock_levels ORDER BY product_id')).rows).toEqual([{ p: a, qty: 5 }, { p: b, qty: 7 }]);
    });
  });
  it.each([
    ['a product form saved on another server while the import plans: the save keeps the GTIN, the import is refused', 'save first'],
    ['an import holding the GTIN while a product form is saved on another server: the import keeps it, the save is refused', 'import first'],
  ] as const)('one GTIN given at once by an import and a product save: %s', async (_, order) => {
    await withServer(async ({ pool: other, ops }) => {
      expect(await importOn(pgOps, events.pg, 'SKU,Name\nGT-X,Item X\nGT-Y,Item Y\n')).toMatchObject({ ok: true });
      const before = await pgCounts();
      // The same GTIN in two of its forms: the EAN-13 in the file, its 14-digit form on the form.
      const file = 'SKU,Name,Barcodes\nGT-X,Item X renamed,4006381333931\n';
      let save: Promise<Awaited<ReturnType<typeof outcomeOf<ProductRecord>>>> = Promise.resolve({ refused: { code: 'NONE', message: 'not saved', details: null } });
      const saveY = () => (save = outcomeOf(() => formSave(ops, 'GT-Y', { name: 'Item Y from the form', barcodes: ['04006381333931'] })));
      const raced =
        order === 'save first'
          ? // the save commits right after the import read who owns which barcode (before it takes any lock)
            writeBetween(pool, /FROM product_barcodes$/, async () => void (await saveY()))
          : // the save starts once the import holds the barcode's key, and waits for it
            writeBetween(pool, /pg_advisory_xact_lock\(\$1, b\)/, () => settledOrWaiting(other, saveY(), 1));
      const done = await importOn(pgOps, events.pg, file);
      const saved = await save;
      expect(raced()).toBe(true);
      const owners = (await pool.query<{ barcode: string; sku: string }>('SELECT b.barcode, p.sku FROM product_barcodes b JOIN products p ON p.id = b.product_id')).rows;
      const names = (await pool.query<{ sku: string; name: string }>('SELECT sku, name FROM products ORDER BY id')).rows;
      if (order === 'save first') {
        expect(saved).toMatchObject({ answer: { sku: 'GT-Y', barcodes: ['04006381333931'] } });
        expect(done).toMatchObject({
          ok: false,
          message:
            '1 problem in the file (first: Products row 2, Barcodes: GT-X: barcode 4006381333931 (the same GTIN as 04006381333931) already belongs to GT-Y. A barcode can belong to one product only: remove it from GT-Y first, or leave it off this row.); nothing was imported. Preview the file, fix the rows and import again.',
        });
        expect(owners).toEqual([{ barcode: '04006381333931', sku: 'GT-Y' }]);
        expect(names).toEqual([{ sku: 'GT-X', name: 'Item X' }, { sku: 'GT-Y', name: 'Item Y from the form' }]);
      } else {
        expect(done).toMatchObject({ ok: true });
        expect(saved).toEqual({
          refused: {
            code: 'CONFLICT',
            message: 'Barcode 04006381333931 already belongs to GT-X (as 4006381333931). A barcode can belong to one product only: remove it from GT-X first, or leave it off this product.',
            details: { field: 'barcodes' },
          },
        });
        expect(owners).toEqual([{ barcode: '4006381333931', sku: 'GT-X' }]);
        expect(names).toEqual([{ sku: 'GT-X', name: 'Item X renamed' }, { sku: 'GT-Y', name: 'Item Y' }]);
      }
      // Nothing half-written by the loser: one audit entry more (the winner's), one barcode row.
      expect(await pgCounts()).toEqual({ ...before, product_barcodes: before.product_barcodes! + 1, audit_log: before.audit_log! + 1 });
    });
  });
});
