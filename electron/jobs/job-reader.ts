import Database from 'better-sqlite3';
import { registerBusinessDay } from '../company/business-day-sql';

/**
 * A job's own connection to the ledger file: read-only (the writer stays the only writer; a write through it is
 * refused), beside the writer thanks to WAL, waiting rather than failing while a checkpoint holds the file.
 */
export function openJobReader(dbPath: string): Database.Database {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -32768');
  registerBusinessDay(db);
  return db;
}
