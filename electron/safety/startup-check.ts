import Database from 'better-sqlite3';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SafeModeInfo } from '../../shared/safety';
import { MIGRATIONS } from '../ledger/migrations';
import { appliedMigrationNames } from '../ledger/store/migration-names';
import { SqliteLedger, type OpenOptions } from '../ledger/store/sqlite-ledger';
import { acquireWriterLock, type WriterLock } from '../ledger/writer-lock';
import { audit, SYSTEM_ACTOR } from './audit';
import { backupFileName, copyAndCheck, recordBackupHead } from './backup-service';
import { backupStoreOf } from './backup-store';
import type { CopyCheck } from './check-copy';
import { fastVerify } from './fast-verify';
import { clearLeftovers } from './leftovers';
import { applyPendingRestore } from './restore';
import { backupFolderBeforeMigrations, backupSettings } from './settings-store';
import { sweepStalePartials } from './stale-files';

export const KNOWN_MIGRATIONS = MIGRATIONS.map((M) => new M().name);

export interface MigrationHistory {
  applied: string[];
  unknown: string[];
  pending: string[];
}

/** Compares the file's migration history with the migrations this version of Stockbook knows. */
export function migrationHistory(db: Database.Database): MigrationHistory {
  const applied = appliedMigrationNames(db);
  const known = new Set(KNOWN_MIGRATIONS);
  return { applied, unknown: applied.filter((n) => !known.has(n)), pending: KNOWN_MIGRATIONS.filter((n) => !applied.includes(n)) };
}

export type StartResult =
  | { ledger: SqliteLedger; safeMode: null; notes: string[] }
  | { ledger: null; safeMode: SafeModeInfo; notes: string[] };

const safe = (reason: SafeModeInfo['reason'], message: string, problems: string[], notes: string[]): StartResult => ({
  ledger: null,
  safeMode: { reason, message, problems },
  notes,
});

/**
 * Opens the ledger the careful way: applies a scheduled restore, refuses a migration history this version does not
 * know, backs up before migrating, opens (migrating), then runs verify's fast invariants — nothing whose cost grows with
 * the ledger (the full check, with SQLite's quick_check, runs after the window opens: worker-start.ts). Any problem
 * returns safe mode (the caller opens the file read-only) instead of a ledger.
 */
export async function openLedgerSafely(dbPath: string, options: OpenOptions = {}): Promise<StartResult> {
  // One writer per file: everything below (restore, migration backup, open) happens under the writer lock.
  const lock = options.writerLock ?? acquireWriterLock(dbPath, options.writer ?? 'a Stockbook process');
  let result: StartResult;
  try {
    result = await openUnderLock(dbPath, { ...options, writerLock: lock });
  } catch (e) {
    lock.release();
    throw e;
  }
  // Safe mode is read-only: it does not keep other programs from opening the file.
  if (!result.ledger) lock.release();
  return result;
}

async function openUnderLock(dbPath: string, options: OpenOptions & { writerLock: WriterLock }): Promise<StartResult> {
  const notes: string[] = clearLeftovers(dbPath);
  let restored: { from: string; keptAside: string | null } | null = null;
  try {
    restored = await applyPendingRestore(dbPath);
    if (restored) notes.push(`Restored ${restored.from}; the previous file was kept as ${restored.keptAside ?? '(none)'}.`);
  } catch (e) {
    notes.push(`The scheduled restore was not applied: ${e instanceof Error ? e.message : String(e)}`);
  }
  let preMigration: { path: string; bytes: number; startedAt: number; integrity: string; head: CopyCheck['head'] } | null = null;
  if (existsSync(dbPath) && statSync(dbPath).size > 0) {
    let raw: Database.Database | null = null;
    try {
      // Reading the schema and the migration history fails on a file that is not a ledger or whose first pages are damaged.
      // SQLite's page-by-page check (quick_check) reads the whole file, so it runs in the full check after the window opens.
      raw = new Database(dbPath, { fileMustExist: true });
      const history = migrationHistory(raw);
      if (history.unknown.length > 0) {
        return safe(
          'unknown-migrations',
          `This ledger was upgraded by a newer Stockbook (it has changes this version does not know: ${history.unknown.join(', ')}). Install the newer Stockbook to open it, or restore a backup made by this version.`,
          history.unknown,
          notes,
        );
      }
      const hasData = history.applied.length > 0;
      if (history.pending.length > 0 && hasData) {
        const folder = backupFolderBeforeMigrations(raw, dbPath);
        const startedAt = Date.now();
        const path = join(folder, backupFileName('pre-migration', startedAt));
        mkdirSync(folder, { recursive: true });
        const { check, bytes } = await copyAndCheck(raw, path, false);
        if (check.integrity !== 'ok' || !check.verifyOk) {
          return safe('invariants', 'The backup before upgrading the ledger did not pass its check, so the upgrade did not run. Restore a good backup or export a copy for support.', check.problems, notes);
        }
        preMigration = { path, bytes, startedAt, integrity: check.integrity, head: check.head };
        notes.push(`Backed up to ${path} before upgrading (${history.pending.length} change${history.pending.length === 1 ? '' : 's'}).`);
      }
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return safe('open-failed', `Stockbook could not check the ledger file (${why}). It opened read-only where it could: restore a backup, or free disk space if the disk is full, and start again.`, [why], notes);
    } finally {
      raw?.close();
    }
  }
  let ledger: SqliteLedger;
  try {
    ledger = await SqliteLedger.open(dbPath, options);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return safe('open-failed', `Stockbook could not open the ledger (${why}). Restore a backup, or free disk space if the disk is full, and start again.`, [why], notes);
  }
  const problems = fastVerify(ledger.db);
  if (problems.length > 0) {
    await ledger.close();
    return safe('invariants', 'The ledger failed its start-up checks (see the problems). Stockbook opened it read-only: restore the last good backup, or export a copy for support.', problems, notes);
  }
  if (preMigration) {
    const id = backupStoreOf(ledger.db).recordPreMigration({
      path: preMigration.path,
      startedAt: preMigration.startedAt,
      finishedAt: Date.now(),
      bytes: preMigration.bytes,
      integrity: preMigration.integrity,
      message: 'Checked before upgrading the ledger.',
    });
    if (preMigration.head) recordBackupHead(ledger.db, id, preMigration.head);
    audit(ledger.db, SYSTEM_ACTOR, 'backup', { reason: 'pre-migration', path: preMigration.path });
  }
  if (restored) audit(ledger.db, SYSTEM_ACTOR, 'restore-applied', { from: restored.from, keptAside: restored.keptAside });
  const swept = sweepStalePartials(backupSettings(ledger.db, dbPath).folder);
  if (swept.length > 0) notes.push(`Removed ${swept.length} unfinished backup file${swept.length === 1 ? '' : 's'} left by a backup that was stopped part-way.`);
  return { ledger, safeMode: null, notes };
}
