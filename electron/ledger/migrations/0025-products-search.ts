import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The supplier codes of one product, space-separated, as the search index holds them. */
const codesOf = (productId: string) =>
  `COALESCE((SELECT group_concat("supplier_code", ' ') FROM "product_supplier_codes" WHERE "product_id" = ${productId}), '')`;

/**
 * Issue 12, the Products list's search: a trigram full-text index (FTS5) over each product's SKU, name and supplier
 * codes, so a search of three characters or more finds its matches anywhere in them without reading every product.
 * The index is keyed by the product id (its rowid) and kept in step by triggers, whoever writes the products or their
 * supplier codes (the app, an import, the demo generator). TypeORM knows nothing of it (no entity): it is only read
 * by the products list store.
 */
export class ProductsSearch1732400002500 implements MigrationInterface {
  name = 'ProductsSearch1732400002500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE VIRTUAL TABLE "products_fts" USING fts5("sku", "name", "codes", tokenize = 'trigram')`);
    await q.query(
      `INSERT INTO "products_fts" ("rowid", "sku", "name", "codes") SELECT "id", "sku", "name", ${codesOf('"products"."id"')} FROM "products"`,
    );
    await q.query(
      `CREATE TRIGGER "TRG_products_fts_insert" AFTER INSERT ON "products" BEGIN
         INSERT INTO "products_fts" ("rowid", "sku", "name", "codes") VALUES (NEW."id", NEW."sku", NEW."name", ${codesOf('NEW."id"')});
       END`,
    );
    await q.query(
      `CREATE TRIGGER "TRG_products_fts_update" AFTER UPDATE OF "id", "sku", "name" ON "products" BEGIN
         DELETE FROM "products_fts" WHERE "rowid" = OLD."id";
         INSERT INTO "products_fts" ("rowid", "sku", "name", "codes") VALUES (NEW."id", NEW."sku", NEW."name", ${codesOf('NEW."id"')});
       END`,
    );
    await q.query(
      `CREATE TRIGGER "TRG_products_fts_delete" AFTER DELETE ON "products" BEGIN
         DELETE FROM "products_fts" WHERE "rowid" = OLD."id";
       END`,
    );
    const codes = (ids: string[]) => ids.map((id) => `UPDATE "products_fts" SET "codes" = ${codesOf(id)} WHERE "rowid" = ${id};`).join('\n');
    await q.query(`CREATE TRIGGER "TRG_supplier_codes_fts_insert" AFTER INSERT ON "product_supplier_codes" BEGIN ${codes(['NEW."product_id"'])} END`);
    await q.query(
      `CREATE TRIGGER "TRG_supplier_codes_fts_update" AFTER UPDATE ON "product_supplier_codes" BEGIN ${codes(['OLD."product_id"', 'NEW."product_id"'])} END`,
    );
    await q.query(`CREATE TRIGGER "TRG_supplier_codes_fts_delete" AFTER DELETE ON "product_supplier_codes" BEGIN ${codes(['OLD."product_id"'])} END`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['supplier_codes_fts_delete', 'supplier_codes_fts_update', 'supplier_codes_fts_insert', 'products_fts_delete', 'products_fts_update', 'products_fts_insert']) {
      await q.query(`DROP TRIGGER "TRG_${t}"`);
    }
    await q.query(`DROP TABLE "products_fts"`);
  }
}
