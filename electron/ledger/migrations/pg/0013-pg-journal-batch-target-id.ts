import type { MigrationInterface, QueryRunner } from 'typeorm';

/** SQLite migration 0043 on PostgreSQL: the id of the journal or folder a batch began in (journal_batches.target_id). */
export class PgJournalBatchTargetId1764700001300 implements MigrationInterface {
  name = 'PgJournalBatchTargetId1764700001300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "journal_batches" ADD COLUMN "target_id" bigint`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "journal_batches" DROP COLUMN "target_id"`);
  }
}
