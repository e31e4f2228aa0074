import { join } from 'node:path';
import { catalogOps } from '../../electron/catalog/catalog.ops';
import { previewCatalog } from '../../electron/catalog/catalog-import';
import { sqliteCatalog } from '../../electron/catalog/catalog-context';
import { openLedgerDataSource } from '../../electron/ledger/data-source';
import { createWorkerContext } from '../../electron/ledger/worker-context';
import { SqliteLedger } from '../../electron/ledger/store/sqlite-ledger';
import { catalogProductsCsv } from '../fixtures/catalog-csv';
import { fmt, type BenchOptions } from './bench-options';
import { asUser } from '../fixtures/caller';

const PRODUCTS = 100_000;
const ALL = ['read:stock', 'manage:products', 'manage:sites'];

/**
 * A 100,000-product catalog CSV (two EAN-13 barcodes each) imported as the job does it: read, check every row by the
 * form's rules (zod schema, check digits, uniqueness against sets loaded once), then write all in one transaction.
 * Ceiling: the same product and barcode rows inserted raw with prepared statements in one transaction, same run.
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
  const p = raw.db.prepare(`INSERT INTO products VALUES (${products[0]!.map(() => '?').join(', ')})`);
  const b = raw.db.prepare(`INSERT INTO product_barcodes VALUES (${barcodes[0]!.map(() => '?').join(', ')})`);
  const t1 = performance.now();
  raw.db.transaction(() => {
    for (const r of products) p.run(...r);
    for (const r of barcodes) b.run(...r);
  })();
  const rawSecs = (performance.now() - t1) / 1000;
  await raw.dataSource.destroy();
  console.log(`ceiling (raw prepared INSERTs of the same ${fmt(products.length)} products + ${fmt(barcodes.length)} barcodes, one transaction): ${rawSecs.toFixed(2)} s`);
  console.log(`ratio: import job ${(created.secs / rawSecs).toFixed(1)}x the raw insert (${(rawSecs / created.secs).toFixed(2)} of the ceiling)`);
}
