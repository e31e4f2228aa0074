import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15, the enquiry's "Balance on that date": each product/site's movements in effective order with their
 * quantities, so the running balance of a page's rows is summed from the index alone (no movement row read, no other
 * site's rows crossed). Its cost is one more index entry per posted movement (measured in the closing note of issue 15).
 */
export class EnquiryBalanceIndex1732400002800 implements MigrationInterface {
  name = 'EnquiryBalanceIndex1732400002800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_movements_product_site_occurred" ON "movements" ("product_id", "site_id", "occurred_at", "qty")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_movements_product_site_occurred"`);
  }
}
