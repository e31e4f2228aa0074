import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Finance posting (issue 7): chart of accounts and control-account rules, customs flags of purchase documents,
 * and the posting state in its own tables. movement_postings has the movement seq as its primary key, so the
 * database itself refuses to post a movement twice; value_credit_postings does the same for value-only credits.
 */
export class FinancePosting1732400000500 implements MigrationInterface {
  name = 'FinancePosting1732400000500';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE "finance_accounts" (
        "code" varchar(32) PRIMARY KEY NOT NULL,
        "name" varchar(128) NOT NULL)`,
      `CREATE TABLE "posting_rules" (
        "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
        "movement_type" varchar(40) NOT NULL,
        "component" varchar(16) NOT NULL,
        "condition" varchar(32) NOT NULL DEFAULT ('always'),
        "combine_on_costs" boolean NOT NULL DEFAULT (0),
        "on_costs_need_group" boolean NOT NULL DEFAULT (1),
        "debit_account" varchar(32) NOT NULL,
        "credit_account" varchar(32) NOT NULL,
        CONSTRAINT "UQ_posting_rules_key" UNIQUE ("movement_type", "component", "condition"))`,
      `CREATE TABLE "document_customs" (
        "document_id" integer PRIMARY KEY NOT NULL,
        "non_ec" boolean NOT NULL DEFAULT (0),
        "customs_duty_paid" boolean NOT NULL DEFAULT (0),
        CONSTRAINT "FK_document_customs_document" FOREIGN KEY ("document_id") REFERENCES "documents" ("id"))`,
      `CREATE TABLE "journal_batches" (
        "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
        "target" varchar(400) NOT NULL,
        "status" varchar(16) NOT NULL,
        "posted_to" bigint NOT NULL,
        "summarised" boolean NOT NULL DEFAULT (0),
        "reversal_of" integer,
        "reversed_by" integer,
        "user_id" integer NOT NULL,
        "started_at" bigint NOT NULL,
        "finished_at" bigint,
        "movement_count" integer NOT NULL DEFAULT (0),
        "entry_count" integer NOT NULL DEFAULT (0),
        "line_count" integer NOT NULL DEFAULT (0),
        "last_entry_before" integer NOT NULL,
        "next_entry" integer NOT NULL,
        "last_entry_after" integer,
        "target_start" bigint,
        "report" text,
        CONSTRAINT "CHK_journal_batches_status" CHECK ("status" IN ('running','posted','failed','cancelled','interrupted')))`,
      `CREATE TABLE "journal_chunks" (
        "batch_id" integer NOT NULL,
        "chunk_no" integer NOT NULL,
        "item_count" integer NOT NULL,
        "line_count" integer NOT NULL,
        "exported_end" bigint,
        PRIMARY KEY ("batch_id", "chunk_no"),
        CONSTRAINT "FK_journal_chunks_batch" FOREIGN KEY ("batch_id") REFERENCES "journal_batches" ("id"))`,
      `CREATE TABLE "journal_lines" (
        "id" integer PRIMARY KEY NOT NULL,
        "batch_id" integer NOT NULL,
        "chunk_no" integer NOT NULL,
        "entry_no" integer NOT NULL,
        "entry_date" bigint NOT NULL,
        "account" varchar(32) NOT NULL,
        "amount" bigint NOT NULL,
        "movement_type" varchar(40) NOT NULL,
        "movement_seq" integer,
        "description" varchar(200) NOT NULL,
        CONSTRAINT "FK_journal_lines_batch" FOREIGN KEY ("batch_id") REFERENCES "journal_batches" ("id"))`,
      `CREATE INDEX "IDX_journal_lines_batch_chunk" ON "journal_lines" ("batch_id", "chunk_no")`,
      `CREATE TABLE "movement_postings" (
        "movement_seq" integer PRIMARY KEY NOT NULL,
        "batch_id" integer NOT NULL,
        CONSTRAINT "FK_movement_postings_movement" FOREIGN KEY ("movement_seq") REFERENCES "movements" ("seq"),
        CONSTRAINT "FK_movement_postings_batch" FOREIGN KEY ("batch_id") REFERENCES "journal_batches" ("id"))`,
      `CREATE INDEX "IDX_movement_postings_batch" ON "movement_postings" ("batch_id")`,
      `CREATE TABLE "value_credit_postings" (
        "credit_id" integer PRIMARY KEY NOT NULL,
        "batch_id" integer NOT NULL,
        CONSTRAINT "FK_value_credit_postings_credit" FOREIGN KEY ("credit_id") REFERENCES "operation_value_credits" ("id"),
        CONSTRAINT "FK_value_credit_postings_batch" FOREIGN KEY ("batch_id") REFERENCES "journal_batches" ("id"))`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'value_credit_postings',
      'movement_postings',
      'journal_lines',
      'journal_chunks',
      'journal_batches',
      'document_customs',
      'posting_rules',
      'finance_accounts',
    ]) {
      await q.query(`DROP TABLE "${table}"`);
    }
  }
}
