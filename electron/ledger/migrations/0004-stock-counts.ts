import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stock count sessions (seed 002): a session snapshots the quants in scope into count lines;
 * SERIAL/RFID lines collect scanned codes. Derived working state only — stock changes happen
 * through the adjustment document posted on completion (count_sessions.document_id).
 */
export class StockCounts1732400000400 implements MigrationInterface {
  name = 'StockCounts1732400000400';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE "count_sessions" (
        "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
        "site_id" integer NOT NULL,
        "bin_id" integer,
        "notes" text,
        "status" varchar(16) NOT NULL DEFAULT ('DRAFT'),
        "snapshot_seq" integer NOT NULL,
        "created_at" bigint NOT NULL,
        "created_by" integer NOT NULL,
        "completed_at" bigint,
        "completed_by" integer,
        "cancelled_at" bigint,
        "cancelled_by" integer,
        "document_id" integer,
        CONSTRAINT "CHK_count_sessions_status" CHECK ("status" IN ('DRAFT','COMPLETED','CANCELLED')),
        CONSTRAINT "FK_count_sessions_site" FOREIGN KEY ("site_id") REFERENCES "sites" ("id"),
        CONSTRAINT "FK_count_sessions_bin" FOREIGN KEY ("bin_id") REFERENCES "bins" ("id"),
        CONSTRAINT "FK_count_sessions_created_by" FOREIGN KEY ("created_by") REFERENCES "users" ("id"),
        CONSTRAINT "FK_count_sessions_completed_by" FOREIGN KEY ("completed_by") REFERENCES "users" ("id"),
        CONSTRAINT "FK_count_sessions_cancelled_by" FOREIGN KEY ("cancelled_by") REFERENCES "users" ("id"),
        CONSTRAINT "FK_count_sessions_document" FOREIGN KEY ("document_id") REFERENCES "documents" ("id"))`,
      `CREATE TABLE "count_lines" (
        "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
        "session_id" integer NOT NULL,
        "stock_level_id" integer,
        "product_id" integer NOT NULL,
        "bin_id" integer,
        "batch_id" integer,
        "system_qty" bigint NOT NULL,
        "counted_qty" bigint,
        "resolution" varchar(16) NOT NULL DEFAULT ('keep_counted'),
        "moved_qty" bigint,
        "adjusted_qty" bigint,
        "counted_at" bigint,
        "counted_by" integer,
        CONSTRAINT "CHK_count_lines_resolution" CHECK ("resolution" IN ('keep_counted','keep_difference')),
        CONSTRAINT "FK_count_lines_session" FOREIGN KEY ("session_id") REFERENCES "count_sessions" ("id"),
        CONSTRAINT "FK_count_lines_stock_level" FOREIGN KEY ("stock_level_id") REFERENCES "stock_levels" ("id"),
        CONSTRAINT "FK_count_lines_product" FOREIGN KEY ("product_id") REFERENCES "products" ("id"),
        CONSTRAINT "FK_count_lines_bin" FOREIGN KEY ("bin_id") REFERENCES "bins" ("id"),
        CONSTRAINT "FK_count_lines_batch" FOREIGN KEY ("batch_id") REFERENCES "batches" ("id"),
        CONSTRAINT "FK_count_lines_counted_by" FOREIGN KEY ("counted_by") REFERENCES "users" ("id"))`,
      `CREATE UNIQUE INDEX "UQ_count_lines_key" ON "count_lines" ("session_id", "product_id", IFNULL("bin_id", 0), IFNULL("batch_id", 0))`,
      `CREATE TABLE "count_line_codes" (
        "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
        "session_id" integer NOT NULL,
        "line_id" integer NOT NULL,
        "code" varchar(128) NOT NULL,
        "flag" varchar(16),
        "scanned_at" bigint NOT NULL,
        "scanned_by" integer NOT NULL,
        CONSTRAINT "UQ_count_line_codes_session_code" UNIQUE ("session_id", "code"),
        CONSTRAINT "FK_count_line_codes_session" FOREIGN KEY ("session_id") REFERENCES "count_sessions" ("id"),
        CONSTRAINT "FK_count_line_codes_line" FOREIGN KEY ("line_id") REFERENCES "count_lines" ("id"),
        CONSTRAINT "FK_count_line_codes_scanned_by" FOREIGN KEY ("scanned_by") REFERENCES "users" ("id"))`,
      `CREATE INDEX "IDX_count_line_codes_line" ON "count_line_codes" ("line_id")`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['count_line_codes', 'count_lines', 'count_sessions']) await q.query(`DROP TABLE "${table}"`);
  }
}
