import { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/contract/errors';
import { workerEntry } from '../jobs/worker-entry';
import { SAFE_MODE_EVENT, type LedgerOp, type LedgerOps, type LedgerRequest, type LedgerResponse } from './ledger-protocol';
import { READER_OPS, readerThreads } from './reader-ops';
import { ReaderPool } from './reader-pool';
import { availableParallelism } from 'node:os';
import { clock, type WriterTraceSummary } from './writer-trace';
import type { PgConnection } from './pg/pg-types';

export interface LedgerStartOptions {
  /** Reader threads beside the writer (0: every read goes to the writer); default readerThreads(env, cores). */
  readers?: number;
  /** Tests only: latches the writer waits at before each operation, and each reader before each call (electron/jobs/latch.ts). */
  writerGate?: Int32Array;
  readerGate?: Int32Array;
}

type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void };

/**
 * Talks to the ledger: every write goes to the ledger worker (the one writer, in order); the read-only operations
 * (READER_OPS) go to the reader threads, each call in a fresh read transaction, so a caller that waited for its write
 * reads it back. Outside safe mode only: the ledger in safe mode answers everything itself.
 */
export class LedgerClient {
  private readers: ReaderPool | null = null;
  private readersStarted: Promise<void> = Promise.resolve();
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: string, payload: unknown) => void>();
  private closed = false;
  /** The writer entered safe mode while running: no reader answers from then on. */
  private safeMode = false;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: LedgerResponse) => {
      if (m.kind === 'event' && m.event === SAFE_MODE_EVENT) {
        this.safeMode = true;
        this.stopReaders();
      }
      else if (m.kind === 'event') for (const l of this.listeners) l(m.event, m.payload);
      else if (m.kind === 'reply') {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.ok) p?.resolve(m.result);
        else p?.reject(AppError.fromWire(m.error));
      }
    });
    worker.on('exit', (code) => this.failAll(`The ledger stopped (exit code ${code}). Restart Stockbook.`));
    worker.on('error', (e) => this.failAll(`The ledger failed: ${e.message}. Restart Stockbook.`));
  }

  /**
   * Starts the ledger worker on `dbPath`; `writer` names this process to another program refused the file. The reader
   * threads start in the background once the writer has opened (and migrated) the file: until they are ready (and if
   * they cannot start), the writer answers the reads too.
   */
  static async start(dbPath: string, writer?: string, options: LedgerStartOptions = {}): Promise<LedgerClient> {
    const client = await LedgerClient.startWriter(dbPath, writer, options.writerGate);
    const size = options.readers ?? readerThreads(process.env, availableParallelism());
    client.readersStarted = size === 0 ? Promise.resolve() : client.startReaders(dbPath, size, options.readerGate);
    return client;
  }

  /** Resolves once the reader threads answer reads (or will not: none configured, safe mode, or they failed to start). */
  readersReady(): Promise<void> {
    return this.readersStarted;
  }

  private async startReaders(dbPath: string, size: number, gate: Int32Array | undefined): Promise<void> {
    try {
      if ((await this.call('safetyStatus')) !== null) return;
      const pool = await ReaderPool.start(dbPath, size, { gate });
      if (this.closed || this.safeMode) await pool.close();
      else this.readers = pool;
    } catch (e) {
      if (!this.closed) console.warn(`Stockbook: the reader threads did not start, so the writer answers every read (${e instanceof Error ? e.message : String(e)}).`);
    }
  }

  private static startWriter(dbPath: string, writer: string | undefined, gate: Int32Array | undefined): Promise<LedgerClient> {
    return LedgerClient.startHost(workerEntry(import.meta.url, './ledger.worker.ts', 'ledger.worker'), { dbPath, writer, gate });
  }

  /**
   * Starts the ledger on a PostgreSQL database (pg/pg-ledger.worker.ts): one host thread, no reader threads (PostgreSQL
   * serves concurrent reads itself). `migrate` runs the migrations this version adds first (pg-startup-check.ts).
   */
  static startPostgres(connection: PgConnection, options: { migrate?: boolean; safeModePollMs?: number } = {}): Promise<LedgerClient> {
    return LedgerClient.startHost(workerEntry(import.meta.url, './pg/pg-ledger.worker.ts', 'pg-ledger.worker'), { connection, migrate: options.migrate, safeModePollMs: options.safeModePollMs });
  }

  private static startHost(entry: ReturnType<typeof workerEntry>, data: Record<string, unknown>): Promise<LedgerClient> {
    const worker = new Worker(entry.url, { workerData: { ...entry.workerData, ...data } });
    return new Promise((resolve, reject) => {
      const onMessage = (m: LedgerResponse) => {
        if (m.kind === 'ready') {
          worker.off('message', onMessage);
          resolve(new LedgerClient(worker));
        } else if (m.kind === 'fatal') {
          worker.off('message', onMessage);
          void worker.terminate();
          reject(AppError.fromWire(m.error));
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  }

  call<K extends LedgerOp>(op: K, ...args: Parameters<LedgerOps[K]>): Promise<Awaited<ReturnType<LedgerOps[K]>>> {
    if (this.closed) return Promise.reject(new AppError('UNAVAILABLE', 'The ledger is closed. Restart Stockbook.'));
    if (this.readers && READER_OPS.has(op)) return this.readers.call(op, args) as Promise<Awaited<ReturnType<LedgerOps[K]>>>;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, op, args, sentAt: clock() } satisfies LedgerRequest);
    });
  }

  /** Benchmarks: where the writer's requests of `op` waited since the last call (null unless STOCKBOOK_WRITER_TRACE=1). */
  writerTrace(op: LedgerOp): Promise<WriterTraceSummary | null> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ op: 'writerTrace', id, of: op });
    });
  }

  onEvent(listener: (event: string, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.readersStarted;
    const readers = this.readers;
    this.readers = null;
    await readers?.close();
    const exited = new Promise<void>((r) => this.worker.once('exit', () => r()));
    this.worker.postMessage({ op: 'close' });
    await Promise.race([exited, new Promise<void>((r) => setTimeout(r, 5000))]);
    await this.worker.terminate();
  }

  private stopReaders(): void {
    const readers = this.readers;
    this.readers = null;
    void readers?.close();
  }

  private failAll(message: string): void {
    this.closed = true;
    this.stopReaders();
    for (const p of this.pending.values()) p.reject(new AppError('UNAVAILABLE', message));
    this.pending.clear();
  }
}
