import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15, verification that scales: an anchor also records the running sum of quantities up to its movement, so
 * an incremental verify can hold the stock levels to the anchor plus the movements after it. Anchors recorded before
 * this have none (NULL): a full pass still checks them by seq and hash.
 */
export class AnchorSums1732400002900 implements MigrationInterface {
  name = 'AnchorSums1732400002900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "chain_anchors" ADD COLUMN "qty_sum" bigint`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "chain_anchors" DROP COLUMN "qty_sum"`);
  }
}
