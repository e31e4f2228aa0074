import type Database from 'better-sqlite3';
import type { StockBalanceQuery } from '../../shared/contract/enquiry.schemas';
import type { StockBalanceReport, StockBalanceRow } from '../../shared/enquiry';
import { movementValue } from '../../shared/quantity';
import { StockBalanceStore } from './stock-balance-store';
import type { StockSnapshots } from './stock-snapshots';

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
  const filter = { productId: q.productId, siteId: q.siteId, level: 'site' as const };
  const opening = snapshots.stockAt(q.from - 1, filter).rows;
  const store = StockBalanceStore.of(db);
  const moved = store.periodMoved(q);

  const rows = new Map<string, StockBalanceRow>();
  const row = (productId: number, siteId: number): StockBalanceRow => {
    const k = `${productId}:${siteId}`;
    let r = rows.get(k);
    if (!r) {
      const p = store.product(productId);
      r = { productId, ...p, siteId, siteCode: store.siteCode(siteId), opening: 0, qtyIn: 0, qtyOut: 0, closing: 0, averageCost: null, closingValue: null };
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
    r.averageCost = store.averageCost(r.productId, r.siteId);
    r.closingValue = r.averageCost === null ? null : movementValue(r.closing, r.averageCost, r.scale);
    closingValue += r.closingValue ?? 0;
  }
  const list = [...rows.values()].sort((a, b) => a.sku.localeCompare(b.sku) || a.siteCode.localeCompare(b.siteCode));
  return { from: q.from, to: q.to, rows: list, total: list.length, movements, closingValue };
}
