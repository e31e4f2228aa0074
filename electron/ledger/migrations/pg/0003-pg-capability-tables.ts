import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17, step two: every table of the capabilities beyond the ledger core, on PostgreSQL, equal to the SQLite schema
 * at migration 0034: master data (barcodes, per-site settings, suppliers and their codes, recipe versions), settings,
 * counts, operations (operation documents and requests, value credits, drafts, import files and postings), finance
 * posting (accounts, rules, batches, chunks, lines, postings, batch totals) and the derived enquiry tables (snapshots,
 * dashboard). The ledger-level tables (chain anchors, cost state, audit log, backups) are pg 0002's.
 *
 * Translated, not copied: ids are SERIAL (SQLite's AUTOINCREMENT), booleans true/false, and a unique key over nullable
 * columns that SQLite spells with IFNULL(col, 0) is NULLS NOT DISTINCT (15+). The products full-text table (FTS5) and
 * its triggers have no counterpart here: PostgreSQL search gets its own index when the product list moves.
 * Case-insensitive lookups (SQLite's COLLATE NOCASE) use lower(): the master store's lookups have indexes on it.
 */
export class PgCapabilityTables1764700000300 implements MigrationInterface {
  name = 'PgCapabilityTables1764700000300';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of TABLES) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [...PG_0003_TABLES].reverse()) await q.query(`DROP TABLE "${t}"`);
    for (const i of ['IDX_products_sku_lower', 'IDX_product_groups_code_lower', 'IDX_product_groups_name_lower', 'IDX_sites_code_lower', 'IDX_sites_name_lower', 'IDX_bins_site_code_lower']) {
      await q.query(`DROP INDEX "${i}"`);
    }
  }
}

/** The tables this migration creates, in creation order (a table after every table it references). */
export const PG_0003_TABLES = [
  'product_barcodes',
  'product_sites',
  'suppliers',
  'product_supplier_codes',
  'document_suppliers',
  'recipe_versions',
  'recipe_version_components',
  'settings',
  'count_sessions',
  'count_lines',
  'count_line_codes',
  'operation_documents',
  'operation_value_credits',
  'operation_requests',
  'adjustment_drafts',
  'adjustment_draft_lines',
  'import_files',
  'import_postings',
  'import_posting_chunks',
  'finance_accounts',
  'posting_rules',
  'document_customs',
  'journal_batches',
  'journal_chunks',
  'journal_lines',
  'movement_postings',
  'value_credit_postings',
  'journal_batch_accounts',
  'journal_batch_types',
  'stock_snapshots',
  'stock_snapshot_state',
  'dashboard_day_type',
  'dashboard_day_product',
  'dashboard_state',
] as const;

