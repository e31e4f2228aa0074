import type Database from 'better-sqlite3';
import type { StagedLine } from '../posting-store';
import { businessCurrency, businessTimeZone } from '../../company/business-time-zone';
import { jobWriterOf } from '../../jobs/job-scope';
import type { ChunkSource, ExportMark } from './chunk-file-sync';
import { TargetJournalStore, type PendingChunk } from './target-journal-store';

export type { PendingChunk };

/** A journal line as a file target writes it: a staged line just committed, or one read back from journal_lines. */
export type ChunkLine = Pick<StagedLine, 'entryNo' | 'entryDate' | 'account' | 'amount' | 'description'>;

/** Marks chunks exported in one transaction; from a job worker's read connection the marks go to the writer as one short commit. */
export function markExported(db: Database.Database, marks: readonly ExportMark[]): void {
  if (marks.length === 0) return;
  const writer = jobWriterOf(db);
  if (writer) {
    writer('posting.markExported', [marks.map(({ batchId, chunkNo, end }) => ({ batchId, chunkNo, end }))]);
    return;
  }
  const journal = TargetJournalStore.of(db);
  db.transaction(() => {
    for (const m of marks) journal.markExported(m.batchId, m.chunkNo, m.end);
  })();
}

/** A SQLite ledger's journal tables as a file target's chunk source (answers at once). */
export function sqliteChunkSource(db: Database.Database): ChunkSource {
  const journal = TargetJournalStore.of(db);
  return {
    pendingChunks: (target) => journal.pendingChunks(target),
    chunkLines: (batchId, chunkNo) => journal.chunkLines(batchId, chunkNo),
    markExported: (marks) => markExported(db, marks),
    timeZone: () => businessTimeZone(db),
    currency: () => businessCurrency(db),
  };
}
