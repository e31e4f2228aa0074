import type { MigrationInterface, QueryRunner } from 'typeorm';

/** As SQLite's 0054: a file target's chunks still to write are read from that target's batches alone, not every batch. */
export class PgJournalBatchesTarget1764700003100 implements MigrationInterface {
  name = 'PgJournalBatchesTarget1764700003100';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX "IDX_journal_batches_target" ON "journal_batches" ("target", "id")');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "IDX_journal_batches_target"');
  }
}
