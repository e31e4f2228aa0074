import { afterEach, beforeEach, expect, it } from 'vitest';
import { catalogProductsCsv } from '../../test/fixtures/catalog-csv';
import { CATALOG_ALL } from '../../test/fixtures/catalog-on-store';
import { asUser } from '../../test/fixtures/caller';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { createWorkerContext, type WorkerContext } from '../ledger/worker-context';
import { catalogContext, sqliteCatalog } from './catalog-context';
import { exportCatalog } from './catalog-export';
import { previewCatalog } from './catalog-import';
import { catalogOps } from './catalog.ops';

// SQLite-only: the SQLite worker reads a preview or export in a job thread on its own connection; this compares it with
// the writer's own reading of the same db (PostgreSQL has no job threads: catalog-import.test.ts covers both stores).
let f: Fixture;
let ctx: WorkerContext;
beforeEach(async () => {
  f = await openFixture();
  ctx = createWorkerContext(f.ledger, () => undefined);
});
afterEach(async () => {
  await ctx.jobs.close();
  expect(f.ledger.verify().ok).toBe(true);
  await f.cleanup();
});

it("the contract's preview and export, read on a job's own connection, say what the writer's own reading says", async () => {
  const cat = catalogOps(ctx);
  const csv = catalogProductsCsv(300);
  const count = (table: string) => (f.ledger.db.prepare(`SELECT COUNT(*) AS c FROM ${table}`).get() as { c: number }).c;
  const counts = () => ['sites', 'bins', 'products', 'product_barcodes', 'audit_log'].map(count);
  expect(await cat['catalog.preview']({ csv, locale: 'en-GB' }, asUser(0, CATALOG_ALL))).toEqual(await previewCatalog(sqliteCatalog(f.ledger.db), { csv, locale: 'en-GB' }, CATALOG_ALL));
  const before = counts();
  const exported = await cat['catalog.export']({ sheets: ['products'], format: 'csv', locale: 'en-GB' });
  expect(exported.rows).toBe(count('products'));
  expect(exported).toEqual(await exportCatalog(catalogContext(f.ledger.db, 'en-GB', Date.now()), ['products'], 'csv'));
  expect(counts()).toEqual(before); // nothing written by either
});
