import type { ProductStockLine } from '../../../shared/enquiry';
import type { PgReader } from '../../ledger/pg/store/pg-read-snapshot';
import type { ProductDetailsRecords } from '../product-details';
import type { ProductCostSums, ProductHead } from '../product-details-store';

/**
 * The SQL of the product details panel on PostgreSQL (product-details.ts holds its rules, for both stores), ordered
 * as SQLite orders it: codes bytewise ("C" collation), a missing bin, expiry or batch first.
 */
export class PgProductDetailsStore implements ProductDetailsRecords {
  constructor(private readonly db: PgReader) {}

  /** The product (undefined: no such product). */
  async product(productId: number): Promise<ProductHead | undefined> {
    const r = await this.db.query<ProductHead>(
      `SELECT id AS "productId", sku, name, unit, scale, stock_type AS "stockType", tracking, low_stock_level AS "lowStockLevel"
       FROM products WHERE id = $1`,
      [productId],
    );
    return r.rows[0];
  }

  /** Its barcodes, sorted bytewise. */
  async barcodes(productId: number): Promise<string[]> {
    return (await this.db.query<{ barcode: string }>('SELECT barcode FROM product_barcodes WHERE product_id = $1 ORDER BY barcode COLLATE "C"', [productId])).rows.map((x) => x.barcode);
  }

  /** Its non-zero stock lines at real sites, by site, bin, expiry and batch. */
  async stockLines(productId: number): Promise<ProductStockLine[]> {
    const r = await this.db.query<ProductStockLine>(
      `SELECT l.site_id AS "siteId", s.code AS "siteCode", s.name AS "siteName", l.bin_id AS "binId", b.code AS "binCode",
              l.batch_id AS "batchId", bt.code AS "batchCode", bt.expiry, l.qty
       FROM stock_levels l JOIN sites s ON s.id = l.site_id AND s.kind <> 'external'
       LEFT JOIN bins b ON b.id = l.bin_id LEFT JOIN batches bt ON bt.id = l.batch_id
       WHERE l.product_id = $1 AND l.qty <> 0
       ORDER BY s.code COLLATE "C", b.code COLLATE "C" NULLS FIRST, bt.expiry COLLATE "C" NULLS FIRST, bt.code COLLATE "C" NULLS FIRST`,
      [productId],
    );
    return r.rows;
  }

  /** What its average cost over its sites is computed from (a site with no stock line adds nothing, as on SQLite). */
  async costSums(productId: number): Promise<ProductCostSums> {
    const r = await this.db.query<ProductCostSums>(
      `SELECT SUM(c.average_cost * CASE WHEN l.qty < 0 THEN 0 ELSE l.qty END) AS weighted, SUM(CASE WHEN l.qty < 0 THEN 0 ELSE l.qty END) AS qty,
              MAX(c.average_cost) AS "anyCost"
       FROM cost_state c LEFT JOIN (SELECT site_id, SUM(qty) AS qty FROM stock_levels WHERE product_id = $1 GROUP BY site_id) l ON l.site_id = c.site_id
       WHERE c.product_id = $1`,
      [productId],
    );
    return r.rows[0]!;
  }

  /** Its movements at real sites in effective order (occurred_at, seq): [at, qty, type] each. */
  async movements(productId: number): Promise<[number, number, string][]> {
    const r = await this.db.query<[number, number, string]>({
      text: `SELECT m.occurred_at, m.qty, m.type FROM movements m JOIN sites s ON s.id = m.site_id AND s.kind <> 'external'
             WHERE m.product_id = $1 ORDER BY m.occurred_at, m.seq`,
      values: [productId],
      rowMode: 'array',
    });
    return r.rows;
  }
}
