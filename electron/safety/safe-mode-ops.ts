import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import { DEFAULT_RETENTION, type SafeModeInfo } from '../../shared/safety';
import type { LedgerOps } from '../ledger/ledger-protocol';
import { backupFileName } from './backup-service';
import { checkCopyOffThread } from './check-copy-off-thread';
import { pendingRestore, scheduleRestore } from './restore';
import { listBackupFiles, RESTART_MESSAGE, type SafetyOps } from './safety.ops';
import { backupFolderBeforeMigrations, defaultBackupFolder } from './settings-store';

/**
 * Safe mode: the ledger failed its start-up checks, so it is opened read-only (if at all) and the worker
 * offers only status, the backup files, export of a copy and restore. Every other operation is refused
 * with the reason and the way out.
 */
export function safeModeOps(dbPath: string, info: SafeModeInfo, emit: (event: string, payload: unknown) => void): { ops: LedgerOps; close(): void } {
  let db: Database.Database | null = null;
  try {
    db = new Database(dbPath, { readonly: true, fileMustExist: true });
  } catch {
    db = null;
  }
  const folder = (() => {
    try {
      return db ? backupFolderBeforeMigrations(db, dbPath) : defaultBackupFolder(dbPath);
    } catch {
      return defaultBackupFolder(dbPath);
    }
  })();
  const safety: Partial<SafetyOps> & Pick<LedgerOps, 'jobs.cancel'> = {
    safetyStatus: () => info,
    'backups.status': () => ({
      settings: { folder, dailyAt: '21:00', retention: DEFAULT_RETENTION },
      lastGood: null,
      stale: true,
      recent: [],
      pendingRestore: pendingRestore(dbPath),
    }),
    'backups.files': () => listBackupFiles(folder),
    'backups.restore': (input) => {
      if (input.file === undefined) throw new AppError('VALIDATION', 'In safe mode choose a backup file from the folder listing (the ledger\'s backup records cannot be trusted).');
      const file = listBackupFiles(folder).find((f) => f.path === input.file);
      if (!file) throw new AppError('NOT_FOUND', `${input.file} is not a backup in ${folder}. Choose one from the list.`);
      scheduleRestore(dbPath, file.path);
      return { scheduled: file, message: RESTART_MESSAGE };
    },
    'backups.run': (jobId, input) => {
      if (!db) throw new AppError('UNAVAILABLE', 'The ledger file cannot be read at all, so no copy can be exported. Copy the file by hand for support, and restore a backup.');
      const source = db;
      const target = input.toFolder ?? folder;
      const dest = join(target, backupFileName('export', Date.now()));
      void (async () => {
        try {
          mkdirSync(target, { recursive: true });
          // An export for support is kept even when its check fails: it is a copy of what is there.
          await source.backup(dest);
          const check = await checkCopyOffThread(dest).catch(() => null);
          const verdict = check && check.integrity === 'ok' && check.verifyOk ? 'it passed its check' : 'it did NOT pass its check; send it for support, do not restore it';
          emit('job.finished', { jobId, kind: 'backup', ok: true, cancelled: false, message: `Exported a copy to ${dest} (${verdict}).` });
        } catch (e) {
          emit('job.finished', { jobId, kind: 'backup', ok: false, cancelled: false, message: e instanceof Error ? e.message : String(e) });
        }
      })();
      return { started: true };
    },
    'jobs.cancel': () => ({ cancelled: false }),
  };
  const refuse = (op: string) => () => {
    // The user knows what they asked for; the message says what is still open and the way out, never an internal name.
    throw new AppError('UNAVAILABLE', `Stockbook is in safe mode: only the safety status, backups and restore work until the ledger is put right. ${info.message}`, { safeMode: info, operation: op });
  };
  const ops = new Proxy(safety as LedgerOps, {
    get: (target, prop: string) => (prop in target ? target[prop as keyof LedgerOps] : refuse(prop)),
  });
  return { ops, close: () => db?.close() };
}
