import type Database from 'better-sqlite3';
import type { StagedLine } from '../posting-store';
import type { FreshChunk } from './finance-target';
import { jobWriterOf } from '../../jobs/job-scope';
import { TargetJournalStore, type PendingChunk } from './target-journal-store';

export type { PendingChunk };

/** A journal line as a file target writes it: a staged line just committed, or one read back from journal_lines. */
export type ChunkLine = Pick<StagedLine, 'entryNo' | 'entryDate' | 'account' | 'amount' | 'description'>;

/** Committed chunks of a file-like target not yet in the target, oldest first. */
export function pendingChunks(db: Database.Database, targetKey: string): PendingChunk[] {
  return TargetJournalStore.of(db).pendingChunks(targetKey);
}

/** A chunk's lines: from memory when it is the chunk just committed, else read back from the journal tables. */
export function chunkLines(db: Database.Database, p: PendingChunk, fresh?: FreshChunk): readonly ChunkLine[] {
  if (fresh && fresh.batchId === p.batch_id && fresh.chunkNo === p.chunk_no) {
    return fresh.lines;
  }
  return TargetJournalStore.of(db).chunkLines(p.batch_id, p.chunk_no);
}

/** Marks a chunk exported; from a job worker's read connection the mark goes to the writer as a short commit. */
export function markExported(db: Database.Database, p: PendingChunk, end: number): void {
  const writer = jobWriterOf(db);
  if (writer) {
    writer('posting.markExported', [p, end]);
    return;
  }
  TargetJournalStore.of(db).markExported(p.batch_id, p.chunk_no, end);
}
