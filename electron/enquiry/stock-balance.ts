import type { StockBalanceQuery } from '../../shared/contract/enquiry.schemas';
import type { StockAtDateRow, StockBalanceReport, StockBalanceRow } from '../../shared/enquiry';
import { movementValue } from '../../shared/quantity';
import { value, type Awaitable, type Steps } from '../ledger/steps';
import type { PeriodMoved, PeriodQuery } from './stock-balance-store';

/** What the report's lines are named and valued from: a product's sku, name, unit and scale, a site's code, an average cost. */
export interface StockBalanceFacts {
  product(productId: number): Pick<StockBalanceRow, 'sku' | 'name' | 'unit' | 'scale'>;
  siteCode(siteId: number): string;
  averageCost(productId: number, siteId: number): number | null;
}

/** Per product and site, its stock at the instant before a period: the report's opening. */
export type OpeningStock = Pick<StockAtDateRow, 'productId' | 'siteId' | 'qty'>;

/**
 * What the stock balance report reads: stock-balance-store.ts on SQLite (its opening from the daily snapshots),
 * pg/pg-stock-balance-store.ts on PostgreSQL (its opening summed from the movements).
 */
export interface StockBalanceRecords {
  /** Per product and real site, the stock at the instant before `from` (narrowed to the product and site asked). */
  opening(q: PeriodQuery): Awaitable<OpeningStock[]>;
  /** Per product and real site, the movements effective in [from, to] (narrowed to the product and site asked). */
  periodMoved(q: PeriodQuery): Awaitable<PeriodMoved[]>;
  /** The names and average costs of the lines keyed by (product, site) in `pairs`. */
  facts(pairs: readonly Pick<PeriodMoved, 'productId' | 'siteId'>[]): Awaitable<StockBalanceFacts>;
}

/**
 * Stock balance over a period (seed 003 "Stock Balance"): opening = stock at the instant before `from` (ARCHITECTURE
 * §6), in and out = the period's movements, closing = opening + in − out, which equals stock at `to`. Per product and
 * real site; valued at today's average cost. The rule written once for both stores (ledger/steps.ts).
 */
export function* stockBalance(r: StockBalanceRecords, q: PeriodQuery): Steps<StockBalanceReport> {
  const opening = yield* value(r.opening(q));
  const moved = yield* value(r.periodMoved(q));
  return stockBalanceOf(q, opening, moved, yield* value(r.facts([...opening, ...moved])));
}

/**
 * The report from what the store read: the stock per product and site at the instant before `from`, the period's
 * movements per product and real site, and `facts` for the lines' names and cost.
 */
function stockBalanceOf(
  q: Pick<StockBalanceQuery, 'from' | 'to'>,
  opening: readonly Pick<StockAtDateRow, 'productId' | 'siteId' | 'qty'>[],
  moved: readonly PeriodMoved[],
  facts: StockBalanceFacts,
): StockBalanceReport {
  const rows = new Map<string, StockBalanceRow>();
  const row = (productId: number, siteId: number): StockBalanceRow => {
    const k = `${productId}:${siteId}`;
    let r = rows.get(k);
    if (!r) {
      const p = facts.product(productId);
      r = { productId, ...p, siteId, siteCode: facts.siteCode(siteId), opening: 0, qtyIn: 0, qtyOut: 0, closing: 0, averageCost: null, closingValue: null };
      rows.set(k, r);
    }
    return r;
  };
  for (const o of opening) row(o.productId, o.siteId).opening = o.qty;
  let movements = 0;
  for (const m of moved) {
    const r = row(m.productId, m.siteId);
    r.qtyIn = m.qtyIn;
    r.qtyOut = m.qtyOut;
    movements += m.n;
  }
  let closingValue = 0;
  for (const r of rows.values()) {
    r.closing = r.opening + r.qtyIn - r.qtyOut;
    r.averageCost = facts.averageCost(r.productId, r.siteId);
    r.closingValue = r.averageCost === null ? null : movementValue(r.closing, r.averageCost, r.scale);
    closingValue += r.closingValue ?? 0;
  }
  const list = [...rows.values()].sort((a, b) => a.sku.localeCompare(b.sku) || a.siteCode.localeCompare(b.siteCode));
  return { from: q.from, to: q.to, rows: list, total: list.length, movements, closingValue };
}
