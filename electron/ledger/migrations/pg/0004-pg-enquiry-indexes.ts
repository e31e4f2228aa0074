import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The movement enquiry's indexes on PostgreSQL (issue 17, step two): PostgreSQL's own, not SQLite's hints translated.
 * PostgreSQL's cost-based planner chooses among them from its statistics, so each is a btree the planner can walk in the
 * enquiry's order (occurred_at, seq) for one value of a driver column, and stop when the page is full:
 * - occurred: the time walk (no driver, or a dense one checked row by row);
 * - product, product+type, batch, user, type, site: one value of the driver, newest or oldest first;
 * - recorded: the "recorded between" filter;
 * - product+site with qty: the balance-on-date column sums a product/site's movements after a row from the index alone.
 * Products are found by SKU or name prefix (text_pattern_ops: LIKE 'x%' under any collation) and by a name word (trigram-free:
 * a word prefix is matched on the lower-cased name's words, see pg-movement-store.ts); batches by code prefix.
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
    await q.query(`CREATE INDEX "IDX_products_sku_prefix" ON "products" ("sku" text_pattern_ops)`);
    await q.query(`CREATE INDEX "IDX_products_name_prefix" ON "products" (lower("name") text_pattern_ops)`);
    await q.query(`CREATE INDEX "IDX_batches_code_prefix" ON "batches" ("code" text_pattern_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const name of ['IDX_batches_code_prefix', 'IDX_products_name_prefix', 'IDX_products_sku_prefix', 'IDX_movements_product_site_occurred', 'IDX_movements_recorded', 'IDX_movements_site_occurred', 'IDX_movements_type_occurred', 'IDX_movements_user_occurred', 'IDX_movements_batch_occurred', 'IDX_movements_product_type_occurred', 'IDX_movements_product_occurred', 'IDX_movements_occurred']) {
      await q.query(`DROP INDEX "${name}"`);
    }
  }
}
