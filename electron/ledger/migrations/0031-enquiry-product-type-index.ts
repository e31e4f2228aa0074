import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15, the enquiry's product + type filters (a product, or the products a search names, with one or more movement
 * types): each product's movements of each type in effective order, so the first page seeks straight to them (one walk
 * per product and type, merged by SQLite) instead of reading every movement of the products to check its type. Its cost
 * is one more index entry per posted movement (measured in the closing note of issue 15).
 * And batches by their latest movement (the quants' last_movement_at), so a long batch list (a broad batch-code search,
 * an expiry range) is read most recently moved first instead of one seek per batch.
 */
export class EnquiryProductTypeIndex1732400003100 implements MigrationInterface {
  name = 'EnquiryProductTypeIndex1732400003100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_movements_product_type_occurred" ON "movements" ("product_id", "type", "occurred_at")`);
    await q.query(`CREATE INDEX "IDX_stock_levels_batch_recent" ON "stock_levels" ("last_movement_at", "batch_id") WHERE "batch_id" IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_stock_levels_batch_recent"`);
    await q.query(`DROP INDEX "IDX_movements_product_type_occurred"`);
  }
}
