import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The movement enquiry's expiry range on PostgreSQL (enquiry/pg/pg-movement-store.ts batchesExpiring): the batches
 * expiring in the range found by a range scan of their expiry, as SQLite's 0008 IDX_batches_expiry (the entity's own
 * index) finds them, not by reading every batch (135,735 batches on the 5,000,000-movement bench ledger: 40–75 ms of
 * each expiry page on a loaded machine). The id INCLUDEd: an index-only scan, not a heap visit per batch found (2,068
 * batches of a month: 2–6 ms, not 90–140 ms).
 */
export class PgBatchExpiryIndex1764700001400 implements MigrationInterface {
  name = 'PgBatchExpiryIndex1764700001400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_batches_expiry" ON "batches" ("expiry") INCLUDE ("id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_batches_expiry"`);
  }
}
