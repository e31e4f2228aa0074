import type Database from 'better-sqlite3';

/** The connection-level SQL of the writer's group commit and the reader threads (see ../group-commit.ts, ../ledger-reader.worker.ts). */

/** Rows changed on this connection since it opened (SQLite's total_changes()): read fresh on each call. */
export function totalChangesOf(db: Database.Database): () => number {
  const stmt = db.prepare('SELECT total_changes()').pluck();
  return () => stmt.get() as number;
}

/** Sets how commits on `db` sync: FULL (each commit syncs the WAL) or NORMAL (the caller syncs it). */
export function setSynchronous(db: Database.Database, mode: 'NORMAL' | 'FULL'): void {
  // Executed each time: SQLite applies this pragma when it compiles it, so a prepared one cannot be reused.
  db.exec(mode === 'FULL' ? 'PRAGMA synchronous = FULL' : 'PRAGMA synchronous = NORMAL');
}

/** One read transaction per call on a reader's connection: begun, then committed (or rolled back). */
export function readTransactionOf(db: Database.Database): { begin(): void; commit(): void; rollback(): void } {
  const begin = db.prepare('BEGIN');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  return { begin: () => void begin.run(), commit: () => void commit.run(), rollback: () => void rollback.run() };
}
