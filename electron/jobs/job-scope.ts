import type Database from 'better-sqlite3';
import { readTransactionOf } from '../ledger/store/connection-control';
import type { DocumentPoster } from '../ledger/store/document-poster';
import type { JobFigures } from './job-protocol';
import type { JobWriteName } from './job-writes';

/**
 * The writer's side of a job's writes: its connection and its one document poster (whose cached head, balances and
 * levels must see every movement, so a job's movements go through it like a clerk's).
 */
export interface JobWriterSide {
  db: Database.Database;
  poster: DocumentPoster;
}

/** A write a job sends to the one writer: it runs there as one short transaction and its result comes back. */
export type JobWrite = (name: JobWriteName, args: unknown[]) => unknown;

/** A job write answered later, and how long it held the writer (ms, its run alone; see WriteReply). */
export interface JobWriteDone {
  result: unknown;
  heldMs: number;
}

/**
 * A job write sent now and answered later: the job goes on (reads, builds its next chunk) while the writer commits.
 * One write is under way at a time: any next write, either kind, first waits for this one's answer.
 */
export type JobWriteLater = (name: JobWriteName, args: unknown[]) => Promise<JobWriteDone>;

/** What a job's body gets in a job worker: its own read-only connection, cancel, progress, and the writer. */
export interface JobScope {
  /** Read-only, opened for this job (WAL: it reads beside the writer; a write through it is refused). */
  db: Database.Database;
  signal: AbortSignal;
  progress(p: JobFigures): void;
  write: JobWrite;
  writeLater: JobWriteLater;
}

const writers = new WeakMap<Database.Database, JobWrite>();

/** Ties a job's read connection to its writer, for store code that is handed only the connection. */
export function bindJobWriter(db: Database.Database, write: JobWrite): void {
  writers.set(db, write);
}

/** The writer of a job's read connection, or undefined on the writer's own connection (write it directly). */
export function jobWriterOf(db: Database.Database): JobWrite | undefined {
  return writers.get(db);
}

/** Runs `read` in one read transaction: every statement of the job sees the ledger as it was when the job began. */
export async function inSnapshot<T>(db: Database.Database, read: () => Promise<T>): Promise<T> {
  const tx = readTransactionOf(db);
  tx.begin();
  try {
    return await read();
  } finally {
    if (db.inTransaction) tx.commit();
  }
}
