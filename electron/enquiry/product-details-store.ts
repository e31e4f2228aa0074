import type Database from 'better-sqlite3';
import type { ProductDetails, ProductStockLine } from '../../shared/enquiry';
import { perDatabase } from './per-database';
import type { ProductDetailsRecords } from './product-details';

/** A product's own columns as the details panel shows them. */
export type ProductHead = Pick<ProductDetails, 'productId' | 'sku' | 'name' | 'unit' | 'scale' | 'stockType' | 'tracking' | 'lowStockLevel'>;

/** Average cost inputs: Σ cost × positive stock, Σ positive stock and any cost recorded (nulls: none). */
export interface ProductCostSums {
  weighted: number | null;
  qty: number | null;
  anyCost: number | null;
}

/**
 * The SQL of the product details panel (product-details.ts holds its rules): the product, its barcodes, its stock by
 * real site/bin/batch, its cost, and its movements in effective order. Statements are prepared once per connection.
 */
export class ProductDetailsStore implements ProductDetailsRecords {
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      product: db.prepare(
        `SELECT id AS productId, sku, name, unit, scale, stock_type AS stockType, tracking, low_stock_level AS lowStockLevel
       FROM products WHERE id = ?`,
      ),
      barcodes: db.prepare('SELECT barcode FROM product_barcodes WHERE product_id = ? ORDER BY barcode').pluck(),
      lines: db.prepare(
        `SELECT l.site_id AS siteId, s.code AS siteCode, s.name AS siteName, l.bin_id AS binId, b.code AS binCode,
              l.batch_id AS batchId, bt.code AS batchCode, bt.expiry, l.qty
       FROM stock_levels l JOIN sites s ON s.id = l.site_id AND s.kind != 'external'
       LEFT JOIN bins b ON b.id = l.bin_id LEFT JOIN batches bt ON bt.id = l.batch_id
       WHERE l.product_id = ? AND l.qty != 0 ORDER BY s.code, b.code, bt.expiry, bt.code`,
      ),
      cost: db.prepare(
        `SELECT SUM(c.average_cost * MAX(l.qty, 0)) AS weighted, SUM(MAX(l.qty, 0)) AS qty, MAX(c.average_cost) AS anyCost
       FROM cost_state c LEFT JOIN (SELECT site_id, SUM(qty) AS qty FROM stock_levels WHERE product_id = @p GROUP BY site_id) l ON l.site_id = c.site_id
       WHERE c.product_id = @p`,
      ),
      moves: db
        .prepare(
          `SELECT m.occurred_at AS at, m.qty, m.type FROM movements m INDEXED BY IDX_movements_product_occurred
       JOIN sites s ON s.id = m.site_id AND s.kind != 'external' WHERE m.product_id = ? ORDER BY m.occurred_at, m.seq`,
        )
        .raw(),
    };
  }

  /** The store of a connection (made once). */
  static readonly of = perDatabase((db) => new ProductDetailsStore(db));

  /** The product (undefined: no such product). */
  product(productId: number): ProductHead | undefined {
    return this.stmt.product.get(productId) as ProductHead | undefined;
  }

  /** Its barcodes, sorted. */
  barcodes(productId: number): string[] {
    return this.stmt.barcodes.all(productId) as string[];
  }

  /** Its non-zero stock lines at real sites, by site, bin, expiry and batch. */
  stockLines(productId: number): ProductStockLine[] {
    return this.stmt.lines.all(productId) as ProductStockLine[];
  }

  /** What its average cost over its sites is computed from. */
  costSums(productId: number): ProductCostSums {
    return this.stmt.cost.get({ p: productId }) as ProductCostSums;
  }

  /** Its movements at real sites in effective order (occurred_at, seq): [at, qty, type] each. */
  movements(productId: number): [number, number, string][] {
    return this.stmt.moves.all(productId) as [number, number, string][];
  }
}
