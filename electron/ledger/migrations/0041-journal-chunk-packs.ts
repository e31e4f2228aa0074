import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15, finance posting at disk speed. A chunk posted to a file target (an hledger journal, a CSV folder) keeps its
 * journal lines packed, one row per chunk (`journal_chunk_packs`, electron/posting/line-pack.ts) instead of a
 * `journal_lines` row per line: the file is that target's journal, and the pack is read back only to write the chunk
 * again after a crash and to reverse the batch. The built-in general ledger keeps its lines as rows. Batches posted
 * before this migration keep their rows; readers take a chunk's pack when it has one, else its rows. SQLite only for
 * now (PG_PENDING_TABLES): PostgreSQL keeps rows.
 */
export class JournalChunkPacks1732400004100 implements MigrationInterface {
  name = 'JournalChunkPacks1732400004100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "journal_chunk_packs" (
      "batch_id" integer NOT NULL,
      "chunk_no" integer NOT NULL,
      "numbers" blob NOT NULL,
      "names" text NOT NULL,
      PRIMARY KEY ("batch_id", "chunk_no"),
      CONSTRAINT "FK_journal_chunk_packs_batch" FOREIGN KEY ("batch_id") REFERENCES "journal_batches" ("id"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "journal_chunk_packs"`);
  }
}
