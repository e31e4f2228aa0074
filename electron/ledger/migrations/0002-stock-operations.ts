import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stock operations (issue 3): what a document was (kind, reason, duty-paid, what it reverses), value-only
 * sales credits (no movement, for finance posting), named adjustment drafts with autosaved lines,
 * and an index to find the reversals of a movement quickly.
 */
export class StockOperations1732400000200 implements MigrationInterface {
  name = 'StockOperations1732400000200';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE "operation_documents" (
        "document_id" integer PRIMARY KEY NOT NULL,
        "kind" varchar(40) NOT NULL,
        "site_id" integer,
        "to_site_id" integer,
        "reason" varchar(40),
        "duty_paid" boolean NOT NULL DEFAULT (0),
        "source_document_id" integer,
        "counterparty" varchar(128),
        CONSTRAINT "FK_operation_documents_document" FOREIGN KEY ("document_id") REFERENCES "documents" ("id"))`,
      `CREATE INDEX "IDX_operation_documents_kind" ON "operation_documents" ("kind")`,
      `CREATE TABLE "operation_value_credits" (
        "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
        "idempotency_key" varchar(128) NOT NULL,
        "line_no" integer NOT NULL,
        "kind" varchar(40) NOT NULL,
        "reference" varchar(100),
        "sale_document_id" integer NOT NULL,
        "sale_seq" integer NOT NULL,
        "product_id" integer NOT NULL,
        "site_id" integer NOT NULL,
        "qty" bigint NOT NULL,
        "unit_cost" bigint NOT NULL,
        "value" bigint NOT NULL,
        "occurred_at" bigint NOT NULL,
        "recorded_at" bigint NOT NULL,
        "user_id" integer NOT NULL,
        "note" text,
        CONSTRAINT "UQ_operation_value_credits_key_line" UNIQUE ("idempotency_key", "line_no"),
        CONSTRAINT "FK_operation_value_credits_sale" FOREIGN KEY ("sale_seq") REFERENCES "movements" ("seq"))`,
      `CREATE INDEX "IDX_operation_value_credits_sale_seq" ON "operation_value_credits" ("sale_seq")`,
      `CREATE TABLE "adjustment_drafts" (
        "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
        "name" varchar(128) NOT NULL,
        "site_id" integer NOT NULL,
        "effective_at" bigint NOT NULL,
        "note" text,
        "status" varchar(16) NOT NULL DEFAULT ('draft'),
        "document_id" integer,
        "user_id" integer NOT NULL,
        "created_at" bigint NOT NULL,
        "updated_at" bigint NOT NULL,
        CONSTRAINT "CHK_adjustment_drafts_status" CHECK ("status" IN ('draft','posted')),
        CONSTRAINT "FK_adjustment_drafts_site" FOREIGN KEY ("site_id") REFERENCES "sites" ("id"))`,
      `CREATE TABLE "adjustment_draft_lines" (
        "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
        "draft_id" integer NOT NULL,
        "line_no" integer NOT NULL,
        "product_id" integer NOT NULL,
        "bin_id" integer,
        "batch_code" varchar(64),
        "batch_expiry" varchar(10),
        "serial" varchar(128),
        "qty" bigint NOT NULL,
        "reason" varchar(20) NOT NULL,
        "note" text,
        "updated_at" bigint NOT NULL,
        CONSTRAINT "UQ_adjustment_draft_lines_line" UNIQUE ("draft_id", "line_no"),
        CONSTRAINT "FK_adjustment_draft_lines_draft" FOREIGN KEY ("draft_id") REFERENCES "adjustment_drafts" ("id") ON DELETE CASCADE)`,
      `CREATE INDEX "IDX_movements_reversal_of" ON "movements" ("reversal_of")`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_movements_reversal_of"`);
    for (const table of ['adjustment_draft_lines', 'adjustment_drafts', 'operation_value_credits', 'operation_documents']) {
      await q.query(`DROP TABLE "${table}"`);
    }
  }
}
