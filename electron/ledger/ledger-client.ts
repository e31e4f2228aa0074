import { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/contract/errors';
import { workerEntry } from '../jobs/worker-entry';
import type { LedgerOp, LedgerOps, LedgerRequest, LedgerResponse } from './ledger-protocol';

type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void };

/** Talks to the ledger worker; every write and read of the ledger goes through here. */
export class LedgerClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: string, payload: unknown) => void>();
  private closed = false;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: LedgerResponse) => {
      if (m.kind === 'event') for (const l of this.listeners) l(m.event, m.payload);
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

  /** Starts the ledger worker on `dbPath`; `writer` names this process to another program refused the file. */
  static start(dbPath: string, writer?: string): Promise<LedgerClient> {
    const entry = workerEntry(import.meta.url, './ledger.worker.ts', 'ledger.worker');
    const worker = new Worker(entry.url, { workerData: { ...entry.workerData, dbPath, writer } });
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
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, op, args } satisfies LedgerRequest);
    });
  }

  onEvent(listener: (event: string, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const exited = new Promise<void>((r) => this.worker.once('exit', () => r()));
    this.worker.postMessage({ op: 'close' });
    await Promise.race([exited, new Promise<void>((r) => setTimeout(r, 5000))]);
    await this.worker.terminate();
  }

  private failAll(message: string): void {
    this.closed = true;
    for (const p of this.pending.values()) p.reject(new AppError('UNAVAILABLE', message));
    this.pending.clear();
  }
}
