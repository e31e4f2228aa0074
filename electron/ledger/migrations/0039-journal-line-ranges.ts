import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15, finance posting at disk speed. A chunk's journal lines are one run of line ids (each chunk commits in one
 * transaction on the one writer, so its lines take consecutive ids): `journal_chunk_lines` records that run per chunk
 * with lines (a table of its own, SQLite only: PostgreSQL keeps the index and finds a chunk's lines by it, PG_PENDING_TABLES), and the `(batch_id, chunk_no)` index on `journal_lines` — one more B-tree entry per line — goes. Readers find a
 * chunk's or a batch's lines through its chunks' ranges. Chunks already in the ledger get their ranges from their lines
 * here, once (a chunk without lines has no row). From this migration on, an entry's description is stored on its first
 * line only (its other lines hold ''); readers take every line's description from its entry's first line, which the
 * lines of older batches (the description on every line) give just the same.
 */
export class JournalLineRanges1732400003900 implements MigrationInterface {
  name = 'JournalLineRanges1732400003900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "journal_chunk_lines" (
      "batch_id" integer NOT NULL,
      "chunk_no" integer NOT NULL,
      "first_line" integer NOT NULL,
      "last_line" integer NOT NULL,
      PRIMARY KEY ("batch_id", "chunk_no"),
      CONSTRAINT "FK_journal_chunk_lines_batch" FOREIGN KEY ("batch_id") REFERENCES "journal_batches" ("id"))`);
    await q.query(`INSERT INTO "journal_chunk_lines" ("batch_id", "chunk_no", "first_line", "last_line")
      SELECT batch_id, chunk_no, MIN(id), MAX(id) FROM journal_lines GROUP BY batch_id, chunk_no`);
    await q.query(`DROP INDEX "IDX_journal_lines_batch_chunk"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_journal_lines_batch_chunk" ON "journal_lines" ("batch_id", "chunk_no")`);
    // every line its entry's description again (the nearest line before it that holds one: its entry's first line)
    await q.query(`UPDATE "journal_lines" AS l SET "description" =
      (SELECT f.description FROM journal_lines f WHERE f.id < l.id AND f.description <> '' ORDER BY f.id DESC LIMIT 1)
      WHERE l.description = ''`);
    await q.query(`DROP TABLE "journal_chunk_lines"`);
  }
}
