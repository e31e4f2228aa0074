import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15, the enquiry's product + type filters (a product, or the products a search names, with one or more movement
 * types): each product's movements of each type in effective order, so the first page seeks straight to them (one walk
 * per product and type, merged by SQLite) instead of reading every movement of the products to check its type. Its cost
 * is one more index entry per posted movement (measured in the closing note of issue 15).
 */
export class EnquiryProductTypeIndex1732400003100 implements MigrationInterface {
  name = 'EnquiryProductTypeIndex1732400003100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_movements_product_type_occurred" ON "movements" ("product_id", "type", "occurred_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_movements_product_type_occurred"`);
  }
}
