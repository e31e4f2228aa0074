import type Database from 'better-sqlite3';
import type { StockBalanceQuery } from '../../shared/contract/enquiry.schemas';
import type { StockAtDateRow, StockBalanceReport, StockBalanceRow } from '../../shared/enquiry';
import { movementValue } from '../../shared/quantity';
import { StockBalanceStore, type PeriodMoved } from './stock-balance-store';
import type { StockSnapshots } from './stock-snapshots';

/** What the report's lines are named and valued from: a product's sku, name, unit and scale, a site's code, an average cost. */
export interface StockBalanceFacts {
  product(productId: number): Pick<StockBalanceRow, 'sku' | 'name' | 'unit' | 'scale'>;
  siteCode(siteId: number): string;
  averageCost(productId: number, siteId: number): number | null;
}

/**
 * Stock balance over a period (seed 003 "Stock Balance"): opening = stock at the instant before `from` (snapshots +
 * movements since, ARCHITECTURE §6), in and out = the period's movements, closing = opening + in − out, which equals
 * stock at `to`. Per product and real site; valued at today's average cost.
 */
export function stockBalance(
  db: Database.Database,
  snapshots: StockSnapshots,
  q: Pick<StockBalanceQuery, 'from' | 'to' | 'productId' | 'siteId'>,
): StockBalanceReport {
  const opening = snapshots.stockAt(q.from - 1, { productId: q.productId, siteId: q.siteId, level: 'site' }).rows;
  const store = StockBalanceStore.of(db);
  return stockBalanceOf(q, opening, store.periodMoved(q), store);
}

/**
 * The report from what a store read (both stores: SQLite above, PostgreSQL in enquiry.pg-ops.ts): the stock per
 * product and site at the instant before `from`, the period's movements per product and real site, and `facts` for
 * the lines' names and cost.
 */
export function stockBalanceOf(
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
