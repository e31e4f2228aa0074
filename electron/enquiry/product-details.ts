import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import type { ProductDetails, ProductStockLine, StockPoint } from '../../shared/enquiry';

const MAX_POINTS = 600;

/** Stock by site/bin/batch, cost, and the stock level over time (real sites only) for one product. */
export function productDetails(db: Database.Database, productId: number): ProductDetails {
  const p = db
    .prepare(
      `SELECT id AS productId, sku, name, unit, scale, stock_type AS stockType, tracking, low_stock_level AS lowStockLevel
       FROM products WHERE id = ?`,
    )
    .get(productId) as Omit<ProductDetails, 'barcodes' | 'onHand' | 'averageCost' | 'lines' | 'history' | 'movementCount'> | undefined;
  if (!p) throw new AppError('NOT_FOUND', 'That product does not exist (it may have been removed). Pick a product from the list.');
  const barcodes = db.prepare('SELECT barcode FROM product_barcodes WHERE product_id = ? ORDER BY barcode').pluck().all(productId) as string[];
  const lines = db
    .prepare(
      `SELECT l.site_id AS siteId, s.code AS siteCode, s.name AS siteName, l.bin_id AS binId, b.code AS binCode,
              l.batch_id AS batchId, bt.code AS batchCode, bt.expiry, l.qty
       FROM stock_levels l JOIN sites s ON s.id = l.site_id AND s.kind != 'external'
       LEFT JOIN bins b ON b.id = l.bin_id LEFT JOIN batches bt ON bt.id = l.batch_id
       WHERE l.product_id = ? AND l.qty != 0 ORDER BY s.code, b.code, bt.expiry, bt.code`,
    )
    .all(productId) as ProductStockLine[];
  const onHand = lines.reduce((n, l) => n + l.qty, 0);
  const cost = db
    .prepare(
      `SELECT SUM(c.average_cost * MAX(l.qty, 0)) AS weighted, SUM(MAX(l.qty, 0)) AS qty, MAX(c.average_cost) AS anyCost
       FROM cost_state c LEFT JOIN (SELECT site_id, SUM(qty) AS qty FROM stock_levels WHERE product_id = @p GROUP BY site_id) l ON l.site_id = c.site_id
       WHERE c.product_id = @p`,
    )
    .get({ p: productId }) as { weighted: number | null; qty: number | null; anyCost: number | null };
  const averageCost = cost.qty ? Math.round(cost.weighted! / cost.qty) : cost.anyCost;
  const moves = db
    .prepare(
      `SELECT m.occurred_at AS at, m.qty, m.type FROM movements m INDEXED BY IDX_movements_product_occurred
       JOIN sites s ON s.id = m.site_id AND s.kind != 'external' WHERE m.product_id = ? ORDER BY m.occurred_at, m.seq`,
    )
    .raw()
    .all(productId) as [number, number, string][];
  let balance = 0;
  const all: StockPoint[] = moves.map(([at, qty, type]) => ({ at, qty, type, balance: (balance += qty) }));
  return { ...p, barcodes, onHand, averageCost, lines, history: sample(all), movementCount: all.length };
}

/** Keeps the first and last points and, per bucket, the lowest and highest balance, so peaks and stock-outs survive. */
function sample(points: StockPoint[]): StockPoint[] {
  if (points.length <= MAX_POINTS) return points;
  const buckets = MAX_POINTS / 2;
  const size = points.length / buckets;
  const out: StockPoint[] = [];
  for (let b = 0; b < buckets; b++) {
    const slice = points.slice(Math.floor(b * size), Math.floor((b + 1) * size));
    if (slice.length === 0) continue;
    let lo = slice[0]!;
    let hi = slice[0]!;
    for (const x of slice) {
      if (x.balance < lo.balance) lo = x;
      if (x.balance > hi.balance) hi = x;
    }
    out.push(...(lo.at <= hi.at ? [lo, hi] : [hi, lo]));
  }
  out[0] = points[0]!;
  out[out.length - 1] = points[points.length - 1]!;
  return out;
}
