import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The permanent tables TRUNCATE may not empty: the movements, their documents, the chain anchors and the audit log. */
export const PG_NO_TRUNCATE_TABLES = ['movements', 'documents', 'chain_anchors', 'audit_log'] as const;

/**
 * Issue 17: TRUNCATE fires no row trigger, so the append-only triggers of pg 0001/0002 (BEFORE UPDATE/DELETE FOR EACH
 * ROW) let it empty the ledger. A statement-level BEFORE TRUNCATE trigger on each permanent table refuses it, whoever
 * connects (TRUNCATE … CASCADE too: it fires the trigger of every table it would empty). `stockbook verify` holds these
 * triggers to exist and be enabled, as it does the row triggers (pg-verify-store.ts).
 */
export class PgNoTruncate1764700000900 implements MigrationInterface {
  name = 'PgNoTruncate1764700000900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION "stockbook_no_truncate"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is permanent and cannot be truncated: post or record a correcting entry instead', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
      END $$`);
    for (const t of PG_NO_TRUNCATE_TABLES) {
      await q.query(`CREATE TRIGGER "${t}_no_truncate" BEFORE TRUNCATE ON "${t}" FOR EACH STATEMENT EXECUTE FUNCTION "stockbook_no_truncate"()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of PG_NO_TRUNCATE_TABLES) await q.query(`DROP TRIGGER "${t}_no_truncate" ON "${t}"`);
    await q.query(`DROP FUNCTION "stockbook_no_truncate"()`);
  }
}
