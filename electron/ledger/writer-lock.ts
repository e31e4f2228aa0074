import Database from 'better-sqlite3';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { AppError } from '../../shared/contract/errors';
import { holdExclusiveLock } from './store/lock-file';

/**
 * One writer per ledger file. The truth is an OS lock: an SQLite connection on the sidecar file
 * `<db>.writer` holds `BEGIN EXCLUSIVE` for as long as the writer lives, so the operating system lets it
 * go when the process dies, however it dies (kill -9 leaves no stale lock). The sidecar `<db>.lock` says
 * who holds it (machine, process, kind, since) — only for the refusal message; a stale one is ignored.
 * Readers (verify, info) do not take the lock: WAL lets them read beside the writer.
 */
export interface WriterLock {
  readonly dbPath: string;
  release(): void;
}

export interface LockHolder {
  host: string;
  pid: number;
  /** What holds it, e.g. "the Stockbook app", "the browser-mode server", "stockbook post". */
  kind: string;
  /** When it took the lock (ms since epoch). */
  since: number;
}

export const lockFilePath = (dbPath: string) => `${dbPath}.writer`;
export const holderFilePath = (dbPath: string) => `${dbPath}.lock`;

/** Takes the writer lock of `dbPath`, or throws CONFLICT naming the holder. Never waits. */
export function acquireWriterLock(dbPath: string, kind: string): WriterLock {
  const conn = new Database(lockFilePath(dbPath), { timeout: 0 });
  try {
    holdExclusiveLock(conn);
  } catch (e) {
    conn.close();
    if ((e as { code?: string }).code === 'SQLITE_BUSY') throw inUseError(dbPath, readLockHolder(dbPath));
    throw e;
  }
  const me: LockHolder = { host: hostname(), pid: process.pid, kind, since: Date.now() };
  try {
    writeFileSync(holderFilePath(dbPath), `${JSON.stringify(me, null, 2)}\n`);
  } catch {
    // The holder file is only for messages; the lock is held regardless.
  }
  let held = true;
  return {
    dbPath,
    release: () => {
      if (!held) return;
      held = false;
      // Remove our holder file first (only if it is still ours), then let the OS lock go.
      const current = readLockHolder(dbPath);
      if (current && current.pid === me.pid && current.host === me.host && current.since === me.since) rmSync(holderFilePath(dbPath), { force: true });
      conn.close();
    },
  };
}

/** A lock the caller keeps: handing it on lets another opener use it without releasing it on close. */
export function borrowedLock(lock: WriterLock): WriterLock {
  return { dbPath: lock.dbPath, release: () => undefined };
}

/** Who holds the writer lock, as its holder file says, if that holder is plausibly alive. */
export function readLockHolder(dbPath: string): LockHolder | null {
  let h: LockHolder;
  try {
    h = JSON.parse(readFileSync(holderFilePath(dbPath), 'utf8')) as LockHolder;
  } catch {
    return null;
  }
  if (typeof h.pid !== 'number' || typeof h.host !== 'string' || typeof h.since !== 'number' || typeof h.kind !== 'string') return null;
  if (h.host === hostname() && !processAlive(h.pid)) return null;
  return h;
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function inUseError(dbPath: string, holder: LockHolder | null): AppError {
  const who = holder
    ? `${holder.kind} (process ${holder.pid} on ${holder.host}, since ${new Date(holder.since).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' })})`
    : 'another Stockbook process (it has not said which)';
  return new AppError(
    'CONFLICT',
    `The ledger ${dbPath} is in use by ${who}. Only one program at a time may change a ledger: close that one, or wait for it to finish, and try again. Read-only commands (stockbook verify, stockbook info) can run beside it.`,
    { holder },
  );
}
