/** Backups, restore and safe mode: types shared by main and renderer. */
export const BACKUP_REASONS = ['manual', 'daily', 'pre-migration', 'pre-posting', 'export'] as const;
export type BackupReason = (typeof BACKUP_REASONS)[number];

export interface RetentionPolicy {
  daily: number;
  weekly: number;
  monthly: number;
}
export const DEFAULT_RETENTION: RetentionPolicy = { daily: 14, weekly: 8, monthly: 12 };
/** Settings warns when the last good backup is older than this. */
export const BACKUP_STALE_MS = 2 * 24 * 60 * 60 * 1000;

export interface BackupRecord {
  id: number;
  reason: BackupReason;
  path: string;
  startedAt: number;
  finishedAt: number | null;
  bytes: number;
  ok: boolean;
  /** Result of PRAGMA integrity_check and verify on the copy. */
  integrity: string;
  verifyOk: boolean;
  message: string | null;
  removedAt: number | null;
}

export interface BackupSettings {
  folder: string;
  /** Local time of the daily backup, HH:MM. */
  dailyAt: string;
  retention: RetentionPolicy;
}

export interface SafeModeInfo {
  reason: 'integrity' | 'unknown-migrations' | 'open-failed' | 'invariants';
  /** What is wrong and what to do, as the user reads it. */
  message: string;
  problems: string[];
}

export interface BackupStatus {
  settings: BackupSettings;
  lastGood: BackupRecord | null;
  /** True when there is no good backup or the last is older than two days. */
  stale: boolean;
  recent: BackupRecord[];
  /** A restore waits for the next start of Stockbook. */
  pendingRestore: string | null;
}

/** A backup file found in the folder (safe mode lists these when the ledger's own records cannot be read). */
export interface BackupFile {
  path: string;
  bytes: number;
  modifiedAt: number;
}
