import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { catalogOps, readInJobThread } from '../../electron/catalog/catalog.ops';
import { importCatalog, previewCatalog, type CatalogFileRead } from '../../electron/catalog/catalog-import';
import { readCatalogFile } from '../../electron/catalog/catalog-file';
import { sqliteCatalog } from '../../electron/catalog/catalog-context';
import { openLedgerDataSource } from '../../electron/ledger/data-source';
import { createWorkerContext } from '../../electron/ledger/worker-context';
import { SqliteLedger } from '../../electron/ledger/store/sqlite-ledger';
import { CATALOG_PRODUCT_HEADER, catalogProductLine, catalogProductsCsv } from '../fixtures/catalog-csv';
import { fmt, type BenchOptions } from './bench-options';
import { asUser } from '../fixtures/caller';

const PRODUCTS = 100_000;
const ALL = ['read:stock', 'manage:products', 'manage:sites'];

/**
 * A 100,000-product catalog CSV (two EAN-13 barcodes each) imported as the job does it: read, check every row by the
 * form's rules (zod schema, check digits, uniqueness against sets loaded once), then write all in one transaction.
 * Ceiling: the same product and barcode rows inserted raw with prepared multi-row statements in one transaction, same run.
 */
export async function catalogBench({ dir }: BenchOptions): Promise<void> {
  console.log(`\n## Catalog import of ${fmt(PRODUCTS)} products with barcodes (background job: check every row, then write all or none)`);
  const ledger = await SqliteLedger.open(join(dir, 'catalog.db'));
  const admin = ledger.reference.userId('admin');
  const csv = catalogProductsCsv(PRODUCTS, 'BENCH');
  console.log(`file: ${(csv.length / 1e6).toFixed(1)} MB`);

  const tp = performance.now();
  const preview = await previewCatalog(sqliteCatalog(ledger.db), { csv, locale: 'en-GB' }, ALL);
  console.log(`preview (parse + check every row, nothing written): ${((performance.now() - tp) / 1000).toFixed(2)} s, ${preview.sheets[0]?.creates} creates, ${preview.problemCount} problems`);

  const run = async (jobId: string, text: string) => {
    const t0 = performance.now();
    const done = await new Promise<{ ok: boolean; message: string }>((resolve) => {
      const ctx = createWorkerContext(ledger, (event, payload) => {
        if (event === 'job.finished') resolve(payload as { ok: boolean; message: string });
      });
      catalogOps(ctx)['catalog.importStart']({ csv: text, locale: 'en-GB', jobId }, asUser(admin, ALL));
    });
    return { secs: (performance.now() - t0) / 1000, done };
  };
  const created = await run('bench-catalog-1', csv);
  console.log(`import job (create): ${created.secs.toFixed(2)} s end to end = ${fmt(PRODUCTS / created.secs)} products/s (${created.done.ok ? created.done.message : `FAILED: ${created.done.message}`})`);
  const updated = await run('bench-catalog-2', csv.replace(/Catalog item/g, 'Catalogue item'));
  console.log(`import job (update every name): ${updated.secs.toFixed(2)} s (${updated.done.ok ? 'ok' : `FAILED: ${updated.done.message}`})`);

  const products = ledger.db.prepare('SELECT * FROM products ORDER BY id').raw().all() as unknown[][];
  const barcodes = ledger.db.prepare('SELECT * FROM product_barcodes').raw().all() as unknown[][];
  console.log(`verify: ${ledger.verify().ok ? 'all invariants hold' : 'FAILED'}`);
  await ledger.close();
  const raw = await openLedgerDataSource(join(dir, 'catalog-raw.db'));
  // Multi-row INSERTs of 1,000 rows: one statement per product fires the search index's trigger in a statement
  // transaction each, and FTS5 flushes at every one (8–9 s for these rows), which no writer of many rows need pay.
  const ROWS = 1_000;
  const insertRows = (table: string, rows: unknown[][]) => {
    const many = (n: number) => raw.db.prepare(`INSERT INTO ${table} VALUES ${Array.from({ length: n }, () => `(${rows[0]!.map(() => '?').join(', ')})`).join(', ')}`);
    const full = many(ROWS);
    for (let from = 0; from < rows.length; from += ROWS) {
      const part = rows.slice(from, from + ROWS);
      (part.length === ROWS ? full : many(part.length)).run(...part.flat());
    }
  };
  const t1 = performance.now();
  raw.db.transaction(() => {
    insertRows('products', products);
    insertRows('product_barcodes', barcodes);
  })();
  const rawSecs = (performance.now() - t1) / 1000;
  await raw.dataSource.destroy();
  console.log(`ceiling (raw prepared INSERTs of the same ${fmt(products.length)} products + ${fmt(barcodes.length)} barcodes, ${fmt(ROWS)} rows a statement, one transaction): ${rawSecs.toFixed(2)} s`);
  console.log(`ratio: import job ${(created.secs / rawSecs).toFixed(1)}x the raw insert (${(rawSecs / created.secs).toFixed(2)} of the ceiling)`);
  await catalogXlsxWriterBench(dir);
}

