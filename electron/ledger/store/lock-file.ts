import type Database from 'better-sqlite3';
import { setJournalMode } from './connection-control';

/**
 * Holds the writer lock on its sidecar lock file (../writer-lock.ts): an exclusive transaction kept open for as long as the
 * connection lives. No journal file: nothing is ever written to that database, so a killed holder leaves no -journal behind.
 * Throws SQLITE_BUSY at once (with a zero busy timeout) when another connection holds it.
 */
export function holdExclusiveLock(conn: Database.Database): void {
  setJournalMode(conn, 'MEMORY');
  conn.exec('BEGIN EXCLUSIVE');
}
