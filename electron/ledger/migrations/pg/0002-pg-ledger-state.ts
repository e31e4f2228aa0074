import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17, step two: the ledger-level state beside the movements on PostgreSQL, equal to SQLite's tables of the same
 * names (0001 cost_state; 0006/0012 audit_log with its hash chain; 0012/0029 chain_anchors with qty_sum).
 * - cost_state: latest and moving-average cost per product/site, kept by the poster in the posting transaction
 *   (row-locked FOR UPDATE there, so two servers never move one average from the same starting point).
 * - chain_anchors: recorded chain heads (a check, a backup, a posting batch); append-only like SQLite's.
 * - audit_log: append-only, hash-chained entries (the writers move with their capabilities).
 * Append-only is a plpgsql trigger here, as for movements in 0001.
 */
export class PgLedgerState1764700000200 implements MigrationInterface {
  name = 'PgLedgerState1764700000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "cost_state" (
      "product_id" integer NOT NULL, "site_id" integer NOT NULL, "latest_cost" bigint NOT NULL, "average_cost" bigint NOT NULL,
      "updated_seq" integer NOT NULL, PRIMARY KEY ("product_id", "site_id"))`);
    await q.query(`CREATE TABLE "chain_anchors" (
      "id" SERIAL PRIMARY KEY, "seq" integer NOT NULL, "hash" varchar(64) NOT NULL, "recorded_at" bigint NOT NULL,
      "source" varchar(16) NOT NULL, "ref" integer, "qty_sum" bigint)`);
    await q.query(`CREATE INDEX "IDX_chain_anchors_seq" ON "chain_anchors" ("seq")`);
    await q.query(`CREATE TABLE "audit_log" (
      "id" SERIAL PRIMARY KEY, "at" bigint NOT NULL, "user_id" integer, "username" varchar(64) NOT NULL,
      "action" varchar(40) NOT NULL, "detail" text NOT NULL DEFAULT '{}', "prev_hash" varchar(64), "hash" varchar(64))`);
    await q.query(`CREATE INDEX "IDX_audit_log_at" ON "audit_log" ("at")`);
    await q.query(`CREATE FUNCTION "stockbook_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: record a new entry instead', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
      END $$`);
    for (const t of ['chain_anchors', 'audit_log']) {
      await q.query(`CREATE TRIGGER "${t}_no_update" BEFORE UPDATE ON "${t}" FOR EACH ROW EXECUTE FUNCTION "stockbook_append_only"()`);
      await q.query(`CREATE TRIGGER "${t}_no_delete" BEFORE DELETE ON "${t}" FOR EACH ROW EXECUTE FUNCTION "stockbook_append_only"()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['audit_log', 'chain_anchors', 'cost_state']) await q.query(`DROP TABLE "${t}"`);
    await q.query(`DROP FUNCTION "stockbook_append_only"()`);
  }
}
