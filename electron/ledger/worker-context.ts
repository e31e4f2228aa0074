import { AppError, type WireError } from '../../shared/contract/errors';
import { throttledProgress } from '../jobs/job-progress';
import { JobPool } from '../jobs/job-pool';
import type { SqliteLedger } from './store/sqlite-ledger';

/** What every capability's worker operations get: the ledger, events, and background jobs. */
export interface WorkerContext {
  ledger: SqliteLedger;
  emit(event: string, payload: unknown): void;
  /**
   * Starts a background job in the ledger worker. `run` works in chunks (awaiting between them so other
   * requests interleave), reports progress (throttled to ~10/s) and stops at a chunk boundary when the
   * signal aborts, leaving nothing half-written. Emits job.progress and job.finished.
   */
  startJob(
    jobId: string,
    kind: string,
    run: (signal: AbortSignal, progress: (p: { done: number; total: number; phase: string }) => void) => Promise<string>,
  ): void;
  cancelJob(jobId: string): boolean;
  cancelAll(): void;
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
  const jobs = new Map<string, AbortController>();
  return {
    ledger,
    emit,
    jobs: new JobPool(ledger.path, ledger),
    startJob(jobId, kind, run) {
      if (jobs.has(jobId)) throw new AppError('CONFLICT', `Job ${jobId} is already running.`);
      const controller = new AbortController();
      jobs.set(jobId, controller);
      const progress = throttledProgress(jobId, kind, (p) => emit('job.progress', p));
      run(controller.signal, (p) => progress(p))
        .then((message) => emit('job.finished', { jobId, kind, ok: true, cancelled: false, message }))
        .catch((e: unknown) => {
          const w = toWire(e);
          emit('job.finished', { jobId, kind, ok: false, cancelled: w.code === 'CANCELLED', message: w.message });
        })
        .finally(() => jobs.delete(jobId));
    },
    cancelJob(jobId) {
      const c = jobs.get(jobId);
      c?.abort();
      return c !== undefined;
    },
    cancelAll() {
      for (const c of jobs.values()) c.abort();
    },
  };
}
