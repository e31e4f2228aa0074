import type pg from 'pg';
import { AppError } from '../../shared/contract/errors';
import { exportWaitingPhase } from '../../shared/enquiry';
import type { ExportWrite } from './export-jobs';

/** Connections of a PostgreSQL pool no export may take: for the clerks' commits and reads while exports run. */
export const PG_CONNECTIONS_KEPT_FROM_EXPORTS = 2;

/** How many exports run at once on a pool of `poolSize` connections: all but PG_CONNECTIONS_KEPT_FROM_EXPORTS, at least one. */
export const pgExportLimit = (poolSize: number): number => Math.max(1, poolSize - PG_CONNECTIONS_KEPT_FROM_EXPORTS);

interface Waiter {
  admit(): void;
  /** Told how many exports wait before it whenever the queue moves. */
  tell(ahead: number): void;
}

/**
 * At most `limit` exports at once; a further one waits its turn, first come first served, and is told where it stands
 * (`waiting`, each time the queue moves). An export cancelled while it waits leaves the queue at once: CANCELLED,
 * nothing written. On PostgreSQL each running export holds a pool connection for its read snapshot the whole time it
 * writes, so without the bound enough exports would hold every connection and no clerk's document could commit.
 */
export class ExportGate {
  private running = 0;
  private readonly queue: Waiter[] = [];

  constructor(readonly limit: number) {}

  /** `write` through the gate: it waits its turn, its progress saying where it stands (exportWaitingPhase), then writes. */
  gated(write: ExportWrite): ExportWrite {
    return (file, signal, progress) => this.run(signal, (ahead) => progress({ done: 0, total: 0, phase: exportWaitingPhase(this.limit, ahead) }), () => write(file, signal, progress));
  }

  async run<T>(signal: AbortSignal, waiting: (ahead: number) => void, work: () => Promise<T>): Promise<T> {
    await this.enter(signal, waiting);
    try {
      return await work();
    } finally {
      this.running--;
      this.queue.shift()?.admit();
      this.tellQueue();
    }
  }

  private enter(signal: AbortSignal, waiting: (ahead: number) => void): Promise<void> {
    if (this.running < this.limit && this.queue.length === 0) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const cancelled = () => new AppError('CANCELLED', 'The export was cancelled while it waited for its turn; nothing was written.');
      if (signal.aborted) return reject(cancelled());
      const onAbort = () => {
        const at = this.queue.indexOf(waiter);
        this.queue.splice(at, 1);
        this.tellQueue(at);
        reject(cancelled());
      };
      const waiter: Waiter = {
        admit: () => {
          signal.removeEventListener('abort', onAbort);
          this.running++;
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

/** The one export gate of a PostgreSQL pool (every export of the host that owns the pool goes through it). */
export function pgExportGate(pool: pg.Pool): ExportGate {
  let gate = gates.get(pool);
  if (!gate) gates.set(pool, (gate = new ExportGate(pgExportLimit(pool.options.max))));
  return gate;
}
