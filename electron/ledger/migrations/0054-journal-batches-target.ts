import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read after every chunk a file target commits (TargetJournalStore.pendingChunks, migration 0053) starts from the
 * target's batches. Without an index it read every batch the ledger ever made, each row carrying its report: about
 * 11-16 ms a chunk on a ledger with 10,000 batches (a few seconds a posting). With this one it reads only the target's.
 */
export class JournalBatchesTarget1732400005400 implements MigrationInterface {
  name = 'JournalBatchesTarget1732400005400';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX "IDX_journal_batches_target" ON "journal_batches" ("target", "id")');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "IDX_journal_batches_target"');
  }
}
