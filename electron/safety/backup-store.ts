import type Database from 'better-sqlite3';
import type { EntityFields, EntityRow } from '../ledger/entities/columns';
import type { BackupEntity } from '../ledger/entities/safety.entities';
import { perConnection } from '../ledger/store/per-connection';

/** A `backups` row as SQLite stores it. */
export type BackupRow = EntityRow<typeof BackupEntity>;
/** A backup's record as the rules hold it: camelCase, ok and verifyOk booleans. */
type BackupFields = EntityFields<typeof BackupEntity>;

/** A good backup the retention policy weighs: its id, when it started and its file. */
export interface LiveBackup {
  id: number;
  startedAt: number;
  path: string;
}

/** How a backup ended, as its record keeps it. */
export type BackupOutcome = Pick<BackupFields, 'ok' | 'bytes' | 'integrity' | 'verifyOk' | 'message'> & { finishedAt: NonNullable<BackupFields['finishedAt']> };

/** A backup checked before migrations upgraded the ledger (startup-check.ts), recorded once the ledger is open. */
export type PreMigrationBackup = Pick<BackupFields, 'path' | 'startedAt' | 'bytes' | 'integrity'> & {
  finishedAt: NonNullable<BackupFields['finishedAt']>;
  message: NonNullable<BackupFields['message']>;
};

/** The SQL of the backup records (table `backups`; the rules are in backup-service.ts, safety.ops.ts and startup-check.ts). */
export class BackupStore {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      byId: db.prepare('SELECT * FROM backups WHERE id = ?'),
      recent: db.prepare('SELECT * FROM backups ORDER BY started_at DESC, id DESC LIMIT ?'),
      lastGood: db.prepare("SELECT * FROM backups WHERE ok = 1 AND removed_at IS NULL AND reason != 'export' ORDER BY started_at DESC, id DESC LIMIT 1"),
      start: db.prepare('INSERT INTO backups (reason, path, started_at) VALUES (?, ?, ?)'),
      finish: db.prepare('UPDATE backups SET finished_at = ?, ok = ?, bytes = ?, integrity = ?, verify_ok = ?, message = ? WHERE id = ?'),
      preMigration: db.prepare(
        "INSERT INTO backups (reason, path, started_at, finished_at, bytes, ok, integrity, verify_ok, message) VALUES ('pre-migration', ?, ?, ?, ?, 1, ?, 1, ?)",
      ),
      chainHead: db.prepare('UPDATE backups SET chain_seq = ?, chain_hash = ? WHERE id = ?'),
      live: db.prepare("SELECT id, started_at AS startedAt, path FROM backups WHERE ok = 1 AND removed_at IS NULL AND reason != 'export'"),
      removed: db.prepare('UPDATE backups SET removed_at = ? WHERE id = ?'),
      dailyDone: db.prepare("SELECT 1 FROM backups WHERE reason = 'daily' AND started_at >= ? AND (ok = 1 OR started_at > ?)"),
    };
  }

  byId(id: number): BackupRow | undefined {
    return this.s.byId.get(id) as BackupRow | undefined;
  }

  /** The newest `limit` records, newest first. */
  recent(limit: number): BackupRow[] {
    return this.s.recent.all(limit) as BackupRow[];
  }

  /** The newest good backup still on disk (exports left out). */
  lastGood(): BackupRow | undefined {
    return this.s.lastGood.get() as BackupRow | undefined;
  }

  /** Records a backup as started; its id. */
  start(reason: string, path: string, startedAt: number): number {
    return Number(this.s.start.run(reason, path, startedAt).lastInsertRowid);
  }

  finish(id: number, o: BackupOutcome): void {
    this.s.finish.run(o.finishedAt, o.ok ? 1 : 0, o.bytes, o.integrity, o.verifyOk ? 1 : 0, o.message, id);
  }

  /** Records a good backup made before the migrations; its id. */
  recordPreMigration(b: PreMigrationBackup): number {
    return Number(this.s.preMigration.run(b.path, b.startedAt, b.finishedAt, b.bytes, b.integrity, b.message).lastInsertRowid);
  }

  /** The chain head (seq, hash) the backup's checked copy holds. */
  setChainHead(id: number, seq: number, hash: string): void {
    this.s.chainHead.run(seq, hash, id);
  }

  /** The good backups still on disk (exports left out), for the retention policy. */
  live(): LiveBackup[] {
    return this.s.live.all() as LiveBackup[];
  }

  markRemoved(id: number, at: number): void {
    this.s.removed.run(at, id);
  }

  /** Whether the daily backup due at `due` ran: one succeeded since, or one started after `retryAfter` (within the hour of a failure). */
  dailyDone(due: number, retryAfter: number): boolean {
    return this.s.dailyDone.get(due, retryAfter) !== undefined;
  }
}

/** The backup store of `db`, made on first use (statements prepared once per connection). */
export const backupStoreOf = perConnection((db) => new BackupStore(db));
