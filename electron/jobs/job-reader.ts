import Database from 'better-sqlite3';
import { registerBusinessDay } from '../company/business-day-sql';
import { configureJobReaderConnection } from '../ledger/store/connection-control';

/**
 * A job's own connection to the ledger file: read-only (the writer stays the only writer; a write through it is
 * refused), beside the writer thanks to WAL, waiting rather than failing while a checkpoint holds the file.
 */
export function openJobReader(dbPath: string): Database.Database {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  configureJobReaderConnection(db);
  registerBusinessDay(db);
  return db;
}
