import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import type { BackupsConfigureInput, BackupsRestoreInput, BackupsRunInput } from '../../shared/contract/safety.schemas';
import type { BackupFile, BackupRecord, BackupStatus, SafeModeInfo } from '../../shared/safety';
import type { WorkerContext } from '../ledger/worker-context';
import { audit, type AuditActor } from './audit';
import { backupStatus, getBackup, runBackup } from './backup-service';
import { backupStoreOf } from './backup-store';
import { scheduleRestore } from './restore';
import { backupSettings, setSetting } from './settings-store';
import { actorOf, type Caller } from '../ledger/caller';

/** Backups and restore in the ledger worker. */
export interface SafetyOps {
  safetyStatus(): SafeModeInfo | null;
  'backups.status'(): BackupStatus;
  'backups.run'(jobId: string, input: BackupsRunInput, actor: AuditActor): { started: true };
  'backups.configure'(input: BackupsConfigureInput, caller: Caller): BackupStatus;
  'backups.files'(): BackupFile[];
  'backups.restore'(input: BackupsRestoreInput, caller: Caller): { scheduled: BackupRecord | BackupFile; message: string };
  /** Starts the daily backup when it is due (called by the worker's timer); returns whether it started. */
  backupsDailyTick(now?: number): boolean;
}

export function listBackupFiles(folder: string): BackupFile[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names
    .filter((n) => /^stockbook-.*\.db$/.test(n))
    .map((n) => {
      const s = statSync(join(folder, n));
      return { path: join(folder, n), bytes: s.size, modifiedAt: s.mtimeMs };
    })
    .sort((a, b) => b.modifiedAt - a.modifiedAt);
}

export const RESTART_MESSAGE = 'The restore happens when Stockbook next starts: close Stockbook and open it again. The current file is kept aside first.';

/** When today's daily backup is due: the set HH:MM today, local time. */
export function dailyDue(dailyAt: string, now: number): number {
  const [h, m] = dailyAt.split(':').map(Number);
  const d = new Date(now);
  d.setHours(h ?? 21, m ?? 0, 0, 0);
  return d.getTime();
}

export function safetyOps(ctx: WorkerContext): SafetyOps {
  const { ledger } = ctx;
  const { db } = ledger;
  let dailyRunning = false;
  const startBackupJob = (jobId: string, input: BackupsRunInput, actor: AuditActor, reason: 'manual' | 'daily' | 'export') => {
    ctx.startJob(jobId, 'backup', async (_signal, progress) => {
      progress({ done: 0, total: 1, phase: 'copying and checking' });
      const r = await runBackup(ledger, reason, { folder: input.toFolder, actor, offThread: true });
      progress({ done: 1, total: 1, phase: 'done' });
      ctx.emit('backup.finished', { backupId: r.id, ok: r.ok });
      return `Backed up to ${r.path} (${Math.round(r.bytes / 1024).toLocaleString('en-GB')} KB). ${r.message ?? ''}`.trim();
    });
  };
  return {
    safetyStatus: () => null,
    'backups.status': () => backupStatus(ledger),
    'backups.run': (jobId, input, actor) => {
      startBackupJob(jobId, input, actor, input.toFolder ? 'export' : 'manual');
      return { started: true };
    },
    'backups.configure': (input, caller) => {
      const actor = actorOf(caller);
      const before = backupSettings(db, ledger.path);
      db.transaction(() => {
        if (input.folder !== undefined) setSetting(db, 'backup.folder', input.folder);
        if (input.dailyAt !== undefined) setSetting(db, 'backup.dailyAt', input.dailyAt);
        if (input.retention !== undefined) setSetting(db, 'backup.retention', input.retention);
        audit(db, actor, 'setting-changed', { key: 'backup', before, after: backupSettings(db, ledger.path) });
      })();
      return backupStatus(ledger);
    },
    'backups.files': () => listBackupFiles(backupSettings(db, ledger.path).folder),
    'backups.restore': (input, caller) => {
      const actor = actorOf(caller);
      let scheduled: BackupRecord | BackupFile;
      if (input.backupId !== undefined) {
        const b = getBackup(db, input.backupId);
        if (!b) throw new AppError('NOT_FOUND', 'That backup is no longer listed. Refresh the list and choose again.');
        if (!b.ok || b.removedAt !== null) throw new AppError('VALIDATION', `That backup ${b.ok ? 'was removed by the retention policy' : 'failed its check'}; choose a good backup.`);
        scheduled = b;
      } else {
        const file = listBackupFiles(backupSettings(db, ledger.path).folder).find((f) => f.path === input.file);
        if (!file) throw new AppError('NOT_FOUND', `${input.file} is not a backup in the backup folder. Choose one from the list.`);
        scheduled = file;
      }
      scheduleRestore(ledger.path, scheduled.path);
      audit(db, actor, 'restore-scheduled', { from: scheduled.path });
      return { scheduled, message: RESTART_MESSAGE };
    },
    backupsDailyTick: (now = Date.now()) => {
      if (dailyRunning) return false;
      const s = backupSettings(db, ledger.path);
      const due = dailyDue(s.dailyAt, now);
      if (now < due) return false;
      const done = backupStoreOf(db).dailyDone(due, now - 60 * 60 * 1000);
      if (done) return false;
      dailyRunning = true;
      runBackup(ledger, 'daily', { offThread: true })
        .then((r) => ctx.emit('backup.finished', { backupId: r.id, ok: r.ok }))
        .catch(() => ctx.emit('backup.finished', { backupId: null, ok: false }))
        .finally(() => {
          dailyRunning = false;
        });
      return true;
    },
  };
}
