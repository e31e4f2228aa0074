import type { CatalogExportFile, CatalogPreview } from '../../shared/catalog';
import type { CatalogExportInput, CatalogImportInput, CatalogPreviewInput } from '../../shared/contract/catalog.schemas';
import type { WorkerContext } from '../ledger/worker-context';
import { importCatalog } from './catalog-import';
import { sqliteCatalog } from './catalog-context';
import type { Caller } from '../ledger/caller';

/** Catalog import and export in the ledger worker. */
export interface CatalogOps {
  'catalog.preview'(input: CatalogPreviewInput, caller: Caller): Promise<CatalogPreview>;
  'catalog.importStart'(input: CatalogImportInput, caller: Caller): { started: true };
  'catalog.export'(input: CatalogExportInput): Promise<CatalogExportFile>;
}

export function catalogOps(ctx: WorkerContext, clock: () => number = Date.now): CatalogOps {
  const db = ctx.ledger.db;
  const noCancel = { signal: new AbortController().signal, progress: () => {} };
  return {
    // Reading and checking a file, and building one, run in a job thread on its own read connection, never on the writer.
    'catalog.preview': (input, { permissions }) => ctx.jobs.run('catalogPreview', { input, permissions, now: clock() }, noCancel),
    'catalog.importStart'(input, { userId, permissions }) {
      ctx.startJob(input.jobId, 'catalog-import', async (signal, progress) => {
        const message = await importCatalog(sqliteCatalog(db), input, { userId, permissions }, signal, progress, clock());
        // The writer's cached products, sites and bins are stale now, and open windows reload.
        ctx.ledger.poster.reset();
        ctx.emit('stock.changed', { documentId: null, reason: 'catalog' });
        return message;
      });
      return { started: true };
    },
    'catalog.export': (input) => ctx.jobs.run('catalogExport', { input, now: clock() }, noCancel),
  };
}
