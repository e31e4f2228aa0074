import type { CatalogExportFile, CatalogPreview } from '../../shared/catalog';
import type { CatalogExportInput, CatalogImportInput, CatalogPreviewInput } from '../../shared/contract/catalog.schemas';
import type { WorkerContext } from '../ledger/worker-context';
import { importCatalog, type CatalogFileRead } from './catalog-import';
import { sqliteCatalog } from './catalog-context';
import type { Caller } from '../ledger/caller';
import type { JobPool } from '../jobs/job-pool';
import { cancelledWhileReading } from './catalog-file';
import { joinSheets } from './raw-sheet-chunks';

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
        // The file is read and parsed in a job thread; the writer checks its rows against the catalog as it is now and writes them.
        const read = readInJobThread(ctx.jobs, (p) => progress({ ...p, phase: 'reading' }));
        const message = await importCatalog(sqliteCatalog(db), input, { userId, permissions }, signal, progress, clock(), read);
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

/**
 * An import's file read and parsed in a job thread (catalogRead): exceljs is never loaded into the writer, nor a file
 * parsed there, so a clerk's commit does not wait behind it; its tables come back in JSON chunks, taken a chunk at a
 * time. Its progress is the import's. The import's cancel reaches the job, which stops at its next look (a workbook
 * once it is loaded); the import does not wait for that: it ends at once.
 */
export const readInJobThread =
  (jobs: JobPool, progress: (p: { done: number; total: number; phase: string }) => void): CatalogFileRead =>
  (input, locale, signal) =>
    new Promise((resolve, reject) => {
      const cancelled = () => reject(cancelledWhileReading());
      if (signal.aborted) return cancelled();
      signal.addEventListener('abort', cancelled, { once: true });
      jobs
        .run('catalogRead', { input, locale }, { signal, progress })
        .then((sheets) => joinSheets(sheets, signal))
        .then(resolve, reject)
        .finally(() => signal.removeEventListener('abort', cancelled));
    });
