import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Import files (issue 11): one row per import posted, keyed by the sha256 of the file's content, with who, when and
 * which documents, so the same file imported again is refused unless the user confirms it. The n-th import of the
 * same content is copy n; UNIQUE (content_hash, copy_no) makes two racing posts of one file fail rather than double.
 */
export class ImportFiles1732400001000 implements MigrationInterface {
  name = 'ImportFiles1732400001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "import_files" (
      "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
      "content_hash" varchar(64) NOT NULL,
      "copy_no" integer NOT NULL,
      "kind" varchar(40) NOT NULL,
      "file_name" varchar(260),
      "idempotency_key" varchar(128) NOT NULL,
      "row_count" integer NOT NULL,
      "document_ids" text NOT NULL,
      "user_id" integer NOT NULL,
      "recorded_at" bigint NOT NULL,
      CONSTRAINT "UQ_import_files_content_copy" UNIQUE ("content_hash", "copy_no"),
      CONSTRAINT "FK_import_files_user" FOREIGN KEY ("user_id") REFERENCES "users" ("id"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "import_files"`);
  }
}
