import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Counts keep their date and resolve moves by time (issue 11):
 * - count_sessions.occurred_at: the count's effective time (default its creation); completion dates its adjustments to it.
 *   Nullable only because SQLite adds a NOT NULL column solely with a constant default; every row is filled here and on insert.
 * - count_lines.counted_seq: the ledger head (last movement seq) when the counted quantity was last entered, so
 *   "moved before or after this line was counted" follows recording order exactly (timestamps need not be unique).
 * - count_lines.resolution_chosen: 1 when the user chose keep counted / keep difference; 0 = by time (the default).
 * - count_lines.moved_after_qty: at completion, the part of moved_qty recorded after the line was counted.
 * Existing data: a keep_difference line was a choice (the old default was keep_counted); finished counts keep the
 * resolution they were completed with.
 */
export class CountEffectiveTime1732400001100 implements MigrationInterface {
  name = 'CountEffectiveTime1732400001100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "count_sessions" ADD COLUMN "occurred_at" bigint`);
    await q.query(`UPDATE "count_sessions" SET "occurred_at" = "created_at"`);
    await q.query(`ALTER TABLE "count_lines" ADD COLUMN "counted_seq" integer`);
    await q.query(`ALTER TABLE "count_lines" ADD COLUMN "resolution_chosen" boolean NOT NULL DEFAULT (0)`);
    await q.query(`ALTER TABLE "count_lines" ADD COLUMN "moved_after_qty" bigint`);
    await q.query(
      `UPDATE "count_lines" SET "resolution_chosen" = 1
       WHERE "resolution" = 'keep_difference' OR "session_id" IN (SELECT "id" FROM "count_sessions" WHERE "status" <> 'DRAFT')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const c of ['moved_after_qty', 'resolution_chosen', 'counted_seq']) await q.query(`ALTER TABLE "count_lines" DROP COLUMN "${c}"`);
    await q.query(`ALTER TABLE "count_sessions" DROP COLUMN "occurred_at"`);
  }
}
