import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The posting batch's start check (that every movement is posted or queued, migration 0045) gets its own "checked
 * through" mark: `posting_queue_check`, one row, the chain seq up to which the check has verified every movement. Only a
 * posting batch's start writes it, in the transaction that starts the batch, once its check has found nothing missing up
 * to the chain head read in that transaction; the next check starts after it. Reversal batches neither read nor move it.
 * Before, the check started after MAX(journal_batches.chain_seq), which a reversal batch moves too (and a batch's head
 * was read after its check): a movement a buggy insert site failed to queue could fall behind that and never be checked.
 *
 * The upgrade sets the mark to the chain seq of the newest posting (not reversal) batch: what the old check covered,
 * less the range a later reversal's head would have hidden from it, so the first check after the upgrade looks at that
 * range again. One look-up among the batches, never a scan of the movements. The same text on PostgreSQL (pg 0018).
 */
export class PostingQueueCheck1732400004600 implements MigrationInterface {
  name = 'PostingQueueCheck1732400004600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "posting_queue_check" ("id" integer PRIMARY KEY NOT NULL, "checked_through" integer NOT NULL,
        CONSTRAINT "CHK_posting_queue_check_one" CHECK ("id" = 1))`,
    );
    await q.query(
      `INSERT INTO "posting_queue_check" ("id", "checked_through")
       SELECT 1, COALESCE((SELECT MAX("chain_seq") FROM "journal_batches" WHERE "reversal_of" IS NULL), 0)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "posting_queue_check"');
  }
}
