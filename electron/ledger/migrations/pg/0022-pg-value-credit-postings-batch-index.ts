import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SQLite's migration 0035 on PostgreSQL: a batch's value-credit postings by batch (IDX_value_credit_postings_batch), as
 * its movement postings already are. Reversing a batch deletes them (DELETE … WHERE batch_id) and its report counts them
 * (COUNT … WHERE batch_id) in posting/pg-posting-store.ts; without the index PostgreSQL plans both as a sequential scan
 * of every value-credit posting of every batch (EXPLAIN on a ledger of 200,000 postings in 200 batches).
 */
export class PgValueCreditPostingsBatchIndex1764700002200 implements MigrationInterface {
  name = 'PgValueCreditPostingsBatchIndex1764700002200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_value_credit_postings_batch" ON "value_credit_postings" ("batch_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_value_credit_postings_batch"`);
  }
}
