import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15, finance posting at disk speed: a batch's posting-report totals kept as its chunks commit, in the chunk's own
 * transaction (a crash mid-batch leaves them exact), instead of two GROUP BYs over all its lines when the batch closes.
 * `journal_batch_accounts`: debit and credit per account; `journal_batch_types`: movements posted and entries per
 * movement type. Batches already in the ledger get theirs from their lines and postings here, once.
 */
export class JournalBatchTotals1732400003400 implements MigrationInterface {
  name = 'JournalBatchTotals1732400003400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "journal_batch_accounts" (
      "batch_id" integer NOT NULL,
      "account" varchar(32) NOT NULL,
      "debit" bigint NOT NULL,
      "credit" bigint NOT NULL,
      PRIMARY KEY ("batch_id", "account"),
      CONSTRAINT "FK_journal_batch_accounts_batch" FOREIGN KEY ("batch_id") REFERENCES "journal_batches" ("id"))`);
    await q.query(`CREATE TABLE "journal_batch_types" (
      "batch_id" integer NOT NULL,
      "movement_type" varchar(40) NOT NULL,
      "movements" integer NOT NULL,
      "entries" integer NOT NULL,
      PRIMARY KEY ("batch_id", "movement_type"),
      CONSTRAINT "FK_journal_batch_types_batch" FOREIGN KEY ("batch_id") REFERENCES "journal_batches" ("id"))`);
    await q.query(`INSERT INTO "journal_batch_accounts" ("batch_id", "account", "debit", "credit")
      SELECT batch_id, account, COALESCE(SUM(CASE WHEN amount > 0 THEN amount END), 0), COALESCE(SUM(CASE WHEN amount < 0 THEN -amount END), 0)
      FROM journal_lines GROUP BY batch_id, account`);
    await q.query(`INSERT INTO "journal_batch_types" ("batch_id", "movement_type", "movements", "entries")
      SELECT batch_id, movement_type, 0, COUNT(DISTINCT entry_no) FROM journal_lines GROUP BY batch_id, movement_type`);
    await q.query(`INSERT INTO "journal_batch_types" ("batch_id", "movement_type", "movements", "entries")
      SELECT mp.batch_id, m.type, COUNT(*), 0 FROM movement_postings mp JOIN movements m ON m.seq = mp.movement_seq GROUP BY mp.batch_id, m.type
      ON CONFLICT ("batch_id", "movement_type") DO UPDATE SET "movements" = excluded."movements"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "journal_batch_types"`);
    await q.query(`DROP TABLE "journal_batch_accounts"`);
  }
}
