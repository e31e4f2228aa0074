import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The movement enquiry's indexes on PostgreSQL (issue 17, step two): PostgreSQL's own, not SQLite's hints translated.
 * PostgreSQL's cost-based planner chooses among them from its statistics, so each is a btree the planner can walk in the
 * enquiry's order (occurred_at, seq) for one value of a driver column, and stop when the page is full:
 * - occurred: the time walk (no driver, or a dense one checked row by row);
 * - product, product+type, batch, user, type, site: one value of the driver, newest or oldest first;
 * - recorded: the "recorded between" filter;
 * - product+site with qty: the balance-on-date column sums a product/site's movements after a row from the index alone.
 * The search box's products are found by reading the products table (SKU prefix, name or name word prefix: a few thousand
 * rows, no index helps a word prefix); batches, which run to hundreds of thousands, by a code prefix on an index in the
 * "C" collation (so LIKE 'x%' is a range scan), lower-cased as SQLite's LIKE folds ASCII case.
 */
export class PgEnquiryIndexes1764700000400 implements MigrationInterface {
  name = 'PgEnquiryIndexes1764700000400';

  async up(q: QueryRunner): Promise<void> {
    const movements: [string, string][] = [
      ['IDX_movements_occurred', '"occurred_at", "seq"'],
      ['IDX_movements_product_occurred', '"product_id", "occurred_at", "seq"'],
      ['IDX_movements_product_type_occurred', '"product_id", "type", "occurred_at", "seq"'],
      ['IDX_movements_batch_occurred', '"batch_id", "occurred_at", "seq"'],
      ['IDX_movements_user_occurred', '"user_id", "occurred_at", "seq"'],
      ['IDX_movements_type_occurred', '"type", "occurred_at", "seq"'],
      ['IDX_movements_site_occurred', '"site_id", "occurred_at", "seq"'],
      ['IDX_movements_recorded', '"recorded_at", "seq"'],
    ];
    for (const [name, columns] of movements) await q.query(`CREATE INDEX "${name}" ON "movements" (${columns})`);
    await q.query(`CREATE INDEX "IDX_movements_product_site_occurred" ON "movements" ("product_id", "site_id", "occurred_at", "seq") INCLUDE ("qty")`);
    await q.query(`CREATE INDEX "IDX_batches_code_prefix" ON "batches" (lower("code" COLLATE "C"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const name of ['IDX_batches_code_prefix', 'IDX_movements_product_site_occurred', 'IDX_movements_recorded', 'IDX_movements_site_occurred', 'IDX_movements_type_occurred', 'IDX_movements_user_occurred', 'IDX_movements_batch_occurred', 'IDX_movements_product_type_occurred', 'IDX_movements_product_occurred', 'IDX_movements_occurred']) {
      await q.query(`DROP INDEX "${name}"`);
    }
  }
}
