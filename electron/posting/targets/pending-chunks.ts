import type Database from 'better-sqlite3';
import type { StagedLine } from '../posting-store';
import type { FreshChunk } from './finance-target';
import { jobWriterOf } from '../../jobs/job-scope';

export interface PendingChunk {
  batch_id: number;
  chunk_no: number;
  target_start: number | null;
  last_entry_before: number;
  /** the ledger's chain head when the batch started (an anchor the journal file keeps) */
  chain_seq: number | null;
  chain_hash: string | null;
  /** the batch's random mark, written beside the chain head (null for batches from before marks) */
  mark: string | null;
  /** the furthest end already exported for this batch */
  done_end: number | null;
}

/** A journal line as a file target writes it: a staged line just committed, or one read back from journal_lines. */
export type ChunkLine = Pick<StagedLine, 'entryNo' | 'entryDate' | 'account' | 'amount' | 'description'>;

/** Committed chunks of a file-like target not yet in the target, oldest first. */
export function pendingChunks(db: Database.Database, targetKey: string): PendingChunk[] {
  return db
    .prepare(
      `SELECT c.batch_id, c.chunk_no, b.target_start, b.last_entry_before, b.chain_seq, b.chain_hash, b.mark,
              (SELECT MAX(c2.exported_end) FROM journal_chunks c2 WHERE c2.batch_id = c.batch_id AND c2.exported_end IS NOT NULL) AS done_end
       FROM journal_chunks c JOIN journal_batches b ON b.id = c.batch_id
       WHERE b.target = ? AND c.exported_end IS NULL ORDER BY c.batch_id, c.chunk_no`,
    )
    .all(targetKey) as PendingChunk[];
}

/** A chunk's lines: from memory when it is the chunk just committed, else read back from the journal tables. */
export function chunkLines(db: Database.Database, p: PendingChunk, fresh?: FreshChunk): readonly ChunkLine[] {
  if (fresh && fresh.batchId === p.batch_id && fresh.chunkNo === p.chunk_no) {
    return fresh.lines;
  }
  return db
    .prepare('SELECT entry_no AS entryNo, entry_date AS entryDate, account, amount, description FROM journal_lines WHERE batch_id = ? AND chunk_no = ? ORDER BY id')
    .all(p.batch_id, p.chunk_no) as ChunkLine[];
}

/** Marks a chunk exported; from a job worker's read connection the mark goes to the writer as a short commit. */
export function markExported(db: Database.Database, p: PendingChunk, end: number): void {
  const writer = jobWriterOf(db);
  if (writer) {
    writer('posting.markExported', [p, end]);
    return;
  }
  db.prepare('UPDATE journal_chunks SET exported_end = ? WHERE batch_id = ? AND chunk_no = ?').run(end, p.batch_id, p.chunk_no);
}
