import { AppError } from '../../shared/contract/errors';
import type { ProductDetails, ProductStockLine, StockPoint } from '../../shared/enquiry';
import { value, type Awaitable, type Steps } from '../ledger/steps';
import type { ProductCostSums, ProductHead } from './product-details-store';

const MAX_POINTS = 600;

/** What the product details panel reads: product-details-store.ts on SQLite, pg-product-details-store.ts on PostgreSQL. */
export interface ProductDetailsRecords {
  /** The product (undefined: no such product). */
  product(productId: number): Awaitable<ProductHead | undefined>;
  /** Its barcodes, sorted (bytewise). */
  barcodes(productId: number): Awaitable<string[]>;
  /** Its non-zero stock lines at real sites, by site, bin, expiry and batch. */
  stockLines(productId: number): Awaitable<ProductStockLine[]>;
  /** What its average cost over its sites is computed from. */
  costSums(productId: number): Awaitable<ProductCostSums>;
  /** Its movements at real sites in effective order (occurred_at, seq): [at, qty, type] each. */
  movements(productId: number): Awaitable<[number, number, string][]>;
}

/**
 * Stock by site/bin/batch, cost, and the stock level over time (real sites only) for one product. The rule written
 * once for both stores (ledger/steps.ts).
 */
export function* productDetails(r: ProductDetailsRecords, productId: number): Steps<ProductDetails> {
  const p = yield* value(r.product(productId));
  if (!p) throw new AppError('NOT_FOUND', 'That product does not exist (it may have been removed). Pick a product from the list.');
  const barcodes = yield* value(r.barcodes(productId));
  const lines = yield* value(r.stockLines(productId));
  const cost = yield* value(r.costSums(productId));
  return productDetailsOf(p, barcodes, lines, cost, yield* value(r.movements(productId)));
}

/**
 * The details panel from what the store read: the product, its barcodes, its stock lines, its cost sums and its
 * movements at real sites in effective order ([at, qty, type]).
 */
function productDetailsOf(p: ProductHead, barcodes: string[], lines: ProductStockLine[], cost: ProductCostSums, moves: readonly [number, number, string][]): ProductDetails {
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