const TABLES = [
  // Master data beyond the core.
  `CREATE TABLE "product_barcodes" (
    "barcode" varchar(64) PRIMARY KEY, "product_id" integer NOT NULL CONSTRAINT "FK_product_barcodes_product" REFERENCES "products" ("id"))`,
  `CREATE INDEX "IDX_product_barcodes_product" ON "product_barcodes" ("product_id")`,
  `CREATE TABLE "product_sites" (
    "product_id" integer NOT NULL CONSTRAINT "FK_product_sites_product" REFERENCES "products" ("id"),
    "site_id" integer NOT NULL CONSTRAINT "FK_product_sites_site" REFERENCES "sites" ("id"),
    "low_stock_level" bigint, "default_bin_id" integer CONSTRAINT "FK_product_sites_bin" REFERENCES "bins" ("id"),
    PRIMARY KEY ("product_id", "site_id"))`,
  `CREATE TABLE "suppliers" (
    "id" SERIAL PRIMARY KEY, "code" varchar(32) NOT NULL, "name" varchar(128) NOT NULL, "country" varchar(2) NOT NULL,
    "in_ec" boolean NOT NULL DEFAULT false, "contact_name" varchar(128) NOT NULL DEFAULT '', "email" varchar(254) NOT NULL DEFAULT '',
    "phone" varchar(40) NOT NULL DEFAULT '', "address" text NOT NULL DEFAULT '', "notes" text NOT NULL DEFAULT '',
    "active" boolean NOT NULL DEFAULT true,
    CONSTRAINT "UQ_suppliers_code" UNIQUE ("code"), CONSTRAINT "UQ_suppliers_name" UNIQUE ("name"))`,
  `CREATE TABLE "product_supplier_codes" (
    "id" SERIAL PRIMARY KEY, "product_id" integer NOT NULL CONSTRAINT "FK_product_supplier_codes_product" REFERENCES "products" ("id"),
    "supplier_id" integer NOT NULL CONSTRAINT "FK_product_supplier_codes_supplier" REFERENCES "suppliers" ("id"),
    "supplier_code" varchar(64) NOT NULL,
    CONSTRAINT "UQ_product_supplier_codes_code" UNIQUE ("supplier_id", "supplier_code"))`,
  `CREATE INDEX "IDX_product_supplier_codes_product" ON "product_supplier_codes" ("product_id")`,
  `CREATE TABLE "document_suppliers" (
    "document_id" integer PRIMARY KEY CONSTRAINT "FK_document_suppliers_document" REFERENCES "documents" ("id"),
    "supplier_id" integer NOT NULL CONSTRAINT "FK_document_suppliers_supplier" REFERENCES "suppliers" ("id"))`,
  `CREATE INDEX "IDX_document_suppliers_supplier" ON "document_suppliers" ("supplier_id")`,
  `CREATE TABLE "recipe_versions" (
    "id" SERIAL PRIMARY KEY, "recipe_id" integer NOT NULL CONSTRAINT "FK_recipe_versions_recipe" REFERENCES "products" ("id"),
    "effective_from" bigint NOT NULL, "created_at" bigint NOT NULL,
    "created_by" integer CONSTRAINT "FK_recipe_versions_user" REFERENCES "users" ("id"),
    CONSTRAINT "UQ_recipe_versions_recipe_from" UNIQUE ("recipe_id", "effective_from"))`,
  `CREATE TABLE "recipe_version_components" (
    "version_id" integer NOT NULL CONSTRAINT "FK_recipe_version_components_version" REFERENCES "recipe_versions" ("id"),
    "component_id" integer NOT NULL CONSTRAINT "FK_recipe_version_components_component" REFERENCES "products" ("id"),
    "qty_per_unit" bigint NOT NULL, PRIMARY KEY ("version_id", "component_id"))`,
  `CREATE INDEX "IDX_recipe_version_components_component" ON "recipe_version_components" ("component_id")`,
  // Case-insensitive lookups of the master store (SQLite: COLLATE NOCASE).
  `CREATE INDEX "IDX_products_sku_lower" ON "products" (lower("sku"))`,
  `CREATE INDEX "IDX_product_groups_code_lower" ON "product_groups" (lower("code"))`,
  `CREATE INDEX "IDX_product_groups_name_lower" ON "product_groups" (lower("name"))`,
  `CREATE INDEX "IDX_sites_code_lower" ON "sites" (lower("code"))`,
  `CREATE INDEX "IDX_sites_name_lower" ON "sites" (lower("name"))`,
  `CREATE INDEX "IDX_bins_site_code_lower" ON "bins" ("site_id", lower("code"))`,
  `CREATE TABLE "settings" ("key" varchar(64) PRIMARY KEY, "value" text NOT NULL, "updated_at" bigint NOT NULL)`,

  // Stock counts.
  `CREATE TABLE "count_sessions" (
    "id" SERIAL PRIMARY KEY, "site_id" integer NOT NULL CONSTRAINT "FK_count_sessions_site" REFERENCES "sites" ("id"),
    "bin_id" integer CONSTRAINT "FK_count_sessions_bin" REFERENCES "bins" ("id"), "notes" text,
    "status" varchar(16) NOT NULL DEFAULT 'DRAFT', "snapshot_seq" integer NOT NULL, "created_at" bigint NOT NULL,
    "created_by" integer NOT NULL CONSTRAINT "FK_count_sessions_created_by" REFERENCES "users" ("id"),
    "completed_at" bigint, "completed_by" integer CONSTRAINT "FK_count_sessions_completed_by" REFERENCES "users" ("id"),
    "cancelled_at" bigint, "cancelled_by" integer CONSTRAINT "FK_count_sessions_cancelled_by" REFERENCES "users" ("id"),
    "document_id" integer CONSTRAINT "FK_count_sessions_document" REFERENCES "documents" ("id"), "occurred_at" bigint,
    CONSTRAINT "CHK_count_sessions_status" CHECK ("status" IN ('DRAFT','COMPLETED','CANCELLED')))`,
  `CREATE TABLE "count_lines" (
    "id" SERIAL PRIMARY KEY, "session_id" integer NOT NULL CONSTRAINT "FK_count_lines_session" REFERENCES "count_sessions" ("id"),
    "stock_level_id" integer CONSTRAINT "FK_count_lines_stock_level" REFERENCES "stock_levels" ("id"),
    "product_id" integer NOT NULL CONSTRAINT "FK_count_lines_product" REFERENCES "products" ("id"),
    "bin_id" integer CONSTRAINT "FK_count_lines_bin" REFERENCES "bins" ("id"),
    "batch_id" integer CONSTRAINT "FK_count_lines_batch" REFERENCES "batches" ("id"),
    "system_qty" bigint NOT NULL, "counted_qty" bigint, "resolution" varchar(16) NOT NULL DEFAULT 'keep_counted',
    "moved_qty" bigint, "adjusted_qty" bigint, "counted_at" bigint,
    "counted_by" integer CONSTRAINT "FK_count_lines_counted_by" REFERENCES "users" ("id"), "counted_seq" integer,
    "resolution_chosen" boolean NOT NULL DEFAULT false, "moved_after_qty" bigint,
    "version" integer NOT NULL DEFAULT 1, "updated_by" integer, "updated_at" bigint,
    CONSTRAINT "CHK_count_lines_resolution" CHECK ("resolution" IN ('keep_counted','keep_difference')))`,
  // One line per product/bin/batch in a session, a missing bin or batch equal to another (SQLite: IFNULL(col, 0)).
  `CREATE UNIQUE INDEX "UQ_count_lines_key" ON "count_lines" ("session_id", "product_id", "bin_id", "batch_id") NULLS NOT DISTINCT`,
  `CREATE TABLE "count_line_codes" (
    "id" SERIAL PRIMARY KEY, "session_id" integer NOT NULL CONSTRAINT "FK_count_line_codes_session" REFERENCES "count_sessions" ("id"),
    "line_id" integer NOT NULL CONSTRAINT "FK_count_line_codes_line" REFERENCES "count_lines" ("id"),
    "code" varchar(128) NOT NULL, "flag" varchar(16), "scanned_at" bigint NOT NULL,
    "scanned_by" integer NOT NULL CONSTRAINT "FK_count_line_codes_scanned_by" REFERENCES "users" ("id"),
    CONSTRAINT "UQ_count_line_codes_session_code" UNIQUE ("session_id", "code"))`,
  `CREATE INDEX "IDX_count_line_codes_line" ON "count_line_codes" ("line_id")`,

  // Operations.
  `CREATE TABLE "operation_documents" (
    "document_id" integer PRIMARY KEY CONSTRAINT "FK_operation_documents_document" REFERENCES "documents" ("id"),
    "kind" varchar(40) NOT NULL, "site_id" integer, "to_site_id" integer, "reason" varchar(40),
    "duty_paid" boolean NOT NULL DEFAULT false, "source_document_id" integer, "counterparty" varchar(128))`,
  `CREATE INDEX "IDX_operation_documents_kind" ON "operation_documents" ("kind")`,
  `CREATE TABLE "operation_value_credits" (
    "id" SERIAL PRIMARY KEY, "idempotency_key" varchar(128) NOT NULL, "line_no" integer NOT NULL, "kind" varchar(40) NOT NULL,
    "reference" varchar(100), "sale_document_id" integer NOT NULL,
    "sale_seq" integer NOT NULL CONSTRAINT "FK_operation_value_credits_sale" REFERENCES "movements" ("seq"),
    "product_id" integer NOT NULL, "site_id" integer NOT NULL, "qty" bigint NOT NULL, "unit_cost" bigint NOT NULL, "value" bigint NOT NULL,
    "occurred_at" bigint NOT NULL, "recorded_at" bigint NOT NULL, "user_id" integer NOT NULL, "note" text,
    CONSTRAINT "UQ_operation_value_credits_key_line" UNIQUE ("idempotency_key", "line_no"))`,
  `CREATE INDEX "IDX_operation_value_credits_sale_seq" ON "operation_value_credits" ("sale_seq")`,
  `CREATE TABLE "operation_requests" (
    "idempotency_key" varchar(128) PRIMARY KEY, "operation" varchar(40) NOT NULL, "input_hash" varchar(64) NOT NULL,
    "document_id" integer, "recorded_at" bigint NOT NULL)`,
  `CREATE TABLE "adjustment_drafts" (
    "id" SERIAL PRIMARY KEY, "name" varchar(128) NOT NULL,
    "site_id" integer NOT NULL CONSTRAINT "FK_adjustment_drafts_site" REFERENCES "sites" ("id"),
    "effective_at" bigint NOT NULL, "note" text, "status" varchar(16) NOT NULL DEFAULT 'draft', "document_id" integer,
    "user_id" integer NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "duty_paid" boolean NOT NULL DEFAULT false,
    "version" integer NOT NULL DEFAULT 1, "updated_by" integer,
    CONSTRAINT "CHK_adjustment_drafts_status" CHECK ("status" IN ('draft','posted')))`,
  `CREATE TABLE "adjustment_draft_lines" (
    "id" SERIAL PRIMARY KEY,
    "draft_id" integer NOT NULL CONSTRAINT "FK_adjustment_draft_lines_draft" REFERENCES "adjustment_drafts" ("id") ON DELETE CASCADE,
    "line_no" integer NOT NULL, "product_id" integer NOT NULL, "bin_id" integer, "batch_code" varchar(64), "batch_expiry" varchar(10),
    "serial" varchar(128), "qty" bigint NOT NULL, "reason" varchar(20) NOT NULL, "note" text, "updated_at" bigint NOT NULL,
    "version" integer NOT NULL DEFAULT 1, "updated_by" integer,
    CONSTRAINT "UQ_adjustment_draft_lines_line" UNIQUE ("draft_id", "line_no"))`,
  `CREATE TABLE "import_files" (
    "id" SERIAL PRIMARY KEY, "content_hash" varchar(64) NOT NULL, "copy_no" integer NOT NULL, "kind" varchar(40) NOT NULL,
    "file_name" varchar(260), "idempotency_key" varchar(128) NOT NULL, "row_count" integer NOT NULL, "document_ids" text NOT NULL,
    "user_id" integer NOT NULL CONSTRAINT "FK_import_files_user" REFERENCES "users" ("id"), "recorded_at" bigint NOT NULL,
    CONSTRAINT "UQ_import_files_content_copy" UNIQUE ("content_hash", "copy_no"))`,
  `CREATE TABLE "import_postings" (
    "id" SERIAL PRIMARY KEY, "idempotency_key" varchar(128) NOT NULL, "request_hash" varchar(64) NOT NULL,
    "content_hash" varchar(64) NOT NULL, "confirm_duplicate" boolean NOT NULL DEFAULT false, "kind" varchar(40) NOT NULL,
    "file_name" varchar(260), "user_id" integer NOT NULL CONSTRAINT "FK_import_postings_user" REFERENCES "users" ("id"),
    "row_count" integer NOT NULL, "chunk_count" integer NOT NULL, "posted_chunks" integer NOT NULL DEFAULT 0,
    "posted_rows" integer NOT NULL DEFAULT 0, "document_ids" text NOT NULL DEFAULT '[]', "status" varchar(16) NOT NULL,
    "error" text, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL,
    CONSTRAINT "UQ_import_postings_key" UNIQUE ("idempotency_key"))`,
  `CREATE INDEX "IDX_import_postings_status" ON "import_postings" ("status")`,
  `CREATE INDEX "IDX_import_postings_content" ON "import_postings" ("content_hash")`,
  `CREATE TABLE "import_posting_chunks" (
    "import_id" integer NOT NULL CONSTRAINT "FK_import_posting_chunks_import" REFERENCES "import_postings" ("id"),
    "chunk_no" integer NOT NULL, "document" text NOT NULL, PRIMARY KEY ("import_id", "chunk_no"))`,

  // Finance posting.
  `CREATE TABLE "finance_accounts" ("code" varchar(32) PRIMARY KEY, "name" varchar(128) NOT NULL)`,
  `CREATE TABLE "posting_rules" (
    "id" SERIAL PRIMARY KEY, "movement_type" varchar(40) NOT NULL, "component" varchar(16) NOT NULL,
    "condition" varchar(32) NOT NULL DEFAULT 'always', "combine_on_costs" boolean NOT NULL DEFAULT false,
    "on_costs_need_group" boolean NOT NULL DEFAULT true, "debit_account" varchar(32) NOT NULL, "credit_account" varchar(32) NOT NULL,
    CONSTRAINT "UQ_posting_rules_key" UNIQUE ("movement_type", "component", "condition"))`,
  `CREATE TABLE "document_customs" (
    "document_id" integer PRIMARY KEY CONSTRAINT "FK_document_customs_document" REFERENCES "documents" ("id"),
    "non_ec" boolean NOT NULL DEFAULT false, "customs_duty_paid" boolean NOT NULL DEFAULT false)`,
  `CREATE TABLE "journal_batches" (
    "id" SERIAL PRIMARY KEY, "target" varchar(400) NOT NULL, "status" varchar(16) NOT NULL, "posted_to" bigint NOT NULL,
    "summarised" boolean NOT NULL DEFAULT false, "reversal_of" integer, "reversed_by" integer, "user_id" integer NOT NULL,
    "started_at" bigint NOT NULL, "finished_at" bigint, "movement_count" integer NOT NULL DEFAULT 0,
    "entry_count" integer NOT NULL DEFAULT 0, "line_count" integer NOT NULL DEFAULT 0, "last_entry_before" integer NOT NULL,
    "next_entry" integer NOT NULL, "last_entry_after" integer, "target_start" bigint, "report" text,
    "chain_seq" integer, "chain_hash" varchar(64), "mark" varchar(32),
    CONSTRAINT "CHK_journal_batches_status" CHECK ("status" IN ('running','posted','failed','cancelled','interrupted')))`,
  `CREATE TABLE "journal_chunks" (
    "batch_id" integer NOT NULL CONSTRAINT "FK_journal_chunks_batch" REFERENCES "journal_batches" ("id"),
    "chunk_no" integer NOT NULL, "item_count" integer NOT NULL, "line_count" integer NOT NULL, "exported_end" bigint,
    PRIMARY KEY ("batch_id", "chunk_no"))`,
  `CREATE TABLE "journal_lines" (
    "id" SERIAL PRIMARY KEY, "batch_id" integer NOT NULL CONSTRAINT "FK_journal_lines_batch" REFERENCES "journal_batches" ("id"),
    "chunk_no" integer NOT NULL, "entry_no" integer NOT NULL, "entry_date" bigint NOT NULL, "account" varchar(32) NOT NULL,
    "amount" bigint NOT NULL, "movement_type" varchar(40) NOT NULL, "movement_seq" integer, "description" varchar(200) NOT NULL)`,
  `CREATE INDEX "IDX_journal_lines_batch_chunk" ON "journal_lines" ("batch_id", "chunk_no")`,
  `CREATE TABLE "movement_postings" (
    "movement_seq" integer PRIMARY KEY CONSTRAINT "FK_movement_postings_movement" REFERENCES "movements" ("seq"),
    "batch_id" integer NOT NULL CONSTRAINT "FK_movement_postings_batch" REFERENCES "journal_batches" ("id"))`,
  `CREATE INDEX "IDX_movement_postings_batch" ON "movement_postings" ("batch_id")`,
  `CREATE TABLE "value_credit_postings" (
    "credit_id" integer PRIMARY KEY CONSTRAINT "FK_value_credit_postings_credit" REFERENCES "operation_value_credits" ("id"),
    "batch_id" integer NOT NULL CONSTRAINT "FK_value_credit_postings_batch" REFERENCES "journal_batches" ("id"))`,
  `CREATE TABLE "journal_batch_accounts" (
    "batch_id" integer NOT NULL CONSTRAINT "FK_journal_batch_accounts_batch" REFERENCES "journal_batches" ("id"),
    "account" varchar(32) NOT NULL, "debit" bigint NOT NULL, "credit" bigint NOT NULL, PRIMARY KEY ("batch_id", "account"))`,
  `CREATE TABLE "journal_batch_types" (
    "batch_id" integer NOT NULL CONSTRAINT "FK_journal_batch_types_batch" REFERENCES "journal_batches" ("id"),
    "movement_type" varchar(40) NOT NULL, "movements" integer NOT NULL, "entries" integer NOT NULL,
    PRIMARY KEY ("batch_id", "movement_type"))`,

  // Derived enquiry state (rebuildable, never authoritative).
  `CREATE TABLE "stock_snapshots" (
    "day_end" bigint NOT NULL, "product_id" integer NOT NULL, "site_id" integer NOT NULL, "bin_id" integer NOT NULL DEFAULT 0,
    "batch_id" integer NOT NULL DEFAULT 0, "qty" bigint NOT NULL, PRIMARY KEY ("day_end", "product_id", "site_id", "bin_id", "batch_id"))`,
  `CREATE TABLE "stock_snapshot_state" ("id" integer PRIMARY KEY, "through_seq" integer NOT NULL, "built_at" bigint NOT NULL)`,
  `CREATE TABLE "dashboard_day_type" ("day" integer NOT NULL, "type" varchar(40) NOT NULL, "n" integer NOT NULL, PRIMARY KEY ("day", "type"))`,
  `CREATE TABLE "dashboard_day_product" (
    "day" integer NOT NULL, "product_id" integer NOT NULL, "n" integer NOT NULL, "qty_out" bigint NOT NULL, "raw_out" bigint NOT NULL,
    "raw_net" bigint NOT NULL, PRIMARY KEY ("day", "product_id"))`,
  `CREATE TABLE "dashboard_state" ("id" integer PRIMARY KEY, "through_seq" integer NOT NULL)`,
];
