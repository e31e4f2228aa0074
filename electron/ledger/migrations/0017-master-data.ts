import type { MigrationInterface, QueryRunner } from 'typeorm';

const SITES_V2 = `CREATE TABLE "sites_v2" (
  "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
  "code" varchar(32) NOT NULL,
  "name" varchar(128) NOT NULL,
  "kind" varchar(16) NOT NULL DEFAULT ('warehouse'),
  "allow_negative" boolean NOT NULL DEFAULT (0),
  "active" boolean NOT NULL DEFAULT (1),
  CONSTRAINT "UQ_sites_code" UNIQUE ("code"),
  CONSTRAINT "UQ_sites_name" UNIQUE ("name"),
  CONSTRAINT "CHK_sites_kind" CHECK ("kind" IN ('warehouse','shop','kitchen','other','external')))`;

const SITES_V1 = `CREATE TABLE "sites_v1" (
  "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
  "code" varchar(32) NOT NULL,
  "name" varchar(128) NOT NULL,
  "kind" varchar(16) NOT NULL DEFAULT ('warehouse'),
  "allow_negative" boolean NOT NULL DEFAULT (0),
  CONSTRAINT "UQ_sites_code" UNIQUE ("code"),
  CONSTRAINT "CHK_sites_kind" CHECK ("kind" IN ('warehouse','shop','external')))`;

const BINS_V2 = `CREATE TABLE "bins_v2" (
  "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
  "site_id" integer NOT NULL,
  "code" varchar(32) NOT NULL,
  "name" varchar(128) NOT NULL,
  "stock_status" varchar(16) NOT NULL DEFAULT ('sellable'),
  "active" boolean NOT NULL DEFAULT (1),
  CONSTRAINT "UQ_bins_site_code" UNIQUE ("site_id", "code"),
  CONSTRAINT "CHK_bins_stock_status" CHECK ("stock_status" IN ('sellable','defective','quarantine')),
  CONSTRAINT "FK_bins_site" FOREIGN KEY ("site_id") REFERENCES "sites" ("id"))`;

const BINS_V1 = `CREATE TABLE "bins_v1" (
  "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
  "site_id" integer NOT NULL,
  "code" varchar(32) NOT NULL,
  "name" varchar(128) NOT NULL,
  CONSTRAINT "UQ_bins_site_code" UNIQUE ("site_id", "code"),
  CONSTRAINT "FK_bins_site" FOREIGN KEY ("site_id") REFERENCES "sites" ("id"))`;

/**
 * Rebuilds a table under a new definition (SQLite cannot change a CHECK in place), keeping every id.
 * Runs as TypeORM's migration runner runs it, with foreign keys off (DROP TABLE with them on would count every
 * row that points at the table as a violation at commit); `defer_foreign_keys` covers a caller that has them on
 * and no rows pointing at the table. The rows that point at it (movements, stock levels, bins…) keep their ids,
 * and the migration test checks `foreign_key_check` is empty afterwards.
 */
async function rebuild(q: QueryRunner, table: string, createSql: string, columns: string[]): Promise<void> {
  const cols = columns.map((c) => `"${c}"`).join(', ');
  await q.query('PRAGMA defer_foreign_keys = ON');
  await q.query(createSql);
  const created = createSql.match(/CREATE TABLE "([^"]+)"/)![1]!;
  await q.query(`INSERT INTO "${created}" (${cols}) SELECT ${cols} FROM "${table}"`);
  await q.query(`DROP TABLE "${table}"`);
  await q.query(`ALTER TABLE "${created}" RENAME TO "${table}"`);
}

/**
 * Master data (issue 12): site kinds kitchen and other, active flags on sites, bins and products, a bin's
 * stock status, a product's description, unique site names, barcodes found by product; administrators gain manage:sites and manage:products.
 */
export class MasterData1732400001700 implements MigrationInterface {
  name = 'MasterData1732400001700';

  async up(q: QueryRunner): Promise<void> {
    await rebuild(q, 'sites', SITES_V2, ['id', 'code', 'name', 'kind', 'allow_negative']);
    await rebuild(q, 'bins', BINS_V2, ['id', 'site_id', 'code', 'name']);
    await q.query(`ALTER TABLE "products" ADD COLUMN "description" text NOT NULL DEFAULT ('')`);
    await q.query(`ALTER TABLE "products" ADD COLUMN "active" boolean NOT NULL DEFAULT (1)`);
    await q.query(`CREATE INDEX "IDX_product_barcodes_product" ON "product_barcodes" ("product_id")`);
    for (const p of ['manage:sites', 'manage:products']) {
      await q.query(
        `UPDATE "users" SET "permissions" = json_insert("permissions", '$[#]', ?)
          WHERE "username" IN ('admin', 'system') AND NOT EXISTS (SELECT 1 FROM json_each("permissions") WHERE value = ?)`,
        [p, p],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_product_barcodes_product"`);
    await q.query(`ALTER TABLE "products" DROP COLUMN "active"`);
    await q.query(`ALTER TABLE "products" DROP COLUMN "description"`);
    await rebuild(q, 'bins', BINS_V1, ['id', 'site_id', 'code', 'name']);
    await q.query(`UPDATE "sites" SET "kind" = 'warehouse' WHERE "kind" IN ('kitchen', 'other')`);
    await rebuild(q, 'sites', SITES_V1, ['id', 'code', 'name', 'kind', 'allow_negative']);
    await q.query(
      `UPDATE "users" SET "permissions" = (SELECT json_group_array(value) FROM json_each("permissions") WHERE value NOT IN ('manage:sites', 'manage:products'))`,
    );
  }
}
