import { createRequire } from 'node:module';
import { sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { CATALOG_PRODUCT_HEADER, ean13 } from '../../test/fixtures/catalog-csv';
import { CATALOG_ALL } from '../../test/fixtures/catalog-on-store';
import { asUser } from '../../test/fixtures/caller';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import type { JobFinished, JobProgress } from '../../shared/domain';
import { createWorkerContext, type WorkerContext } from '../ledger/worker-context';
import { sqliteCatalog } from './catalog-context';
import { previewCatalog } from './catalog-import';
import { catalogOps } from './catalog.ops';

// SQLite only (issue 15): the ledger worker is the one writer, and a clerk's commit must never wait behind a catalog
// import reading its file. Here this test's thread IS the writer (the worker context runs its operations here, with
// real job threads beside it), so what the import loads and parses on the writer is what this thread loads.
const here = createRequire(import.meta.url);
/** The exceljs modules this thread has loaded (Node's module cache is per thread: a job thread's are its own). */
const excelJsLoadedHere = () => Object.keys(here.cache).filter((path) => path.includes(`${sep}node_modules${sep}exceljs${sep}`));

/** A products workbook built in a thread of its own (so this thread never loads exceljs to make it): its base64. */
function productsWorkbook(count: number): Promise<string> {
  const rows = [CATALOG_PRODUCT_HEADER.split(',')];
  for (let i = 1; i <= count; i++) rows.push([`XL-${String(i).padStart(6, '0')}`, `Workbook item ${i}`, '', `${ean13(2 * i)}|${ean13(2 * i + 1)}`, 'ea', '0', 'Supplied', 'BULK', 'yes', '', 'yes', '']);
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const ExcelJS = require(workerData.excelJs);
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Products').addRows(workerData.rows);
    book.xlsx.writeBuffer().then((b) => parentPort.postMessage(Buffer.from(b).toString('base64')));`;
  const worker = new Worker(code, { eval: true, workerData: { rows, excelJs: here.resolve('exceljs') } });
  return new Promise<string>((resolve, reject) => {
    worker.once('message', (base64: string) => void worker.terminate().then(() => resolve(base64)));
    worker.once('error', reject);
  });
}

let f: Fixture;
let ctx: WorkerContext;
const events: { event: string; payload: unknown }[] = [];
beforeEach(async () => {
  f = await openFixture();
  events.length = 0;
  ctx = createWorkerContext(f.ledger, (event, payload) => events.push({ event, payload }));
});
afterEach(async () => {
  await ctx.jobs.close();
  expect(f.ledger.verify().ok).toBe(true);
  await f.cleanup();
});

const finished = async (jobId: string): Promise<JobFinished> => {
  for (;;) {
    const e = events.find((x) => x.event === 'job.finished' && (x.payload as JobFinished).jobId === jobId);
    if (e) return e.payload as JobFinished;
    await new Promise((r) => setTimeout(r, 20));
  }
};
const products = () => (f.ledger.db.prepare("SELECT COUNT(*) AS c FROM products WHERE sku LIKE 'XL-%'").get() as { c: number }).c;
const audits = () => (f.ledger.db.prepare('SELECT COUNT(*) AS c FROM audit_log').get() as { c: number }).c;

// (this test first: the next one's last check loads exceljs on this thread, as it means to)
it('an XLSX catalog import cancelled while its file is read writes nothing and says so', async () => {
  const xlsxBase64 = await productsWorkbook(2_000);
  const audited = audits();
  catalogOps(ctx)['catalog.importStart']({ xlsxBase64, fileName: 'products.xlsx', locale: 'en-GB', jobId: 'xlsx-cancel' }, asUser(f.ids.admin, CATALOG_ALL));
  expect(ctx.cancelJob('xlsx-cancel')).toBe(true);
  expect(await finished('xlsx-cancel')).toMatchObject({ ok: false, cancelled: true, message: 'The import was cancelled while reading the file; nothing was written.' });
  expect(products()).toBe(0);
  expect(audits()).toBe(audited);
  expect(excelJsLoadedHere()).toEqual([]);
});

it('an XLSX catalog import reads and parses its workbook in a job thread: exceljs is never loaded on the writer, which checks and writes the rows', async () => {
  const count = 2_000;
  const xlsxBase64 = await productsWorkbook(count);
  expect(excelJsLoadedHere()).toEqual([]); // nothing of this file's own has loaded it

  expect(catalogOps(ctx)['catalog.importStart']({ xlsxBase64, fileName: 'products.xlsx', locale: 'en-GB', jobId: 'xlsx-1' }, asUser(f.ids.admin, CATALOG_ALL))).toEqual({ started: true });
  expect(await finished('xlsx-1')).toMatchObject({ ok: true, message: 'Imported products.xlsx: products 2,000 created, 0 updated, 0 unchanged.' });
  expect(products()).toBe(count);
  const phases = events.filter((e) => e.event === 'job.progress' && (e.payload as JobProgress).jobId === 'xlsx-1').map((e) => (e.payload as JobProgress).phase);
  expect(phases[0]).toBe('reading');
  // In the import's order, never back: no 'done' from the read job before the checking. (The last one may be any:
  // a report held by the throttle when the job finishes is dropped, job.finished being the last word.)
  const ORDER = ['reading', 'checking', 'writing', 'done'];
  expect(phases.map((p) => ORDER.indexOf(p))).toEqual(phases.map((p) => ORDER.indexOf(p)).sort((a, b) => a - b));
  expect(phases.every((p) => ORDER.includes(p))).toBe(true);
  expect(phases).toContain('checking'); // the reading (a job thread starting, exceljs loading) outlasts the throttle's 100 ms
  expect(excelJsLoadedHere()).toEqual([]);

  // The check above can fail: the same workbook read on this thread loads exceljs here (and finds every product imported).
  const preview = await previewCatalog(sqliteCatalog(f.ledger.db), { xlsxBase64, locale: 'en-GB' }, CATALOG_ALL);
  expect(preview.sheets).toMatchObject([{ sheet: 'products', rows: count, creates: 0, updates: 0, unchanged: count }]);
  expect(excelJsLoadedHere()).not.toEqual([]);
});
