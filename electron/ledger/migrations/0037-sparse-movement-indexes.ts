import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15, posting throughput: two movement indexes hold only the rows anyone looks up. Every posted movement paid one
 * entry in each, though a correction (reversal_of) is rare (under 1% of the demo's movements) and most products are not
 * lot-tracked (three in four movements have no batch). Every reader of them asks for a value (`reversal_of = ?`,
 * `batch_id = ?`, `batch_id IN (...)`), which implies NOT NULL, so SQLite uses the partial index exactly where it used
 * the full one (enquiry's *.plan.test.ts hold the plans); the NULL rows it no longer holds were never read through it.
 * - IDX_movements_reversal_of: a movement's corrections (how much of a sale is already refunded, the operations' look-ups).
 * - IDX_movements_batch_occurred: a batch's movements in time order (enquiry's batch filter, the batch journey).
 */
export class SparseMovementIndexes1732400003700 implements MigrationInterface {
  name = 'SparseMovementIndexes1732400003700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_movements_reversal_of"`);
    await q.query(`CREATE INDEX "IDX_movements_reversal_of" ON "movements" ("reversal_of") WHERE "reversal_of" IS NOT NULL`);
    await q.query(`DROP INDEX "IDX_movements_batch_occurred"`);
    await q.query(`CREATE INDEX "IDX_movements_batch_occurred" ON "movements" ("batch_id", "occurred_at") WHERE "batch_id" IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_movements_batch_occurred"`);
    await q.query(`CREATE INDEX "IDX_movements_batch_occurred" ON "movements" ("batch_id", "occurred_at")`);
    await q.query(`DROP INDEX "IDX_movements_reversal_of"`);
    await q.query(`CREATE INDEX "IDX_movements_reversal_of" ON "movements" ("reversal_of")`);
  }
}
