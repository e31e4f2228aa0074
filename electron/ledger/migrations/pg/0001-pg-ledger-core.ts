import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ON_COSTS } from '../../../../shared/domain';

/**
 * Issue 17, step two: the ledger core on PostgreSQL, equal to the SQLite schema at migration 0032 for the tables the
 * core posts into (users, product groups, products, sites, bins, batches, serial units, documents, movements, stock
 * levels). A baseline, not a translation of 0001..0032: a PostgreSQL ledger starts here. Column types follow the
 * entities (the drift test in pg-schema.test.ts holds them together): integer ids, bigint quantities, money and times.
 *
 * What SQLite does with triggers and expression indexes is PostgreSQL's own here: movements refuse UPDATE/DELETE in a
 * plpgsql trigger, and a stock level is unique per product/site/bin/batch with NULLs equal (NULLS NOT DISTINCT, 15+).
 * The enquiry indexes are not here: PostgreSQL gets indexes and plans of its own, measured, when the enquiry moves.
 */
export class PgLedgerCore1764700000100 implements MigrationInterface {
  name = 'PgLedgerCore1764700000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "users" (
      "id" SERIAL PRIMARY KEY, "username" varchar(64) NOT NULL, "display_name" varchar(128) NOT NULL,
      "permissions" text NOT NULL DEFAULT '[]', "password_hash" text, "pin_hash" text,
      "active" boolean NOT NULL DEFAULT true, "created_at" bigint NOT NULL,
      CONSTRAINT "UQ_users_username" UNIQUE ("username"))`);
    await q.query(`CREATE TABLE "product_groups" (
      "id" SERIAL PRIMARY KEY, "code" varchar(32) NOT NULL, "name" varchar(128) NOT NULL,
      "post_on_costs" boolean NOT NULL DEFAULT false, "active" boolean NOT NULL DEFAULT true,
      CONSTRAINT "UQ_product_groups_code" UNIQUE ("code"))`);
    await q.query(`CREATE TABLE "products" (
      "id" SERIAL PRIMARY KEY, "sku" varchar(64) NOT NULL, "name" varchar(200) NOT NULL, "unit" varchar(16) NOT NULL DEFAULT 'ea',
      "scale" integer NOT NULL DEFAULT 0, "stock_type" varchar(16) NOT NULL, "tracking" varchar(8) NOT NULL DEFAULT 'BULK',
      "group_id" integer CONSTRAINT "FK_products_group" REFERENCES "product_groups" ("id"),
      "variant_attributes" text NOT NULL DEFAULT '{}', "stock_keeping" boolean NOT NULL DEFAULT true, "low_stock_level" bigint,
      "created_at" bigint NOT NULL, "description" text NOT NULL DEFAULT '', "active" boolean NOT NULL DEFAULT true,
      "country_of_origin" varchar(2), "parent_id" integer, "variant_axes" text,
      "version" integer NOT NULL DEFAULT 1, "updated_by" integer, "updated_at" bigint,
      CONSTRAINT "UQ_products_sku" UNIQUE ("sku"),
      CONSTRAINT "CHK_products_stock_type" CHECK ("stock_type" IN ('Supplied','Preparation','Made','Recipe','Other')),
      CONSTRAINT "CHK_products_tracking" CHECK ("tracking" IN ('BULK','LOT','SERIAL','RFID')),
      CONSTRAINT "CHK_products_scale" CHECK ("scale" BETWEEN 0 AND 6))`);
    await q.query(`CREATE INDEX "IDX_products_parent" ON "products" ("parent_id")`);
    await q.query(`CREATE TABLE "sites" (
      "id" SERIAL PRIMARY KEY, "code" varchar(32) NOT NULL, "name" varchar(128) NOT NULL, "kind" varchar(16) NOT NULL DEFAULT 'warehouse',
      "allow_negative" boolean NOT NULL DEFAULT false, "active" boolean NOT NULL DEFAULT true,
      "version" integer NOT NULL DEFAULT 1, "updated_by" integer, "updated_at" bigint,
      CONSTRAINT "UQ_sites_code" UNIQUE ("code"), CONSTRAINT "UQ_sites_name" UNIQUE ("name"),
      CONSTRAINT "CHK_sites_kind" CHECK ("kind" IN ('warehouse','shop','kitchen','other','external')))`);
    await q.query(`CREATE TABLE "bins" (
      "id" SERIAL PRIMARY KEY, "site_id" integer NOT NULL CONSTRAINT "FK_bins_site" REFERENCES "sites" ("id"),
      "code" varchar(32) NOT NULL, "name" varchar(128) NOT NULL, "stock_status" varchar(16) NOT NULL DEFAULT 'sellable',
      "active" boolean NOT NULL DEFAULT true,
      CONSTRAINT "UQ_bins_site_code" UNIQUE ("site_id", "code"),
      CONSTRAINT "CHK_bins_stock_status" CHECK ("stock_status" IN ('sellable','defective','quarantine')))`);
    await q.query(`CREATE TABLE "batches" (
      "id" SERIAL PRIMARY KEY, "product_id" integer NOT NULL CONSTRAINT "FK_batches_product" REFERENCES "products" ("id"),
      "code" varchar(64) NOT NULL, "expiry" varchar(10), "created_at" bigint NOT NULL,
      CONSTRAINT "UQ_batches_product_code" UNIQUE ("product_id", "code"))`);
    await q.query(`CREATE TABLE "serial_units" (
      "id" SERIAL PRIMARY KEY, "product_id" integer NOT NULL CONSTRAINT "FK_serial_units_product" REFERENCES "products" ("id"),
      "serial" varchar(128) NOT NULL, "batch_id" integer CONSTRAINT "FK_serial_units_batch" REFERENCES "batches" ("id"),
      "site_id" integer CONSTRAINT "FK_serial_units_site" REFERENCES "sites" ("id"),
      "bin_id" integer CONSTRAINT "FK_serial_units_bin" REFERENCES "bins" ("id"), "in_stock" boolean NOT NULL DEFAULT false,
      CONSTRAINT "UQ_serial_units_product_serial" UNIQUE ("product_id", "serial"))`);
    await q.query(`CREATE TABLE "documents" (
      "id" SERIAL PRIMARY KEY, "type" varchar(40) NOT NULL, "reference" varchar(100), "status" varchar(16) NOT NULL DEFAULT 'posted',
      "user_id" integer NOT NULL CONSTRAINT "FK_documents_user" REFERENCES "users" ("id"),
      "occurred_at" bigint NOT NULL, "recorded_at" bigint NOT NULL, "idempotency_key" varchar(128) NOT NULL,
      "payload_hash" varchar(64) NOT NULL, "note" text,
      CONSTRAINT "UQ_documents_idempotency_key" UNIQUE ("idempotency_key"))`);
    const onCosts = ON_COSTS.map((k) => `"oc_${k}" bigint NOT NULL DEFAULT 0`).join(', ');
    await q.query(`CREATE TABLE "movements" (
      "seq" integer PRIMARY KEY, "document_id" integer NOT NULL CONSTRAINT "FK_movements_document" REFERENCES "documents" ("id"),
      "line_no" integer NOT NULL, "product_id" integer NOT NULL CONSTRAINT "FK_movements_product" REFERENCES "products" ("id"),
      "site_id" integer NOT NULL CONSTRAINT "FK_movements_site" REFERENCES "sites" ("id"),
      "bin_id" integer CONSTRAINT "FK_movements_bin" REFERENCES "bins" ("id"),
      "batch_id" integer CONSTRAINT "FK_movements_batch" REFERENCES "batches" ("id"),
      "serial_id" integer CONSTRAINT "FK_movements_serial" REFERENCES "serial_units" ("id"),
      "type" varchar(40) NOT NULL, "qty" bigint NOT NULL, "balance_after" bigint NOT NULL,
      "occurred_at" bigint NOT NULL, "recorded_at" bigint NOT NULL,
      "user_id" integer NOT NULL CONSTRAINT "FK_movements_user" REFERENCES "users" ("id"),
      "unit_cost" bigint NOT NULL DEFAULT 0, "cost_source" varchar(20) NOT NULL, ${onCosts},
      "reversal_of" integer CONSTRAINT "FK_movements_reversal_of" REFERENCES "movements" ("seq"),
      "note" text, "prev_hash" varchar(64) NOT NULL, "hash" varchar(64) NOT NULL)`);
    await q.query(`CREATE INDEX "IDX_movements_document" ON "movements" ("document_id")`);
    await q.query(`CREATE INDEX "IDX_movements_product_site_seq" ON "movements" ("product_id", "site_id", "seq")`);
    await q.query(`CREATE INDEX "IDX_movements_reversal_of" ON "movements" ("reversal_of")`);
    // Invariant 1: movements are append-only; the refusal names what to do instead.
    await q.query(`CREATE FUNCTION "movements_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'movements are append-only: post a correcting movement instead' USING ERRCODE = 'restrict_violation';
      END $$`);
    await q.query(`CREATE TRIGGER "movements_no_update" BEFORE UPDATE ON "movements" FOR EACH ROW EXECUTE FUNCTION "movements_append_only"()`);
    await q.query(`CREATE TRIGGER "movements_no_delete" BEFORE DELETE ON "movements" FOR EACH ROW EXECUTE FUNCTION "movements_append_only"()`);
    await q.query(`CREATE TABLE "stock_levels" (
      "id" SERIAL PRIMARY KEY, "product_id" integer NOT NULL CONSTRAINT "FK_stock_levels_product" REFERENCES "products" ("id"),
      "site_id" integer NOT NULL CONSTRAINT "FK_stock_levels_site" REFERENCES "sites" ("id"),
      "bin_id" integer CONSTRAINT "FK_stock_levels_bin" REFERENCES "bins" ("id"),
      "batch_id" integer CONSTRAINT "FK_stock_levels_batch" REFERENCES "batches" ("id"),
      "qty" bigint NOT NULL, "last_movement_at" bigint NOT NULL, "last_seq" integer NOT NULL)`);
    await q.query(`CREATE UNIQUE INDEX "UQ_stock_levels_key" ON "stock_levels" ("product_id", "site_id", "bin_id", "batch_id") NULLS NOT DISTINCT`);
    // The same first rows as SQLite's 0001: the External pseudo-site and the system and admin users.
    await q.query(`INSERT INTO "sites" ("code", "name", "kind", "allow_negative") VALUES ('EXTERNAL', 'External', 'external', true)`);
    await q.query(`INSERT INTO "users" ("username", "display_name", "permissions", "created_at") VALUES
      ('system', 'System', '["read:stock","post:movements","manage:data","create:stock-count","update:stock-count","post:finance"]', 0),
      ('admin', 'Administrator', '["read:stock","post:movements","manage:data","create:stock-count","update:stock-count","post:finance"]', 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['stock_levels', 'movements', 'documents', 'serial_units', 'batches', 'bins', 'sites', 'products', 'product_groups', 'users']) {
      await q.query(`DROP TABLE "${t}"`);
    }
    await q.query(`DROP FUNCTION "movements_append_only"()`);
  }
}
