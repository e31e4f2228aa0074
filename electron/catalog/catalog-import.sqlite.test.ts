import { afterEach, beforeEach, expect, it } from 'vitest';
import { catalogProductsCsv } from '../../test/fixtures/catalog-csv';
import { CATALOG_ALL } from '../../test/fixtures/catalog-on-store';
import { asUser } from '../../test/fixtures/caller';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { createWorkerContext, type WorkerContext } from '../ledger/worker-context';
import { catalogContext, sqliteCatalog } from './catalog-context';
import { exportCatalog } from './catalog-export';
import { importCatalog, previewCatalog, type CatalogOpen } from './catalog-import';
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

/** The import's context, whose write first runs `save` on the same connection: another request the one writer ran between the import's check and its write. */
function savedBeforeWrite(db: Fixture['ledger']['db'], save: string): CatalogOpen {
  return (locale, now, userId) => {
    const c = catalogContext(db, locale, now, userId);
    const write = c.store.write.bind(c.store);
    c.store.write = (steps) => {
      db.prepare(save).run();
      return write(steps);
    };
    return c;
  };
}

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

it('a name another save took between the check and the write is refused in plain words, and nothing is imported', async () => {
  const db = f.ledger.db;
  const sites = () => db.prepare("SELECT code, name FROM sites WHERE code <> 'HB' ORDER BY code").all();
  const audits = () => (db.prepare('SELECT COUNT(*) AS c FROM audit_log').get() as { c: number }).c;
  // The one writer runs other requests while an import checks its file: here a site window's save, just before the write.
  const open = savedBeforeWrite(db, "INSERT INTO sites (code, name, kind) VALUES ('HB', 'Harbour Bar', 'shop')");
  const csv = 'Code,Name\nKIT,Kitchen\nWH1,Harbour Bar\n';
  const before = sites();
  const audited = audits();
  await expect(importCatalog(open, { csv, locale: 'en-GB' }, { userId: 1, permissions: CATALOG_ALL }, new AbortController().signal, () => {})).rejects.toThrow(
    /^Another site is already called Harbour Bar\. Choose a different name\. Nothing was imported: fix the file, preview it and import it again\.$/,
  );
  expect(sites()).toEqual(before);
  expect(audits()).toBe(audited);
});

it('a SKU another save took between the check and the write, in the middle of a batch of new products, is refused in plain words, and nothing is imported', async () => {
  const db = f.ledger.db;
  const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS c FROM ${table}`).get() as { c: number }).c;
  // A product form's save on the one writer, just before the write: the file's 300 new products go to the database in
  // one statement, which the key refuses; the import writes them again one by one to name the product.
  const open = savedBeforeWrite(db, "INSERT INTO products (sku, name, unit, scale, stock_type, created_at) VALUES ('CAT-000150', 'Saved first', 'ea', 0, 'Supplied', 1)");
  const before = ['products', 'product_barcodes', 'products_fts', 'audit_log'].map(count);
  await expect(importCatalog(open, { csv: catalogProductsCsv(300), locale: 'en-GB' }, { userId: 1, permissions: CATALOG_ALL }, new AbortController().signal, () => {})).rejects.toThrow(
    /^Another product already has the SKU CAT-000150\. Choose a different SKU\. Nothing was imported: fix the file, preview it and import it again\.$/,
  );
  expect(['products', 'product_barcodes', 'products_fts', 'audit_log'].map(count)).toEqual([before[0]! + 1, before[1], before[2]! + 1, before[3]]);
});

it('a changed product whose new SKU another save took between the check and the write, in the middle of a batch of updates, is refused in plain words, and nothing is imported', async () => {
  const db = f.ledger.db;
  const saved = (await importCatalog(sqliteCatalog(db), { csv: catalogProductsCsv(300), locale: 'en-GB' }, { userId: 1, permissions: CATALOG_ALL }, new AbortController().signal, () => {})) as string;
  expect(saved).toMatch(/300 created/);
  const names = () => db.prepare("SELECT sku, name FROM products WHERE sku GLOB 'CAT-*' ORDER BY id").all();
  const before = names();
  // Every name changes, and row 151 writes its SKU in lower case: 300 updates in one statement. Just before the write,
  // another save (SQLite's SKU key tells case apart) takes that spelling; the key refuses the statement, and the
  // import writes the rows again one by one to name the product.
  const csv = catalogProductsCsv(300).replace(/Catalog item/g, 'Catalogue item').replace('CAT-000150,', 'cat-000150,');
  const open = savedBeforeWrite(db, "INSERT INTO products (sku, name, unit, scale, stock_type, created_at) VALUES ('cat-000150', 'Saved first', 'ea', 0, 'Supplied', 1)");
  await expect(importCatalog(open, { csv, locale: 'en-GB' }, { userId: 1, permissions: CATALOG_ALL }, new AbortController().signal, () => {})).rejects.toThrow(
    /^Another product already has the SKU cat-000150\. Choose a different SKU\. Nothing was imported: fix the file, preview it and import it again\.$/,
  );
  expect(names()).toEqual(before);
});
