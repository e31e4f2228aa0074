import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tables whose ids the ledger core numbers itself (pg-ledger-store.ts SNAPSHOT_SQL: the last id + 1, + 2, …, under
 * the chain lock, so ids run on without a gap and equal SQLite's for the same postings). Nothing else inserts into them.
 */
export const PG_LEDGER_NUMBERED_TABLES = ['documents', 'batches', 'serial_units'] as const;

/**
 * Issue 17: documents, batches and serial units are numbered by the ledger core, not by a sequence. pg 0001 made their
 * ids SERIAL; a sequence hands out numbers a refused or retried posting then throws away (ids would skip, and differ
 * from SQLite's, whose hash chain covers batch and serial ids), and a server still drawing from it during a rolling
 * upgrade would collide with the numbers the new servers give. The default and the sequence go, so an insert that
 * names no id is refused (NOT NULL) rather than handed a number another server may give too.
 * Down gives each id its SERIAL default back, the sequence set past the largest id.
 */
export class PgLedgerNumberedIds1764700000500 implements MigrationInterface {
  name = 'PgLedgerNumberedIds1764700000500';

  async up(q: QueryRunner): Promise<void> {
    for (const t of PG_LEDGER_NUMBERED_TABLES) {
      await q.query(`ALTER TABLE "${t}" ALTER COLUMN "id" DROP DEFAULT`);
      await q.query(`DROP SEQUENCE "${t}_id_seq"`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of PG_LEDGER_NUMBERED_TABLES) {
      await q.query(`CREATE SEQUENCE "${t}_id_seq" AS integer OWNED BY "${t}"."id"`);
      // the next number drawn is the largest id + 1 (1 on an empty table)
      await q.query(`SELECT setval('"${t}_id_seq"', COALESCE((SELECT MAX("id") FROM "${t}"), 0) + 1, false)`);
      await q.query(`ALTER TABLE "${t}" ALTER COLUMN "id" SET DEFAULT nextval('"${t}_id_seq"')`);
    }
  }
}
