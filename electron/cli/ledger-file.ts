import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { AppError } from '../../shared/contract/errors';
import { setBusyTimeout } from '../ledger/store/connection-control';
import { migrationHistory } from '../safety/startup-check';

/** Refuses a path with no ledger file, so a mistyped --db creates nothing (no folder, no file). */
export function requireLedgerFile(dbPath: string): void {
  if (!existsSync(dbPath) || !statSync(dbPath).isFile()) {
    throw new AppError(
      'NOT_FOUND',
      `There is no ledger at ${dbPath}. Check the --db path; to start a new ledger there, run "stockbook init --db ${dbPath}" (or "stockbook demo --db ${dbPath}" for demo data).`,
    );
  }
}

/**
 * Opens a ledger for reading only (verify, info): no writer lock, no migrations, nothing created, so it
 * runs beside the app or a browser-mode server writing to the same file (WAL keeps its snapshot consistent).
 */
export function openLedgerReadOnly(dbPath: string): Database.Database {
  requireLedgerFile(dbPath);
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    setBusyTimeout(db, 5000);
    const history = migrationHistory(db);
    if (history.applied.length === 0) {
      throw new AppError('VALIDATION', `${dbPath} is not a Stockbook ledger (it has none of Stockbook's tables). Check the --db path.`);
    }
    if (history.pending.length > 0 && history.unknown.length === 0) {
      throw new AppError(
        'VALIDATION',
        `The ledger ${dbPath} was written by an older Stockbook and has not been upgraded yet. Open it once in Stockbook (or run "stockbook backup --db ${dbPath}", which upgrades it after a backup), then try again.`,
      );
    }
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
