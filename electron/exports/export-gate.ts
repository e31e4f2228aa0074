import type pg from 'pg';
import { AppError } from '../../shared/contract/errors';
import { jobsWaitingPhase } from '../../shared/enquiry';
import type { ExportWrite } from './export-jobs';

/** Connections of a PostgreSQL pool no export (nor other long job) may take: for the clerks' commits and reads while they run. */
export const PG_CONNECTIONS_KEPT_FROM_EXPORTS = 2;

/** How many connections exports and the other long jobs hold at once on a pool of `poolSize`: all but PG_CONNECTIONS_KEPT_FROM_EXPORTS, at least one. */
export const pgExportLimit = (poolSize: number): number => Math.max(1, poolSize - PG_CONNECTIONS_KEPT_FROM_EXPORTS);

/** A long job that holds pool connections while it runs: what it is called in a waiting job's progress, and how many it holds. */
export interface GatedJob {
  kind: string;
  connections: number;
}
export const EXPORT_JOB: GatedJob = { kind: 'export', connections: 1 };
/** A posting run: its claim's session for the whole run, a chunk's transaction beside it, and the next chunk's read beside that (batch-runner.ts). */
export const POSTING_JOB: GatedJob = { kind: 'posting run', connections: 3 };
/** A batch's reversal: its claim's session (posting-lock) and the transaction mirroring the batch beside it. */
export const REVERSAL_JOB: GatedJob = { kind: 'posting reversal', connections: 2 };
/** A catalog import: its one transaction, the whole import long. */
export const CATALOG_IMPORT_JOB: GatedJob = { kind: 'catalog import', connections: 1 };
/** A stock import: one transaction at a time, one after another, the whole import long. */
export const STOCK_IMPORT_JOB: GatedJob = { kind: 'stock import', connections: 1 };

interface Waiter {
  connections: number;
  admit(): void;
  /** Told how many jobs wait before it whenever the queue moves. */
  tell(ahead: number): void;
}

/**
 * At most `limit` connections held at once by exports and the other long jobs of a PostgreSQL pool (posting runs and
 * reversals, catalog and stock imports: GatedJob); a further one waits its turn, first come first served, and is told where it
 * stands (`waiting`, each time the queue moves). A job cancelled while it waits leaves the queue at once: CANCELLED,
 * nothing written. Each running export holds a pool connection for its read snapshot the whole time it writes, a
 * posting run its claim's session, a catalog import its transaction: without one bound over all of them, enough of
 * them would hold every connection and no clerk's document could commit.
 */
export class ExportGate {
  private used = 0;
  /** The kinds of the jobs running, one entry each (what a waiting job is told). */
  private readonly holding: string[] = [];
  private readonly queue: Waiter[] = [];

  constructor(readonly limit: number) {}

  /** `write` through the gate: it waits its turn, its progress saying where it stands (jobsWaitingPhase), then writes. */
  gated(write: ExportWrite): ExportWrite {
    return (file, signal, progress) => this.run(signal, (phase) => progress({ done: 0, total: 0, phase }), () => write(file, signal, progress));
  }

  /** `work` once `job`'s connections are free under the limit; `waiting` is given the phase to show while it waits. */
  async run<T>(signal: AbortSignal, waiting: (phase: string) => void, work: () => Promise<T>, job: GatedJob = EXPORT_JOB): Promise<T> {
    const connections = Math.min(job.connections, this.limit);
    await this.enter(signal, (ahead) => waiting(jobsWaitingPhase(this.holding, ahead)), connections, job.kind);
    try {
      return await work();
    } finally {
      this.used -= connections;
      this.holding.splice(this.holding.indexOf(job.kind), 1);
      this.admitHead();
      this.tellQueue();
    }
  }

  /** Admits the waiters at the head of the queue whose connections now fit. */
  private admitHead(): void {
    while (this.queue.length > 0 && this.used + this.queue[0]!.connections <= this.limit) this.queue.shift()!.admit();
  }

  private enter(signal: AbortSignal, waiting: (ahead: number) => void, connections: number, kind: string): Promise<void> {
    if (this.used + connections <= this.limit && this.queue.length === 0) {
      this.used += connections;
      this.holding.push(kind);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const cancelled = () => new AppError('CANCELLED', `The ${kind} was cancelled while it waited for its turn; nothing was written.`);
      if (signal.aborted) return reject(cancelled());
      const onAbort = () => {
        const at = this.queue.indexOf(waiter);
        this.queue.splice(at, 1);
        // a smaller job behind it may fit now
        if (at === 0) this.admitHead();
        this.tellQueue(at === 0 ? 0 : at);
        reject(cancelled());
      };
      const waiter: Waiter = {
        connections,
        admit: () => {
          signal.removeEventListener('abort', onAbort);
          this.used += connections;
          this.holding.push(kind);
          resolve();
        },
        tell: waiting,
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      waiting(this.queue.length - 1);
    });
  }

  /** Tells each waiter from `from` on its new place. */
  private tellQueue(from = 0): void {
    for (let ahead = from; ahead < this.queue.length; ahead++) this.queue[ahead]!.tell(ahead);
  }
}

const gates = new WeakMap<pg.Pool, ExportGate>();

/** The one gate of a PostgreSQL pool: every export, posting run and import of the host that owns the pool goes through it. */
export function pgJobGate(pool: pg.Pool): ExportGate {
  let gate = gates.get(pool);
  if (!gate) gates.set(pool, (gate = new ExportGate(pgExportLimit(pool.options.max))));
  return gate;
}
