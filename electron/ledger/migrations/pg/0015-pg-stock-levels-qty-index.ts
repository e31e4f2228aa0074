import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The movement enquiry's balance-on-date column on PostgreSQL (enquiry/pg/pg-movement-store.ts balancesOnDate): each
 * row's product/site level, the sum of its stock levels (one per bin and batch: about 11 on the 5,000,000-movement bench
 * ledger), read from this index alone, not from the heap page of each level (a page visit per level, scattered: about
 * 2,000 of the 5,400 buffers of an unfiltered first page, and half the balance statement's time). The cost: qty is
 * indexed, so a posting's update of a level is no longer a HOT update (its other indexes get an entry too).
 */
export class PgStockLevelsQtyIndex1764700001500 implements MigrationInterface {
  name = 'PgStockLevelsQtyIndex1764700001500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_stock_levels_product_site_qty" ON "stock_levels" ("product_id", "site_id") INCLUDE ("qty")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_stock_levels_product_site_qty"`);
  }
}
