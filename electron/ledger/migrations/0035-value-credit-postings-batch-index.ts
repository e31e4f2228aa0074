import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15, finance posting: a batch's value-credit postings by batch, as its movement postings already are
 * (IDX_movement_postings_batch). Reversing a batch deletes them and its report counts them by `batch_id`; without the
 * index each of those read every value-credit posting of every batch.
 */
export class ValueCreditPostingsBatchIndex1732400003500 implements MigrationInterface {
  name = 'ValueCreditPostingsBatchIndex1732400003500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_value_credit_postings_batch" ON "value_credit_postings" ("batch_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_value_credit_postings_batch"`);
  }
}
