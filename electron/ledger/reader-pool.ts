import { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/contract/errors';
import { workerEntry } from '../jobs/worker-entry';
import type { LedgerOp, LedgerRequest, LedgerResponse } from './ledger-protocol';

type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void };

interface Reader {
  worker: Worker;
  pending: Map<number, Pending>;
}

export interface ReaderPoolOptions {
  /** Tests only: a latch every reader call waits at (see ledger-reader.worker.ts). */
  gate?: Int32Array;
}

/**
 * The reader threads beside the ledger writer: each has its own read-only connection (WAL) and answers the
 * read-only operations, so a commit never waits behind an enquiry and an enquiry never waits behind a long commit.
 * A call goes to the reader with the fewest calls waiting. A reader that stops fails its own calls (each caller gets
 * a proper error) and is started again at once.
 */
export class ReaderPool {
  private readonly readers: (Reader | null)[];
  private readonly starting = new Map<number, Promise<Reader>>();
  private nextId = 1;
  private closed = false;

  private constructor(
    private readonly dbPath: string,
    size: number,
    private readonly options: ReaderPoolOptions,
  ) {
    this.readers = Array.from({ length: size }, () => null);
  }

  /** Starts `size` reader threads on `dbPath` (the writer has opened and migrated it) and waits until each is ready. */
  static async start(dbPath: string, size: number, options: ReaderPoolOptions = {}): Promise<ReaderPool> {
    const pool = new ReaderPool(dbPath, size, options);
    try {
      const started = await Promise.allSettled(pool.readers.map((_r, i) => pool.spawn(i)));
      started.forEach((r, i) => (pool.readers[i] = r.status === 'fulfilled' ? r.value : null));
      const failed = started.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  call(op: LedgerOp, args: unknown[]): Promise<unknown> {
    if (this.closed) return Promise.reject(new AppError('UNAVAILABLE', 'The ledger is closed. Restart Stockbook.'));
    return this.pick().then((reader) => {
      const id = this.nextId++;
      return new Promise((resolve, reject) => {
        reader.pending.set(id, { resolve, reject });
        reader.worker.postMessage({ id, op, args } satisfies LedgerRequest);
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const readers = this.readers.splice(0).filter((r): r is Reader => r !== null);
    await Promise.all(
      readers.map(async (r) => {
        const exited = new Promise<void>((done) => r.worker.once('exit', () => done()));
        r.worker.postMessage({ op: 'close' });
        await Promise.race([exited, new Promise<void>((done) => setTimeout(done, 2000).unref())]);
        await r.worker.terminate();
      }),
    );
  }

  /** The running reader with the fewest calls waiting; while every one is being started again, the first to be ready. */
  private async pick(): Promise<Reader> {
    let best: Reader | null = null;
    for (const r of this.readers) if (r !== null && (best === null || r.pending.size < best.pending.size)) best = r;
    if (best) return best;
    return Promise.race(this.readers.map((_r, i) => this.restart(i)));
  }

  /** Starts the reader of `slot` again (once, however many calls ask). */
  private restart(slot: number): Promise<Reader> {
    let starting = this.starting.get(slot);
    if (!starting) {
      starting = this.spawn(slot).then(
        (r) => {
          this.starting.delete(slot);
          if (this.closed) void r.worker.terminate();
          else this.readers[slot] = r;
          return r;
        },
        (e: unknown) => {
          this.starting.delete(slot);
          throw e;
        },
      );
      this.starting.set(slot, starting);
    }
    return starting;
  }

  private spawn(slot: number): Promise<Reader> {
    const entry = workerEntry(import.meta.url, './ledger-reader.worker.ts', 'ledger-reader.worker');
    const worker = new Worker(entry.url, { workerData: { ...entry.workerData, dbPath: this.dbPath, gate: this.options.gate } });
    const reader: Reader = { worker, pending: new Map() };
    const fail = (message: string) => {
      if (this.readers[slot] === reader) {
        this.readers[slot] = null;
        if (!this.closed) this.restart(slot).catch(() => undefined);
      }
      for (const p of reader.pending.values()) p.reject(new AppError('UNAVAILABLE', message));
      reader.pending.clear();
    };
    return new Promise((resolve, reject) => {
      worker.on('message', (m: LedgerResponse) => {
        if (m.kind === 'ready') resolve(reader);
        else if (m.kind === 'fatal') {
          void worker.terminate();
          reject(AppError.fromWire(m.error));
        } else if (m.kind === 'reply') {
          const p = reader.pending.get(m.id);
          reader.pending.delete(m.id);
          if (m.ok) p?.resolve(m.result);
          else p?.reject(AppError.fromWire(m.error));
        }
      });
      worker.on('error', (e) => {
        fail(`Reading the ledger failed (${e.message}). Try again; restart Stockbook if it repeats.`);
        reject(e);
      });
      worker.on('exit', (code) => fail(`Reading the ledger stopped (exit code ${code}). Try again; restart Stockbook if it repeats.`));
    });
  }
}
