import type Database from 'better-sqlite3';
import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import { BACKUP_STALE_MS, type BackupReason, type BackupRecord, type BackupStatus } from '../../shared/safety';
import { recordAnchor, type ChainHead } from '../ledger/store/chain-anchors';
import type { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { audit, SYSTEM_ACTOR, type AuditActor } from './audit';
import { backupStoreOf, type BackupRow } from './backup-store';
import { copyAndCheckSnapshot, type CopyCheck, type CopyCheckMode } from './check-copy';
import { checkCopyOffThread } from './check-copy-off-thread';
import { pendingRestore } from './restore';
import { selectRetained } from './retention';
import { backupSettings } from './settings-store';
import { partialPathFor, sweepStalePartials } from './stale-files';
import { plural } from '../../shared/plural';

export interface BackupOptions {
  /** A one-off folder (an export); otherwise the configured backup folder. */
  folder?: string;
  actor?: AuditActor;
  /** Check the copy in its own thread (the ledger worker does; the CLI need not). */
  offThread?: boolean;
  /** 'incremental' by default: the copy proven equal page for page and verify from the last anchor; 'full': integrity_check and every movement. */
  check?: CopyCheckMode;
  now?: () => number;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
export function backupFileName(reason: BackupReason, t: number): string {
  const d = new Date(t);
  const stamp = `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}-${pad(d.getMilliseconds(), 3)}`;
  return `stockbook-${stamp}-${reason}.db`;
}

const toRecord = (r: BackupRow): BackupRecord => ({
  id: r.id,
  reason: r.reason as BackupReason,
  path: r.path,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  bytes: r.bytes,
  ok: r.ok === 1,
  integrity: r.integrity,
  verifyOk: r.verify_ok === 1,
  message: r.message,
  removedAt: r.removed_at,
});

export function getBackup(db: Database.Database, id: number): BackupRecord | null {
  const row = backupStoreOf(db).byId(id);
  return row ? toRecord(row) : null;
}

export function listBackups(db: Database.Database, limit = 50): BackupRecord[] {
  return backupStoreOf(db).recent(limit).map(toRecord);
}

export function lastGoodBackup(db: Database.Database): BackupRecord | null {
  const row = backupStoreOf(db).lastGood();
  return row ? toRecord(row) : null;
}

export function backupStatus(ledger: SqliteLedger, now = Date.now()): BackupStatus {
  const lastGood = lastGoodBackup(ledger.db);
  const pending = pendingRestore(ledger.path);
  return {
    settings: backupSettings(ledger.db, ledger.path),
    lastGood,
    stale: !lastGood || now - lastGood.startedAt > BACKUP_STALE_MS,
    recent: listBackups(ledger.db, 30),
    pendingRestore: pending,
  };
}

/**
 * Copies the live database `source` (its file, read as one snapshot on a connection of its own: the writer goes on) to
 * `dest` and checks the copy (copyAndCheckSnapshot), in a thread of its own when `offThread`.
 */
export async function copyAndCheck(source: Database.Database, dest: string, offThread: boolean, mode: CopyCheckMode = 'incremental'): Promise<{ check: CopyCheck; bytes: number }> {
  const partial = partialPathFor(dest);
  try {
    const check = offThread ? await checkCopyOffThread(partial, mode, source.name) : await copyAndCheckSnapshot(source.name, partial, mode);
    if (check.integrity === 'ok' && check.verifyOk) renameSync(partial, dest);
    else for (const f of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(f, { force: true });
    return { check, bytes: check.integrity === 'ok' && check.verifyOk ? statSync(dest).size : 0 };
  } catch (e) {
    for (const f of [partial, `${partial}-journal`, `${partial}-wal`, `${partial}-shm`]) rmSync(f, { force: true });
    throw e;
  }
}

/**
 * Backs up the ledger: online copy of one snapshot proven equal page for page, verify on the copy, recorded in `backups`
 * and the audit log, then the retention policy prunes older backups. A failed backup is recorded and thrown.
 */
export async function runBackup(ledger: SqliteLedger, reason: BackupReason, options: BackupOptions = {}): Promise<BackupRecord> {
  const { db } = ledger;
  const now = options.now ?? Date.now;
  const actor = options.actor ?? SYSTEM_ACTOR;
  const settings = backupSettings(db, ledger.path);
  const folder = options.folder ?? settings.folder;
  const started = now();
  const dest = join(folder, backupFileName(reason, started));
  const store = backupStoreOf(db);
  const id = store.start(reason, dest, started);
  const finish = (ok: boolean, bytes: number, integrity: string, verifyOk: boolean, message: string | null) =>
    store.finish(id, { finishedAt: now(), ok, bytes, integrity: integrity.slice(0, 2000), verifyOk, message });
  try {
    mkdirSync(folder, { recursive: true });
    sweepStalePartials(folder);
    const { check, bytes } = await copyAndCheck(db, dest, options.offThread ?? false, options.check ?? 'incremental');
    const ok = check.integrity === 'ok' && check.verifyOk;
    const scope = check.verifyFrom === 'full' ? 'every movement' : `movements after ${check.verifyFrom}, the last anchored`;
    const pages = check.integrityCheck === 'page proof' ? `the copy equals the ledger page for page (${plural(check.pages, 'page')})` : `${check.integrityCheck} ok`;
    const message = ok
      ? `Checked: ${pages}, ${plural(check.movements, 'movement')} verified (${scope}).`
      : `The copy failed its check: ${check.problems.slice(0, 3).join('; ')}`;
    finish(ok, bytes, check.integrity, check.verifyOk, message);
    if (ok && check.head) recordBackupHead(db, id, check.head, now());
    audit(db, actor, ok ? 'backup' : 'backup-failed', { id, reason, path: dest, bytes, message }, now());
    if (!ok) throw new AppError('INTERNAL', `The backup copy did not pass its check (${message}). The live ledger was not changed; run "stockbook verify" and try again.`);
  } catch (e) {
    if (e instanceof AppError) throw e;
    const why = e instanceof Error ? e.message : String(e);
    const full = /SQLITE_FULL|disk is full|ENOSPC/i.test(why);
    const message = full
      ? `The backup folder ${folder} is full. Free space there or choose another folder, then back up again.`
      : `Could not write the backup to ${folder} (${why}). Check that the folder exists and is writable, or choose another, then back up again.`;
    finish(false, 0, '', false, message);
    audit(db, actor, 'backup-failed', { id, reason, path: dest, message }, now());
    throw new AppError('UNAVAILABLE', message);
  }
  if (reason !== 'export') applyRetention(db, settings.retention, now());
  return getBackup(db, id)!;
}

/**
 * Anchors the hash chain at the head the checked copy holds: in the backup's record and in chain_anchors. The copy
 * itself keeps that head too, outside this database, so `verify` can hold a re-hashed chain to it.
 */
export function recordBackupHead(db: Database.Database, backupId: number, head: ChainHead, now = Date.now()): void {
  db.transaction(() => {
    backupStoreOf(db).setChainHead(backupId, head.seq, head.hash);
    recordAnchor(db, 'backup', backupId, head, now);
  })();
}

/** Deletes the files of good backups the retention policy no longer keeps, and marks them removed. */
export function applyRetention(db: Database.Database, policy: BackupStatus['settings']['retention'], now = Date.now()): number {
  const store = backupStoreOf(db);
  const live = store.live();
  const keep = selectRetained(live, policy);
  let removed = 0;
  for (const b of live) {
    if (keep.has(b.id)) continue;
    rmSync(b.path, { force: true });
    store.markRemoved(b.id, now);
    removed++;
  }
  return removed;
}

/**
 * For finance posting: call `await backupBeforePosting(ctx.ledger)` before a posting run writes anything.
 * Resolves with the checked backup; throws an AppError (UNAVAILABLE) when the backup cannot be made, so the
 * run does not start without one.
 */
export async function backupBeforePosting(ledger: SqliteLedger, actor?: AuditActor): Promise<BackupRecord> {
  try {
    return await runBackup(ledger, 'pre-posting', { actor, offThread: true });
  } catch (e) {
    const why = e instanceof AppError ? e.message : String(e);
    throw new AppError('UNAVAILABLE', `Posting did not start because the backup before posting failed: ${why}`);
  }
}
