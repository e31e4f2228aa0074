import { parentPort, workerData } from 'node:worker_threads';
import { AppError, type WireError } from '../../shared/contract/errors';
import { generateDemo } from '../demo/generate-demo';
import { throttledProgress } from '../jobs/job-progress';
import type { LedgerOps, LedgerRequest, LedgerResponse, LedgerUser } from './ledger-protocol';
import { SqliteLedger } from './store/sqlite-ledger';

/** The ledger worker: the single writer. Messages are handled one at a time, in order. */
const port = parentPort!;
const send = (m: LedgerResponse) => port.postMessage(m);

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

async function main(): Promise<void> {
  const { dbPath } = workerData as { dbPath: string };
  const ledger = await SqliteLedger.open(dbPath);
  const jobs = new Map<string, AbortController>();
  const emit = (event: string, payload: unknown) => send({ kind: 'event', event, payload });

  const ops: LedgerOps = {
    counts: () => ledger.queries.counts(),
    sites: () => ledger.queries.sites(),
    currentStock: (q) => ledger.queries.currentStock(q),
    postDocument: (doc, userId) => {
      const posted = ledger.poster.post(doc, userId);
      if (!posted.replayed) emit('stock.changed', { documentId: posted.documentId, reason: doc.type });
      return posted;
    },
    user: (username) => {
      const row = ledger.db
        .prepare('SELECT id, username, display_name AS displayName, permissions FROM users WHERE username = ? AND active = 1')
        .get(username) as (Omit<LedgerUser, 'permissions'> & { permissions: string }) | undefined;
      if (!row) throw new AppError('NOT_FOUND', `There is no active user "${username}".`);
      return { ...row, permissions: JSON.parse(row.permissions) as string[] };
    },
    startDemo: (jobId, options) => {
      const counts = ledger.queries.counts();
      if (counts.movements > 0 || counts.products > 0) {
        throw new AppError('CONFLICT', 'The database already holds data; demo data loads only into an empty database. Choose a new file.');
      }
      const controller = new AbortController();
      jobs.set(jobId, controller);
      const progress = throttledProgress(jobId, 'demo', (p) => emit('job.progress', p));
      generateDemo(ledger, { ...options, signal: controller.signal, onProgress: (p) => progress(p) })
        .then((r) => {
          progress({ done: r.movements, total: r.movements, phase: 'done' }, true);
          emit('job.finished', { jobId, kind: 'demo', ok: true, cancelled: false, message: `Loaded ${r.products} products and ${r.movements} movements.` });
        })
        .catch((e: unknown) => {
          const w = toWire(e);
          emit('job.finished', { jobId, kind: 'demo', ok: false, cancelled: w.code === 'CANCELLED', message: w.message });
        })
        .finally(() => {
          jobs.delete(jobId);
          emit('stock.changed', { documentId: null, reason: 'demo' });
        });
      return { started: true };
    },
    cancelJob: (jobId) => {
      const c = jobs.get(jobId);
      c?.abort();
      return { cancelled: c !== undefined };
    },
    verify: () => ledger.verify(),
  };

  port.on('message', (msg: LedgerRequest | { op: 'close' }) => {
    if (msg.op === 'close') {
      for (const c of jobs.values()) c.abort();
      void ledger.close().then(() => process.exit(0));
      return;
    }
    const { id, op, args } = msg;
    try {
      const fn = ops[op] as (...a: unknown[]) => unknown;
      send({ kind: 'reply', id, ok: true, result: fn(...args) });
    } catch (e) {
      send({ kind: 'reply', id, ok: false, error: toWire(e) });
    }
  });
  send({ kind: 'ready' });
}

main().catch((e: unknown) => send({ kind: 'fatal', error: toWire(e) }));
