import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import type { ProductDetails, ProductStockLine, StockPoint } from '../../shared/enquiry';
import { ProductDetailsStore, type ProductCostSums, type ProductHead } from './product-details-store';

const MAX_POINTS = 600;

/** Stock by site/bin/batch, cost, and the stock level over time (real sites only) for one product. */
export function productDetails(db: Database.Database, productId: number): ProductDetails {
  const store = ProductDetailsStore.of(db);
  const p = existingProduct(store.product(productId));
  return productDetailsOf(p, store.barcodes(productId), store.stockLines(productId), store.costSums(productId), store.movements(productId));
}

/** The product asked for, or the refusal both stores give when there is no such product. */
export function existingProduct(p: ProductHead | undefined): ProductHead {
  if (!p) throw new AppError('NOT_FOUND', 'That product does not exist (it may have been removed). Pick a product from the list.');
  return p;
}

/**
 * The details panel from what a store read (both stores: SQLite above, PostgreSQL in enquiry.pg-ops.ts): the product,
 * its barcodes, its stock lines, its cost sums and its movements at real sites in effective order ([at, qty, type]).
 */
export function productDetailsOf(p: ProductHead, barcodes: string[], lines: ProductStockLine[], cost: ProductCostSums, moves: readonly [number, number, string][]): ProductDetails {
  const onHand = lines.reduce((n, l) => n + l.qty, 0);
  const averageCost = cost.qty ? Math.round(cost.weighted! / cost.qty) : cost.anyCost;
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
