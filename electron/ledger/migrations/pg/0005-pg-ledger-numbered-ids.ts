import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tables whose ids the ledger core numbers itself (pg-ledger-store.ts SNAPSHOT_SQL: the last id + 1, + 2, …, under
 * the chain lock, so ids run on without a gap and equal SQLite's for the same postings). Nothing else inserts into them.
 */
export const PG_LEDGER_NUMBERED_TABLES = ['documents', 'batches', 'serial_units'] as const;

/**
 * Sequences kept, without being any column's default, for servers of the previous version during a rolling upgrade:
 * their posting statement draws new batch and serial ids from them by name (it would fail whole without them). The new
 * servers move them past every id they number (pg-ledger-store.ts advanceUpgradeSequence), so a number drawn is past
 * every id (the new servers then number on from it); only a draw racing a new server's uncommitted posting can meet an
 * id already taken, which the primary key refuses (that posting writes nothing). A later migration drops them once no
 * such server runs.
 */
export const PG_SEQUENCES_KEPT_FOR_UPGRADE = ['batches', 'serial_units'] as const;

const kept = (t: string) => (PG_SEQUENCES_KEPT_FOR_UPGRADE as readonly string[]).includes(t);
/** Sets `t`'s id sequence so the next number drawn is its largest id + 1 (1 on an empty table). */
const setPastLargest = (q: QueryRunner, t: string) => q.query(`SELECT setval('"${t}_id_seq"', COALESCE((SELECT MAX("id") FROM "${t}"), 0) + 1, false)`);

/**
 * Issue 17: documents, batches and serial units are numbered by the ledger core, not by a sequence. pg 0001 made their
 * ids SERIAL; a sequence hands out numbers a refused or retried posting then throws away (ids would skip, and differ
 * from SQLite's, whose hash chain covers batch and serial ids), and an insert relying on the default during a rolling
 * upgrade would take a number a new server may give too. The defaults go, so an insert that names no id is refused
 * (NOT NULL); the documents' sequence goes (no version draws from it), the others stay for the previous version
 * (PG_SEQUENCES_KEPT_FOR_UPGRADE), set past the largest id. Down gives each id its SERIAL default back, the sequence
 * set past the largest id.
 */
export class PgLedgerNumberedIds1764700000500 implements MigrationInterface {
  name = 'PgLedgerNumberedIds1764700000500';

  async up(q: QueryRunner): Promise<void> {
    for (const t of PG_LEDGER_NUMBERED_TABLES) {
      await q.query(`ALTER TABLE "${t}" ALTER COLUMN "id" DROP DEFAULT`);
      if (kept(t)) await setPastLargest(q, t);
      else await q.query(`DROP SEQUENCE "${t}_id_seq"`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of PG_LEDGER_NUMBERED_TABLES) {
      if (!kept(t)) await q.query(`CREATE SEQUENCE "${t}_id_seq" AS integer OWNED BY "${t}"."id"`);
      await setPastLargest(q, t);
      await q.query(`ALTER TABLE "${t}" ALTER COLUMN "id" SET DEFAULT nextval('"${t}_id_seq"')`);
    }
  }
}
