import { AppError, type WireError } from '../../shared/contract/errors';
import { jobRegistry, type JobHost } from '../jobs/job-registry';
import { JobPool } from '../jobs/job-pool';
import type { SqliteLedger } from './store/sqlite-ledger';

/** What every capability's worker operations get: the ledger, events, and background jobs (job-registry.ts). */
export interface WorkerContext extends JobHost {
  ledger: SqliteLedger;
  /** The job threads: a job's heavy body runs there on its own read connection; its writes come back to this writer. */
  jobs: JobPool;
}

export function toWire(e: unknown): WireError {
  if (e instanceof AppError) return e.toWire();
  const message = e instanceof Error ? e.message : String(e);
  if (/SQLITE_FULL|database or disk is full/i.test(message)) {
    return { code: 'UNAVAILABLE', message: 'The disk is full, so nothing was saved. Free some disk space and try again.' };
  }
  if (/SQLITE_BUSY|database is locked/i.test(message)) {
    return { code: 'UNAVAILABLE', message: 'The ledger file is in use by another program. Close it and try again.' };
  }
  return { code: 'INTERNAL', message: `Stockbook hit an unexpected error (${message}). Nothing was changed; try again, and report it if it repeats.` };
}

export function createWorkerContext(ledger: SqliteLedger, emit: (event: string, payload: unknown) => void): WorkerContext {
  return { ledger, emit, jobs: new JobPool(ledger.path, ledger), ...jobRegistry(emit, toWire) };
}