/** The catalog's products as an XLSX workbook (the same rows as catalogProductsCsv), built in a thread of its own so that exceljs is first loaded by the import measured. */
function productsWorkbook(count: number, prefix: string): Promise<string> {
  const rows = [CATALOG_PRODUCT_HEADER.split(',')];
  for (let i = 1; i <= count; i++) rows.push(csvCells(catalogProductLine(i, prefix)));
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const ExcelJS = require(workerData.excelJs);
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Products').addRows(workerData.rows);
    book.xlsx.writeBuffer().then((b) => parentPort.postMessage(Buffer.from(b).toString('base64')));`;
  const worker = new Worker(code, { eval: true, workerData: { rows, excelJs: createRequire(import.meta.url).resolve('exceljs') } });
  return new Promise<string>((resolve, reject) => {
    worker.once('message', (base64: string) => void worker.terminate().then(() => resolve(base64)));
    worker.once('error', reject);
  });
}

/** One line of catalogProductLine as its cells (its quoted cells hold commas and doubled quotes). */
function csvCells(line: string): string[] {
  const cells: string[] = [];
  for (const m of line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)) {
    const v = m[1]!;
    cells.push(v.startsWith('"') ? v.slice(1, -1).replace(/""/g, '"') : v);
    if (m[2] === '') break;
  }
  return cells;
}

/** How the writer's thread (here, this one) was held over one stretch: its busy time (event-loop utilisation) and its longest single hold. */
function writerHeld() {
  let last = performance.now();
  let longest = 0;
  const beat = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  let elu = performance.eventLoopUtilization();
  let from = performance.now();
  return {
    /** The stretch since the last take: wall ms, busy ms, longest hold ms (a clerk's commit could wait that long). */
    take() {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      const used = performance.eventLoopUtilization(elu);
      const r = { wall: now - from, busy: used.active, longest };
      elu = performance.eventLoopUtilization();
      from = now;
      last = now;
      longest = 0;
      return r;
    },
    stop: () => clearInterval(beat),
  };
}

type Held = { wall: number; busy: number; longest: number };

/**
 * Issue 15: how long a catalog XLSX import holds the ledger writer's thread, before (the file read and parsed on the
 * writer: importCatalog's own reader, as SQLite's import did and PostgreSQL's still does) and after (read in a job
 * thread, catalog.ops.ts's readInJobThread), each on a fresh ledger: the read, the plan (checking every row against the
 * catalog, on the writer, yielding every 5,000 rows) and the write (one transaction). At 10,000 products the read
 * before also loads exceljs (its first use on this thread); in a job, each import's job thread loads its own.
 */
export async function catalogXlsxWriterBench(dir: string): Promise<void> {
  console.log('\n## Catalog XLSX import: the writer thread held (busy ms / longest single hold ms), file read on the writer (before) vs in a job thread (after)');
  for (const count of [10_000, 100_000]) {
    const xlsxBase64 = await productsWorkbook(count, 'XL');
    console.log(`${fmt(count)} products: workbook ${(xlsxBase64.length / 1e6).toFixed(1)} MB base64`);
    const runs: Record<string, Held[]> = {};
    for (const where of ['writer', 'job'] as const) {
      const ledger = await SqliteLedger.open(join(dir, `catalog-xlsx-${count}-${where}.db`));
      const ctx = createWorkerContext(ledger, () => undefined);
      const admin = ledger.reference.userId('admin');
      const meter = writerHeld();
      const phases: Held[] = [];
      const inJob = readInJobThread(ctx.jobs, () => {});
      const read: CatalogFileRead = async (input, locale, signal) => {
        meter.take(); // from here: the read (and for the job, the tables coming back to the writer)
        const tables = await (where === 'job' ? inJob(input, locale, signal) : readCatalogFile(input, locale, signal));
        phases.push(meter.take());
        return tables;
      };
      const progress = (p: { phase: string }) => {
        if (p.phase === 'writing') phases.push(meter.take()); // the plan ended
      };
      const t0 = performance.now();
      const message = await importCatalog(sqliteCatalog(ledger.db), { xlsxBase64, fileName: 'bench.xlsx', locale: 'en-GB' }, { userId: admin, permissions: ALL }, new AbortController().signal, progress, Date.now(), read);
      phases.push(meter.take()); // the write
      const secs = (performance.now() - t0) / 1000;
      meter.stop();
      runs[where] = phases;
      const [r, p, w] = phases as [Held, Held, Held];
      const busy = r.busy + p.busy + w.busy;
      console.log(
        `  ${where === 'writer' ? 'before (read on the writer)' : 'after (read in a job)     '}: ${secs.toFixed(2)} s end to end; writer busy ${fmt(busy)} ms = read+parse ${fmt(r.busy)} (longest hold ${fmt(r.longest)}; ${fmt(r.wall)} ms wall) + plan ${fmt(p.busy)} (longest ${fmt(p.longest)}) + write ${fmt(w.busy)} (longest ${fmt(w.longest)}) — ${message}`,
      );
      await ctx.jobs.close();
      await ledger.close();
    }
    const before = runs.writer!;
    const after = runs.job!;
    const sum = (h: Held[]) => h.reduce((n, x) => n + x.busy, 0);
    console.log(
      `  ratio: writer busy after/before ${(sum(after) / sum(before)).toFixed(2)}; in the read phase ${(after[0]!.busy / before[0]!.busy).toFixed(3)} (${fmt(before[0]!.busy)} → ${fmt(after[0]!.busy)} ms), its longest hold ${fmt(before[0]!.longest)} → ${fmt(after[0]!.longest)} ms`,
    );
  }
}
