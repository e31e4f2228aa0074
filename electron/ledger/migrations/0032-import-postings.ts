import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15, an import posted in short chunks between the clerks' commits. `import_postings` is one row per import of
 * more than one chunk: 'staging' while its documents are written aside (nothing posted; dropped at start-up if the
 * process stopped), 'posting' from the first chunk's commit on (finished at start-up: roll forward), 'stopped' when the
 * ledger refused a chunk part-way, 'posted' when done. `import_posting_chunks` holds each chunk's document until the
 * transaction that posts it deletes it, so the chunks left are exactly the documents still to post.
 */
export class ImportPostings1732400003200 implements MigrationInterface {
  name = 'ImportPostings1732400003200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "import_postings" (
      "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
      "idempotency_key" varchar(128) NOT NULL,
      "request_hash" varchar(64) NOT NULL,
      "content_hash" varchar(64) NOT NULL,
      "confirm_duplicate" boolean NOT NULL DEFAULT (0),
      "kind" varchar(40) NOT NULL,
      "file_name" varchar(260),
      "user_id" integer NOT NULL,
      "row_count" integer NOT NULL,
      "chunk_count" integer NOT NULL,
      "posted_chunks" integer NOT NULL DEFAULT (0),
      "posted_rows" integer NOT NULL DEFAULT (0),
      "document_ids" text NOT NULL DEFAULT ('[]'),
      "status" varchar(16) NOT NULL,
      "error" text,
      "created_at" bigint NOT NULL,
      "updated_at" bigint NOT NULL,
      CONSTRAINT "UQ_import_postings_key" UNIQUE ("idempotency_key"),
      CONSTRAINT "FK_import_postings_user" FOREIGN KEY ("user_id") REFERENCES "users" ("id"))`);
    await q.query(`CREATE INDEX "IDX_import_postings_status" ON "import_postings" ("status")`);
    await q.query(`CREATE INDEX "IDX_import_postings_content" ON "import_postings" ("content_hash")`);
    await q.query(`CREATE TABLE "import_posting_chunks" (
      "import_id" integer NOT NULL,
      "chunk_no" integer NOT NULL,
      "document" text NOT NULL,
      PRIMARY KEY ("import_id", "chunk_no"),
      CONSTRAINT "FK_import_posting_chunks_import" FOREIGN KEY ("import_id") REFERENCES "import_postings" ("id"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "import_posting_chunks"`);
    await q.query(`DROP INDEX "IDX_import_postings_content"`);
    await q.query(`DROP INDEX "IDX_import_postings_status"`);
    await q.query(`DROP TABLE "import_postings"`);
  }
}
