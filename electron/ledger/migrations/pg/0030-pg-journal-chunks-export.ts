import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The same read as SQLite's 0053 (PgPostingStore.pendingChunks, after every chunk a file target commits): a batch's
 * chunks not yet exported and its furthest export, from an index on the export mark instead of every chunk of every
 * batch.
 */
export class PgJournalChunksExport1764700003000 implements MigrationInterface {
  name = 'PgJournalChunksExport1764700003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX "IDX_journal_chunks_export" ON "journal_chunks" ("batch_id", "exported_end")');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "IDX_journal_chunks_export"');
  }
}
