import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Suppliers (issue 12): the suppliers themselves (country and "in the EC" for seed 004's customs rule), each product's
 * codes in a supplier's catalogue (a code belongs to one product per supplier), and the supplier a receipt came from.
 * Administrators gain manage:suppliers.
 */
export class Suppliers1732400002100 implements MigrationInterface {
  name = 'Suppliers1732400002100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "suppliers" (
      "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
      "code" varchar(32) NOT NULL,
      "name" varchar(128) NOT NULL,
      "country" varchar(2) NOT NULL,
      "in_ec" boolean NOT NULL DEFAULT (0),
      "contact_name" varchar(128) NOT NULL DEFAULT (''),
      "email" varchar(254) NOT NULL DEFAULT (''),
      "phone" varchar(40) NOT NULL DEFAULT (''),
      "address" text NOT NULL DEFAULT (''),
      "notes" text NOT NULL DEFAULT (''),
      "active" boolean NOT NULL DEFAULT (1),
      CONSTRAINT "UQ_suppliers_code" UNIQUE ("code"),
      CONSTRAINT "UQ_suppliers_name" UNIQUE ("name"))`);
    await q.query(`CREATE TABLE "product_supplier_codes" (
      "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
      "product_id" integer NOT NULL,
      "supplier_id" integer NOT NULL,
      "supplier_code" varchar(64) NOT NULL,
      CONSTRAINT "UQ_product_supplier_codes_code" UNIQUE ("supplier_id", "supplier_code"),
      CONSTRAINT "FK_product_supplier_codes_product" FOREIGN KEY ("product_id") REFERENCES "products" ("id"),
      CONSTRAINT "FK_product_supplier_codes_supplier" FOREIGN KEY ("supplier_id") REFERENCES "suppliers" ("id"))`);
    await q.query(`CREATE INDEX "IDX_product_supplier_codes_product" ON "product_supplier_codes" ("product_id")`);
    await q.query(`CREATE TABLE "document_suppliers" (
      "document_id" integer PRIMARY KEY NOT NULL,
      "supplier_id" integer NOT NULL,
      CONSTRAINT "FK_document_suppliers_document" FOREIGN KEY ("document_id") REFERENCES "documents" ("id"),
      CONSTRAINT "FK_document_suppliers_supplier" FOREIGN KEY ("supplier_id") REFERENCES "suppliers" ("id"))`);
    await q.query(`CREATE INDEX "IDX_document_suppliers_supplier" ON "document_suppliers" ("supplier_id")`);
    await q.query(
      `UPDATE "users" SET "permissions" = json_insert("permissions", '$[#]', 'manage:suppliers')
        WHERE "username" IN ('admin', 'system') AND NOT EXISTS (SELECT 1 FROM json_each("permissions") WHERE value = 'manage:suppliers')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_document_suppliers_supplier"`);
    await q.query(`DROP TABLE "document_suppliers"`);
    await q.query(`DROP INDEX "IDX_product_supplier_codes_product"`);
    await q.query(`DROP TABLE "product_supplier_codes"`);
    await q.query(`DROP TABLE "suppliers"`);
    await q.query(`UPDATE "users" SET "permissions" = (SELECT json_group_array(value) FROM json_each("permissions") WHERE value <> 'manage:suppliers')`);
  }
}
