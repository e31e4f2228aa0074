import type { JobFinished, JobProgress } from '../../shared/domain';

/** Jobs that write the ledger or its finance posting: the app must not restart (to update) while one runs. */
export const WRITING_JOB_KINDS: readonly string[] = ['posting', 'posting-reversal', 'import', 'catalog-import', 'demo', 'backup'];

/** Follows job.progress / job.finished events and tells whether a writing job (a posting above all) is running. */
export class RunningJobs {
  private readonly running = new Map<string, string>();
  private waiters: (() => void)[] = [];

  observe(event: string, payload: unknown): void {
    if (event === 'job.progress') {
      const p = payload as JobProgress;
      this.running.set(p.jobId, p.kind);
    } else if (event === 'job.finished') {
      this.running.delete((payload as JobFinished).jobId);
      if (!this.busy()) {
        const waiters = this.waiters;
        this.waiters = [];
        for (const w of waiters) w();
      }
    }
  }

  /** The kind of a running writing job ("posting"), or null. */
  busy(): string | null {
    for (const kind of this.running.values()) if (WRITING_JOB_KINDS.includes(kind)) return kind;
    return null;
  }

  /** Calls `then` once no writing job runs (now, or when the last one finishes). */
  whenIdle(then: () => void): void {
    if (this.busy()) this.waiters.push(then);
    else then();
  }
}
