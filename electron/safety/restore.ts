import Database from 'better-sqlite3';
import { copyFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { AppError } from '../../shared/contract/errors';
import { truncateCheckpoint } from '../ledger/store/wal-checkpoint';
import { checkCopy } from './check-copy';

const markerPath = (dbPath: string) => `${dbPath}.restore-pending`;

/** The backup file a restore is waiting to apply at the next start, if any. */
export function pendingRestore(dbPath: string): string | null {
  try {
    return (JSON.parse(readFileSync(markerPath(dbPath), 'utf8')) as { from: string }).from;
  } catch {
    return null;
  }
}

/** Asks the next start of Stockbook to restore `from` (the open ledger cannot be swapped under the running app). */
export function scheduleRestore(dbPath: string, from: string): void {
  if (!existsSync(from)) throw new AppError('NOT_FOUND', `The backup file ${from} is not there any more. Choose another backup.`);
  writeFileSync(markerPath(dbPath), JSON.stringify({ from, requestedAt: Date.now() }));
}

export function cancelPendingRestore(dbPath: string): void {
  rmSync(markerPath(dbPath), { force: true });
}

const stamp = () => new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');

/**
 * Replaces the ledger file with a backup. The backup is copied beside the ledger and checked first
 * (integrity_check + verify); only then is the current file (with its WAL) moved aside to
 * `<db>.before-restore-<time>` and the checked copy put in its place. The ledger must not be open.
 */
export async function restoreFile(dbPath: string, from: string): Promise<{ keptAside: string | null; movements: number }> {
  if (!existsSync(from)) throw new AppError('NOT_FOUND', `The backup file ${from} does not exist. Give the path of a Stockbook backup (*.db).`);
  const staging = `${dbPath}.restoring`;
  copyFileSync(from, staging);
  const check = await checkCopy(staging).catch((e: unknown) => ({ integrity: e instanceof Error ? e.message : String(e), verifyOk: false, problems: [] as string[], movements: 0 }));
  if (check.integrity !== 'ok' || !check.verifyOk) {
    rmSync(staging, { force: true });
    throw new AppError(
      'VALIDATION',
      `The backup ${from} did not pass its check (${check.integrity === 'ok' ? check.problems.slice(0, 3).join('; ') : check.integrity}); nothing was restored. Choose an older backup.`,
    );
  }
  let keptAside: string | null = null;
  if (existsSync(dbPath)) {
    try {
      const cur = new Database(dbPath, { fileMustExist: true });
      truncateCheckpoint(cur);
      cur.close();
    } catch {
      // A damaged file is kept aside as it is, with its WAL beside it.
    }
    keptAside = `${dbPath}.before-restore-${stamp()}`;
    renameSync(dbPath, keptAside);
    if (existsSync(`${dbPath}-wal`)) renameSync(`${dbPath}-wal`, `${keptAside}-wal`);
    rmSync(`${dbPath}-shm`, { force: true });
  }
  renameSync(staging, dbPath);
  return { keptAside, movements: check.movements };
}

/** At start-up, before the ledger opens: applies a restore the user scheduled. */
export async function applyPendingRestore(dbPath: string): Promise<{ from: string; keptAside: string | null } | null> {
  const from = pendingRestore(dbPath);
  if (!from) return null;
  cancelPendingRestore(dbPath);
  const r = await restoreFile(dbPath, from);
  return { from, keptAside: r.keptAside };
}
