import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The product record (issue 12): product groups can be retired (active), a product has a country of origin, a variant
 * points at its variant parent (parent_id) and a parent lists its attributes and their values (variant_axes), and
 * per-site settings hold a low-stock level and a default bin for each product at each site (product_sites).
 */
export class ProductRecord1732400001900 implements MigrationInterface {
  name = 'ProductRecord1732400001900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "product_groups" ADD COLUMN "active" boolean NOT NULL DEFAULT (1)`);
    await q.query(`ALTER TABLE "products" ADD COLUMN "country_of_origin" varchar(2)`);
    await q.query(`ALTER TABLE "products" ADD COLUMN "parent_id" integer`);
    await q.query(`ALTER TABLE "products" ADD COLUMN "variant_axes" text`);
    await q.query(`CREATE INDEX "IDX_products_parent" ON "products" ("parent_id")`);
    await q.query(`CREATE TABLE "product_sites" (
      "product_id" integer NOT NULL,
      "site_id" integer NOT NULL,
      "low_stock_level" bigint,
      "default_bin_id" integer,
      CONSTRAINT "FK_product_sites_product" FOREIGN KEY ("product_id") REFERENCES "products" ("id"),
      CONSTRAINT "FK_product_sites_site" FOREIGN KEY ("site_id") REFERENCES "sites" ("id"),
      CONSTRAINT "FK_product_sites_bin" FOREIGN KEY ("default_bin_id") REFERENCES "bins" ("id"),
      PRIMARY KEY ("product_id", "site_id"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "product_sites"`);
    await q.query(`DROP INDEX "IDX_products_parent"`);
    await q.query(`ALTER TABLE "products" DROP COLUMN "variant_axes"`);
    await q.query(`ALTER TABLE "products" DROP COLUMN "parent_id"`);
    await q.query(`ALTER TABLE "products" DROP COLUMN "country_of_origin"`);
    await q.query(`ALTER TABLE "product_groups" DROP COLUMN "active"`);
  }
}
