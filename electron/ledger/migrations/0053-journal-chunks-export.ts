import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A file target (an hledger journal, a CSV folder) asks after every chunk it commits which chunks are still to write
 * (TargetJournalStore.pendingChunks) and how far its batch's file already reaches. Without an index on the export
 * mark that read scanned every chunk of every batch, so a batch of 1,000,000 movements in 250-movement chunks spent
 * seconds on it, growing with the square of its chunks. With this one it reads the target's batches, then only their
 * chunks not yet exported and their furthest export, a few index pages each.
 */
export class JournalChunksExport1732400005300 implements MigrationInterface {
  name = 'JournalChunksExport1732400005300';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX "IDX_journal_chunks_export" ON "journal_chunks" ("batch_id", "exported_end")');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "IDX_journal_chunks_export"');
  }
}
