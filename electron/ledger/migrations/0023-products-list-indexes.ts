import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12, the Products window: its list walks products in SKU or name order (any case) and stops after a page, so
 * the first page of 100,000 products is read without sorting them all; a record's History finds its audit entries
 * by record kind and id (carried in every master-data entry) without reading the whole audit log.
 */
export class ProductsListIndexes1732400002300 implements MigrationInterface {
  name = 'ProductsListIndexes1732400002300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_products_sku_nocase" ON "products" ("sku" COLLATE NOCASE)`);
    await q.query(`CREATE INDEX "IDX_products_name_nocase" ON "products" ("name" COLLATE NOCASE)`);
    await q.query(
      `CREATE INDEX "IDX_audit_log_master_record" ON "audit_log" (json_extract("detail", '$.record'), json_extract("detail", '$.id'))
        WHERE "action" = 'master-data-changed'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_audit_log_master_record"`);
    await q.query(`DROP INDEX "IDX_products_name_nocase"`);
    await q.query(`DROP INDEX "IDX_products_sku_nocase"`);
  }
}
