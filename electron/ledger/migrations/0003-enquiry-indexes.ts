import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stock enquiry: indexes that let the first page of any filter come from an index seek (movement type and recorded-at
 * ranges and one user's movements in (occurred_at, seq) order; batch code prefix search), and the derived daily stock snapshots behind
 * "stock at a date" (rebuildable; never authoritative; refreshed from a backdated movement's day on).
 */
export class EnquiryIndexes1732400000300 implements MigrationInterface {
  name = 'EnquiryIndexes1732400000300';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE INDEX "IDX_movements_type_occurred" ON "movements" ("type", "occurred_at")`,
      `CREATE INDEX "IDX_movements_recorded" ON "movements" ("recorded_at")`,
      `CREATE INDEX "IDX_movements_user_occurred" ON "movements" ("user_id", "occurred_at")`,
      `CREATE INDEX "IDX_batches_code_nocase" ON "batches" ("code" COLLATE NOCASE)`,
      `CREATE TABLE "stock_snapshots" (
        "day_end" bigint NOT NULL,
        "product_id" integer NOT NULL,
        "site_id" integer NOT NULL,
        "bin_id" integer NOT NULL DEFAULT (0),
        "batch_id" integer NOT NULL DEFAULT (0),
        "qty" bigint NOT NULL,
        PRIMARY KEY ("day_end", "product_id", "site_id", "bin_id", "batch_id"))`,
      `CREATE TABLE "stock_snapshot_state" (
        "id" integer PRIMARY KEY NOT NULL,
        "through_seq" integer NOT NULL,
        "built_at" bigint NOT NULL)`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "stock_snapshot_state"`);
    await q.query(`DROP TABLE "stock_snapshots"`);
    await q.query(`DROP INDEX "IDX_batches_code_nocase"`);
    await q.query(`DROP INDEX "IDX_movements_user_occurred"`);
    await q.query(`DROP INDEX "IDX_movements_recorded"`);
    await q.query(`DROP INDEX "IDX_movements_type_occurred"`);
  }
}
