import type Database from 'better-sqlite3';
import type { StagedLine } from '../posting-store';
import { businessTimeZone } from '../../company/business-time-zone';
import { jobWriterOf } from '../../jobs/job-scope';
import type { ChunkSource } from './chunk-file-sync';
import { TargetJournalStore, type PendingChunk } from './target-journal-store';

export type { PendingChunk };

/** A journal line as a file target writes it: a staged line just committed, or one read back from journal_lines. */
export type ChunkLine = Pick<StagedLine, 'entryNo' | 'entryDate' | 'account' | 'amount' | 'description'>;

/** Marks a chunk exported; from a job worker's read connection the mark goes to the writer as a short commit. */
export function markExported(db: Database.Database, p: Pick<PendingChunk, 'batch_id' | 'chunk_no'>, end: number): void {
  const writer = jobWriterOf(db);
  if (writer) {
    writer('posting.markExported', [{ batch_id: p.batch_id, chunk_no: p.chunk_no }, end]);
    return;
  }
  TargetJournalStore.of(db).markExported(p.batch_id, p.chunk_no, end);
}

/** A SQLite ledger's journal tables as a file target's chunk source (answers at once). */
export function sqliteChunkSource(db: Database.Database): ChunkSource {
  const journal = TargetJournalStore.of(db);
  return {
    pendingChunks: (target) => journal.pendingChunks(target),
    chunkLines: (batchId, chunkNo) => journal.chunkLines(batchId, chunkNo),
    markExported: (batchId, chunkNo, end) => markExported(db, { batch_id: batchId, chunk_no: chunkNo }, end),
    timeZone: () => businessTimeZone(db),
  };
}
