import Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import type { ChainHead } from '../ledger/store/chain-anchors';
import { pageCheck } from '../ledger/store/page-check';
import { verifyLedger } from '../ledger/store/verify';
import { workerEntry } from '../jobs/worker-entry';
import { externalAnchors } from './external-anchors-store';

export interface FullCheckResult {
  ok: boolean;
  movements: number;
  head: ChainHead;
  /** "check: problem" lines of the failed checks (at most a few per check). */
  problems: string[];
  /** SQLite found the file damaged (quick_check's lines are in problems, as "file: …"). */
  damaged: boolean;
}

export type FullCheckMessage = { kind: 'progress'; done: number; total: number } | { kind: 'done'; result: FullCheckResult } | { kind: 'error'; message: string };

/**
 * SQLite's check of the whole file (PRAGMA integrity_check: every page, and every index entry against its row), then
 * every invariant `verify` checks, on the whole ledger — the full hash chain in one ordered scan, held to every anchor
 * inside and outside the file — on a read-only connection, the invariants in one read transaction (a consistent snapshot
 * while the writer goes on). A damaged file stops there: its invariants are not worth reading.
 */
export function fullCheck(dbPath: string, onProgress?: (done: number, total: number) => void): FullCheckResult {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return fullCheckOn(db, onProgress);
  } finally {
    db.close();
  }
}

/**
 * The full check's body on an open (read) connection, for whichever thread runs it. integrity_check does all quick_check
 * does and more, so a sound file is read once; only when it fails does quick_check run, for its page-by-page lines
 * ("page N: …") that tell a damaged page (damaged: stop here) from index entries that disagree with their rows (reported
 * beside the invariants). The pragmas run outside the verify's read transaction: an integrity_check that meets a page too
 * damaged to read fails the transaction it ran in.
 */
export function fullCheckOn(db: Database.Database, onProgress?: (done: number, total: number) => void): FullCheckResult {
  const integrity = pageCheckLines(db, 'integrity_check');
  const problems: string[] = [];
  if (integrity.join() !== 'ok') {
    const quick = pageCheckLines(db, 'quick_check');
    if (quick.join() !== 'ok') return { ok: false, damaged: true, movements: 0, head: { seq: 0, hash: '' }, problems: quick.map((q) => `file: ${q}`) };
    problems.push(...integrity.slice(0, 5).map((line) => `integrity_check: ${line}`));
  }
  const report = db.transaction(() => verifyLedger(db, { mode: 'full', externalAnchors: externalAnchors(db), onProgress }))();
  problems.unshift(...report.checks.filter((c) => !c.ok).flatMap((c) => c.problems.slice(0, 5).map((p) => `${c.name}: ${p}`)));
  return { ok: problems.length === 0, damaged: false, movements: report.movements, head: report.head, problems };
}

/** A page check's lines ("ok" alone when sound); a page too damaged to read is one line, not a throw. */
function pageCheckLines(db: Database.Database, check: 'integrity_check' | 'quick_check'): string[] {
  try {
    return pageCheck(db, check, 20)
      .flatMap((line) => line.split('\n'))
      .filter((l) => !l.startsWith('*** in database'));
  } catch (e) {
    return [e instanceof Error ? e.message : String(e)];
  }
}

/** Runs fullCheck in its own worker thread, so neither the writer nor the window waits; abort stops the thread. */
export function fullCheckOffThread(dbPath: string, options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {}): Promise<FullCheckResult> {
  const entry = workerEntry(import.meta.url, './full-check.worker.ts', 'full-check.worker');
  const worker = new Worker(entry.url, { workerData: { ...entry.workerData, dbPath } });
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      f();
      void worker.terminate();
    };
    const onAbort = () => settle(() => reject(new Error('cancelled')));
    options.signal?.addEventListener('abort', onAbort);
    worker.on('message', (m: FullCheckMessage) => {
      if (m.kind === 'progress') options.onProgress?.(m.done, m.total);
      else if (m.kind === 'done') settle(() => resolve(m.result));
      else settle(() => reject(new Error(m.message)));
    });
    worker.once('error', (e) => settle(() => reject(e)));
    worker.once('exit', (code) => settle(() => reject(new Error(`the ledger check stopped (exit code ${code})`))));
  });
}
