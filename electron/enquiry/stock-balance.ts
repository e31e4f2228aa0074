import type Database from 'better-sqlite3';
import type { StockBalanceQuery } from '../../shared/contract/enquiry.schemas';
import type { StockBalanceReport, StockBalanceRow } from '../../shared/enquiry';
import { movementValue } from '../../shared/quantity';
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
  const where = ['m.occurred_at BETWEEN @from AND @to', "s.kind != 'external'"];
  const params: Record<string, number> = { from: q.from, to: q.to };
  if (q.productId !== undefined) {
    where.push('m.product_id = @productId');
    params.productId = q.productId;
  }
  if (q.siteId !== undefined) {
    where.push('m.site_id = @siteId');
    params.siteId = q.siteId;
  }
  const index = q.productId !== undefined ? 'IDX_movements_product_occurred' : 'IDX_movements_occurred';
  const moved = db
    .prepare(
      `SELECT m.product_id AS productId, m.site_id AS siteId, SUM(CASE WHEN m.qty > 0 THEN m.qty ELSE 0 END) AS qtyIn,
              SUM(CASE WHEN m.qty < 0 THEN -m.qty ELSE 0 END) AS qtyOut, COUNT(*) AS n
       FROM movements m INDEXED BY ${index} JOIN sites s ON s.id = m.site_id WHERE ${where.join(' AND ')} GROUP BY m.product_id, m.site_id`,
    )
    .all(params) as { productId: number; siteId: number; qtyIn: number; qtyOut: number; n: number }[];

  const rows = new Map<string, StockBalanceRow>();
  const info = db.prepare('SELECT sku, name, unit, scale FROM products WHERE id = ?');
  const site = db.prepare('SELECT code FROM sites WHERE id = ?').pluck();
  const cost = db.prepare('SELECT average_cost FROM cost_state WHERE product_id = ? AND site_id = ?').pluck();
  const row = (productId: number, siteId: number): StockBalanceRow => {
    const k = `${productId}:${siteId}`;
    let r = rows.get(k);
    if (!r) {
      const p = info.get(productId) as { sku: string; name: string; unit: string; scale: number };
      r = { productId, ...p, siteId, siteCode: site.get(siteId) as string, opening: 0, qtyIn: 0, qtyOut: 0, closing: 0, averageCost: null, closingValue: null };
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
    r.averageCost = (cost.get(r.productId, r.siteId) as number | undefined) ?? null;
    r.closingValue = r.averageCost === null ? null : movementValue(r.closing, r.averageCost, r.scale);
    closingValue += r.closingValue ?? 0;
  }
  const list = [...rows.values()].sort((a, b) => a.sku.localeCompare(b.sku) || a.siteCode.localeCompare(b.siteCode));
  return { from: q.from, to: q.to, rows: list, total: list.length, movements, closingValue };
}
