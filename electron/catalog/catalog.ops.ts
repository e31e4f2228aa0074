import type { CatalogExportFile, CatalogPreview } from '../../shared/catalog';
import type { CatalogExportInput, CatalogImportInput, CatalogPreviewInput } from '../../shared/contract/catalog.schemas';
import type { WorkerContext } from '../ledger/worker-context';
import { importCatalog } from './catalog-import';

/** Catalog import and export in the ledger worker. */
export interface CatalogOps {
  catalogPreview(input: CatalogPreviewInput, permissions: readonly string[]): Promise<CatalogPreview>;
  catalogImportStart(input: CatalogImportInput, userId: number, permissions: readonly string[]): { started: true };
  catalogExport(input: CatalogExportInput): Promise<CatalogExportFile>;
}

export function catalogOps(ctx: WorkerContext, clock: () => number = Date.now): CatalogOps {
  const db = ctx.ledger.db;
  const noCancel = { signal: new AbortController().signal, progress: () => {} };
  return {
    // Reading and checking a file, and building one, run in a job thread on its own read connection, never on the writer.
    catalogPreview: (input, permissions) => ctx.jobs.run('catalogPreview', { input, permissions, now: clock() }, noCancel),
    catalogImportStart(input, userId, permissions) {
      ctx.startJob(input.jobId, 'catalog-import', async (signal, progress) => {
        const message = await importCatalog(db, input, { userId, permissions }, signal, progress, clock());
        // The writer's cached products, sites and bins are stale now, and open windows reload.
        ctx.ledger.poster.reset();
        ctx.emit('stock.changed', { documentId: null, reason: 'catalog' });
        return message;
      });
      return { started: true };
    },
    catalogExport: (input) => ctx.jobs.run('catalogExport', { input, now: clock() }, noCancel),
  };
}
