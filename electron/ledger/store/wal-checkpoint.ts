import Database from 'better-sqlite3';

/** The WAL checkpoint's SQL (see ../checkpointer.ts): the writer's safety-net threshold and the checkpointer's passes. */

/** Sets how many WAL pages a commit on `db` may leave before that commit checkpoints itself. */
export function setAutocheckpoint(db: Database.Database, pages: number): void {
  db.pragma(`wal_autocheckpoint = ${Math.trunc(pages)}`);
}

/** Opens the checkpointer's own connection: it never waits for a lock and never checkpoints on a commit of its own. */
export function openCheckpointConnection(dbPath: string): Database.Database {
  const db = new Database(dbPath, { fileMustExist: true });
  db.pragma('busy_timeout = 0');
  db.pragma('wal_autocheckpoint = 0'); // this connection never writes; its checkpoints are the passive ones
  return db;
}

/** One PASSIVE checkpoint: the WAL's frames and how many of them are now in the ledger file. Throws SQLITE_BUSY as SQLite does. */
export function passiveCheckpoint(db: Database.Database): { log: number; checkpointed: number } {
  const [row] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
  return { log: row!.log, checkpointed: row!.checkpointed };
}

/** A TRUNCATE checkpoint: every WAL frame into the ledger file and the WAL emptied (a file about to be renamed or replaced). */
export function truncateCheckpoint(db: Database.Database): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
}
