import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11, point 15: each posting batch gets a random mark, written into its journal begin marker beside the chain
 * head, so the anchor reader takes only the marker of this ledger's own batch — batch ids repeat in one journal after
 * a restore from an older backup, or when two ledgers post to the same file. Batches from before have no mark.
 */
export class JournalBatchMark1732400001800 implements MigrationInterface {
  name = 'JournalBatchMark1732400001800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "journal_batches" ADD COLUMN "mark" varchar(32)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "journal_batches" DROP COLUMN "mark"`);
  }
}
