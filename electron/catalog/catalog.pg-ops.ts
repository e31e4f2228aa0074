import type pg from 'pg';
import type { CompanySettings } from '../../shared/company';
import { companyLocale, fileNumberLocale, fileTimeZone } from '../company/company-rules';
import { pgCompanySettings } from '../company/pg-time-zone-store';
import { CATALOG_IMPORT_JOB, pgJobGate } from '../exports/export-gate';
import type { PgOpsFactory } from '../ledger/pg/pg-ops';
import { readSnapshot } from '../ledger/pg/store/pg-read-snapshot';
import { pgTransaction } from '../ledger/pg/store/pg-ledger-store';
import { runLater } from '../ledger/steps';
import { PgMasterStore } from '../masterdata/pg-master-store';
import { PgRecipeStore } from '../recipes/pg-recipe-store';
import { PgSupplierStore } from '../suppliers/pg-supplier-store';
import { exportCatalog } from './catalog-export';
import { importCatalog, previewCatalog, type CatalogOpen } from './catalog-import';
import { PgCatalogStore } from './pg-catalog-store';

/**
 * PostgreSQL's CatalogOpen on one transaction's client: every store of the catalog's sheets on `c`, each answer
 * awaited; numbers in the request's locale, else the company's (`company`: its saved settings, read by openPgCatalog).
 */
export const pgCatalog =
  (c: pg.PoolClient, company: CompanySettings | null): CatalogOpen =>
  (locale, now, userId = 0) => {
    const md = new PgMasterStore(c);
    const store = new PgCatalogStore(c);
    let locked = false;
    return {
    md,
    store,
    suppliers: new PgSupplierStore(c),
    recipes: new PgRecipeStore(c),
    run: runLater,
    locale: fileNumberLocale(locale, company),
    timeZone: fileTimeZone(company),
    dateLocale: companyLocale(company),
    now,
    userId,
    refs: new Map(),
    planned: new Map(),
    lockForWrite: async ({ products, barcodes }) => {
      // Never a lock out of order: a second round rolls back to before the first round's locks, then takes them all.
      if (locked) await store.releaseWriteLocks();
      else await store.markWriteLocks();
      locked = true;
      for (const id of [...products].sort((a, b) => a - b)) await md.lockForChange('product', id);
      await md.lockBarcodes(barcodes);
    },
  };
  };

/** pgCatalog with the company's settings read on `c` first. */
const openPgCatalog = async (c: pg.PoolClient): Promise<CatalogOpen> => pgCatalog(c, await pgCompanySettings(c));

/**
 * Catalog import and export on a PostgreSQL ledger (the twin of catalog.ops.ts): the same sheets, rules, file reader
 * and writer (catalog-import.ts, catalog-export.ts), on PostgreSQL's stores. A preview checks the file in one
 * transaction (its recipe trial rolled back, nothing written); an import is a job whose whole check and write is ONE
 * transaction holding the import lock, so a cancelled or refused import writes nothing and two servers importing one
 * file take turns: the second finds it imported. An export reads one snapshot.
 */
export const catalogPgOps: PgOpsFactory = (ctx) => ({
  'catalog.preview': (input, { permissions }) => pgTransaction(ctx.pool, async (c) => previewCatalog(await openPgCatalog(c), input, permissions, ctx.clock())),
  'catalog.importStart': async (input, { userId, permissions }) => {
    ctx.startJob(input.jobId, 'catalog-import', async (signal, progress) => {
      // its transaction holds a connection the whole import: it counts against the pool's gate, with the exports (export-gate.ts)
      const write = () =>
        pgTransaction(ctx.pool, async (c) => {
          await new PgCatalogStore(c).lockImport();
          return importCatalog(await openPgCatalog(c), input, { userId, permissions }, signal, progress, ctx.clock());
        });
      const message = await pgJobGate(ctx.pool).run(signal, (phase) => progress({ done: 0, total: 0, phase }), write, CATALOG_IMPORT_JOB);
      ctx.emit('stock.changed', { documentId: null, reason: 'catalog' });
      return message;
    });
    return { started: true };
  },
  'catalog.export': (input) => readSnapshot(ctx.pool, async (c) => exportCatalog((await openPgCatalog(c))(input.locale, ctx.clock()), input.sheets, input.format)),
});
