import type { ImportPreviewInput, ImportStartInput } from '../../shared/contract/operations.schemas';
import type { ImportPreview } from '../../shared/operations';
import { runNow, type Awaitable } from '../ledger/steps';
import type { WorkerContext } from '../ledger/worker-context';
import { importContentHash } from './import-file';
import { duplicateAtStart, refuseEmptyImport, type ImportRecords } from './import-rules';

/**
 * Stock import on either store: a file read and checked, nothing written (importPreview), and an import started as a
 * job the user sees (importStart), by the same rules (import-rules.ts). SQLite's (WorkerImports) checks the file in a
 * job thread and posts it on the writer, in chunks when it is large (import-job.ts, import-chunks.ts); PostgreSQL's
 * (pg-imports.ts PgImports) checks it on the server and posts it in one transaction under the chain lock.
 */
export interface StockImports {
  /** Reads and checks a file, nothing written. */
  importPreview(input: ImportPreviewInput): Promise<ImportPreview>;
  /** Refuses an empty file, or a file imported before (unless confirmed), then starts the import's job. */
  importStart(input: ImportStartInput, userId: number): Awaitable<{ started: true }>;
}

/** Stock import on SQLite, from the ledger worker: the file read and checked in a job thread on its own read connection, never on the writer. */
export class WorkerImports implements StockImports {
  constructor(
    private readonly ctx: WorkerContext,
    private readonly records: ImportRecords,
  ) {}

  importPreview(input: ImportPreviewInput): Promise<ImportPreview> {
    return this.ctx.jobs.run('importPreview', input, { signal: new AbortController().signal, progress: () => {} });
  }

  importStart(input: ImportStartInput, userId: number): { started: true } {
    const { ctx } = this;
    refuseEmptyImport(input);
    const contentHash = importContentHash(input);
    // A resubmit under the same key replays (or is a key conflict) in the job; any other import of known content is refused here, with its details.
    runNow(duplicateAtStart(this.records, input, contentHash));
    ctx.startJob(input.jobId, 'import', (signal, progress) =>
      ctx.jobs.run('import', { input: { ...input, contentHash }, userId }, { signal, progress }).finally(() => ctx.emit('stock.changed', { documentId: null, reason: 'import' })),
    );
    return { started: true };
  }
}
