import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import type { ProductDetails, StockPoint } from '../../shared/enquiry';
import { ProductDetailsStore } from './product-details-store';

const MAX_POINTS = 600;

/** Stock by site/bin/batch, cost, and the stock level over time (real sites only) for one product. */
export function productDetails(db: Database.Database, productId: number): ProductDetails {
  const store = ProductDetailsStore.of(db);
  const p = store.product(productId);
  if (!p) throw new AppError('NOT_FOUND', 'That product does not exist (it may have been removed). Pick a product from the list.');
  const barcodes = store.barcodes(productId);
  const lines = store.stockLines(productId);
  const onHand = lines.reduce((n, l) => n + l.qty, 0);
  const cost = store.costSums(productId);
  const averageCost = cost.qty ? Math.round(cost.weighted! / cost.qty) : cost.anyCost;
  const moves = store.movements(productId);
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
