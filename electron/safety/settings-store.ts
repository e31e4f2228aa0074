import type Database from 'better-sqlite3';
import { dirname, join } from 'node:path';
import { DEFAULT_RETENTION, type BackupSettings, type RetentionPolicy } from '../../shared/safety';

/** Key/value settings in the ledger file (table `settings`); values are JSON. */
export function getSetting<T>(db: Database.Database, key: string, fallback: T): T {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return settingValue(row?.value, fallback);
}

/** A setting's stored JSON text as its value: `fallback` when there is none, or it is not JSON (both stores). */
export function settingValue<T>(text: string | undefined, fallback: T): T {
  if (text === undefined) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function setSetting(db: Database.Database, key: string, value: unknown, now = Date.now()): void {
  db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at').run(
    key,
    JSON.stringify(value),
    now,
  );
}

/** Where backups go until the user picks a folder: a "backups" folder beside the ledger file. */
export function defaultBackupFolder(dbPath: string): string {
  return join(dirname(dbPath), 'backups');
}

export function backupSettings(db: Database.Database, dbPath: string): BackupSettings {
  return {
    folder: getSetting(db, 'backup.folder', defaultBackupFolder(dbPath)),
    dailyAt: getSetting(db, 'backup.dailyAt', '21:00'),
    retention: getSetting<RetentionPolicy>(db, 'backup.retention', DEFAULT_RETENTION),
  };
}

/** Reads the backup folder from a file that may predate the settings table (before migrations). */
export function backupFolderBeforeMigrations(db: Database.Database, dbPath: string): string {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings'").get();
  return hasTable ? getSetting(db, 'backup.folder', defaultBackupFolder(dbPath)) : defaultBackupFolder(dbPath);
}
