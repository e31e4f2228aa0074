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

/** The writer's connection as the ledger opens it (../data-source.ts): WAL, each commit synced, foreign keys on, waits for a lock, a 64 MiB page cache. */
export function configureWriterConnection(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536');
}

/** A job's read-only connection (../../jobs/job-reader.ts): waits for a lock, a 32 MiB page cache. */
export function configureJobReaderConnection(db: Database.Database): void {
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -32768');
}

/** How long a statement on `db` waits for a lock another connection holds before it fails with SQLITE_BUSY. */
export function setBusyTimeout(db: Database.Database, ms: number): void {
  db.pragma(`busy_timeout = ${Math.trunc(ms)}`);
}

/** Sets the journal mode of the file `db` opened (DELETE: one self-contained file; MEMORY: no journal file at all). */
export function setJournalMode(db: Database.Database, mode: 'DELETE' | 'MEMORY'): void {
  db.pragma(`journal_mode = ${mode}`);
}

/** Whether the file `db` opened is in WAL mode. */
export function inWalMode(db: Database.Database): boolean {
  return db.pragma('journal_mode', { simple: true }) === 'wal';
}

/** The page size of the file `db` opened, in bytes. */
export function pageSizeOf(db: Database.Database): number {
  return db.pragma('page_size', { simple: true }) as number;
}

/** The file's size in pages; the first read in a transaction begun with BEGIN, so it starts that transaction's snapshot. */
export function pageCountOf(db: Database.Database): number {
  return db.pragma('page_count', { simple: true }) as number;
}
