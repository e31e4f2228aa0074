import { AppError, type WireError } from '../../shared/contract/errors';
import { throttledProgress } from './job-progress';

/** What a job ends with: its message, and for a posting job the batch it made. */
export type JobOutcome = string | { message: string; batchId: number };
/** `progress` is throttled (a report held back goes out when the interval is over); `now` passes one report through at once (a phase that must not be lost behind the one before). */
export type JobRun = (signal: AbortSignal, progress: (p: { done: number; total: number; phase: string }, now?: boolean) => void) => Promise<JobOutcome>;

/** A batch id a job's refusal carries in its details (a cancelled posting run's batch), if any. */
function batchIdOf(details: unknown): { batchId?: number } {
  const id = (details as { batchId?: unknown } | undefined)?.batchId;
  return typeof id === 'number' ? { batchId: id } : {};
}

/** Events and background jobs: what every capability's operations get, on either store. */
export interface JobHost {
  emit(event: string, payload: unknown): void;
  /**
   * Starts a background job. `run` works in chunks (awaiting between them so other requests interleave), reports
   * progress (throttled to ~10/s, the newest held report sent at the interval's end) and stops at a chunk boundary when the signal aborts, leaving nothing half-written.
   * Emits job.progress and job.finished.
   */
  startJob(jobId: string, kind: string, run: JobRun): void;
  cancelJob(jobId: string): boolean;
  cancelAll(): void;
}

/**
 * The running background jobs of one ledger (SQLite worker or PostgreSQL host): each can be cancelled; each reports
 * progress (throttled) and ends with one job.finished, its error told in the user's words (`toWire`).
 */
export function jobRegistry(emit: (event: string, payload: unknown) => void, toWire: (e: unknown) => WireError): Omit<JobHost, 'emit'> {
  const jobs = new Map<string, AbortController>();
  return {
    startJob(jobId: string, kind: string, run: JobRun): void {
      if (jobs.has(jobId)) throw new AppError('CONFLICT', `Job ${jobId} is already running.`);
      const controller = new AbortController();
      jobs.set(jobId, controller);
      const progress = throttledProgress(jobId, kind, (p) => emit('job.progress', p));
      run(controller.signal, (p, now) => progress(p, now))
        // a report still held by the throttle is dropped: job.finished is the job's last word
        .finally(() => progress.stop())
        .then((outcome) => emit('job.finished', { jobId, kind, ok: true, cancelled: false, ...(typeof outcome === 'string' ? { message: outcome } : outcome) }))
        .catch((e: unknown) => {
          const w = toWire(e);
          emit('job.finished', { jobId, kind, ok: false, cancelled: w.code === 'CANCELLED', message: w.message, ...batchIdOf(w.details) });
        })
        .finally(() => jobs.delete(jobId));
    },
    cancelJob(jobId: string): boolean {
      const c = jobs.get(jobId);
      c?.abort();
      return c !== undefined;
    },
    cancelAll(): void {
      for (const c of jobs.values()) c.abort();
    },
  };
}
