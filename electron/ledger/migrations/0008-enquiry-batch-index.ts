import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stock enquiry: the batch index gains occurred_at, so the movements of one batch or of a set of batches (expiry range,
 * batch code prefix search) are read from the index in (occurred_at, seq) order, a time window at a time, instead of
 * being read whole and sorted. Replaces IDX_movements_batch (its leading column is the same, so foreign-key lookups
 * and batch journeys keep using it). Batches gain an expiry index for the expiry-range filter. The dashboard gets its
 * derived daily totals (rebuildable, never authoritative; kept up to date by seq, so a backdated movement lands on its
 * own day): movements per day and type, and per day and product (count, quantity out, raw values qty × unit cost).
 */
/** The dashboard's derived tables (also used by tests that rebuild them). */
export const DASHBOARD_TABLES = [
  `CREATE TABLE "dashboard_day_type" (
    "day" integer NOT NULL,
    "type" varchar(40) NOT NULL,
    "n" integer NOT NULL,
    PRIMARY KEY ("day", "type"))`,
  `CREATE TABLE "dashboard_day_product" (
    "day" integer NOT NULL,
    "product_id" integer NOT NULL,
    "n" integer NOT NULL,
    "qty_out" bigint NOT NULL,
    "raw_out" bigint NOT NULL,
    "raw_net" bigint NOT NULL,
    PRIMARY KEY ("day", "product_id"))`,
  `CREATE TABLE "dashboard_state" (
    "id" integer PRIMARY KEY NOT NULL,
    "through_seq" integer NOT NULL)`,
];

export class EnquiryIndexes21732400000800 implements MigrationInterface {
  name = 'EnquiryIndexes21732400000800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_movements_batch"`);
    await q.query(`CREATE INDEX "IDX_movements_batch_occurred" ON "movements" ("batch_id", "occurred_at")`);
    await q.query(`CREATE INDEX "IDX_batches_expiry" ON "batches" ("expiry")`);
    for (const sql of DASHBOARD_TABLES) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "dashboard_state"`);
    await q.query(`DROP TABLE "dashboard_day_product"`);
    await q.query(`DROP TABLE "dashboard_day_type"`);
    await q.query(`DROP INDEX "IDX_batches_expiry"`);
    await q.query(`DROP INDEX "IDX_movements_batch_occurred"`);
    await q.query(`CREATE INDEX "IDX_movements_batch" ON "movements" ("batch_id")`);
  }
}
