import type { StockBalanceRow } from '../../../shared/enquiry';
import type { PgReader } from '../../ledger/pg/store/pg-read-snapshot';
import type { OpeningStock, StockBalanceFacts, StockBalanceRecords } from '../stock-balance';
import type { PeriodMoved, PeriodQuery } from '../stock-balance-store';
import { PgStockStore } from './pg-stock-store';

type ProductFacts = Pick<StockBalanceRow, 'sku' | 'name' | 'unit' | 'scale'>;

/**
 * The SQL of the stock balance report on PostgreSQL (stock-balance.ts holds its rules, for both stores; its opening
 * stock is PgStockStore.stockAt's): the period's movements per product and real site (the planner walks the
 * product or occurred index of pg migration 0004), and the names and average cost of the report's lines, read at once.
 */
export class PgStockBalanceStore implements StockBalanceRecords {
  constructor(private readonly db: PgReader) {}

  /** Per product and real site, the stock at the instant before `from` (PgStockStore.stockAt, summed from the movements). */
  async opening(q: PeriodQuery): Promise<OpeningStock[]> {
    return (await new PgStockStore(this.db).stockAt(q.from - 1, { productId: q.productId, siteId: q.siteId, level: 'site' })).rows;
  }

  /** Per product and real site, the movements effective in [from, to] (narrowed to the product and site asked). */
  async periodMoved(q: PeriodQuery): Promise<PeriodMoved[]> {
    const values: unknown[] = [q.from, q.to];
    const where = ['m.occurred_at BETWEEN $1 AND $2'];
    if (q.productId !== undefined) where.push(`m.product_id = $${values.push(q.productId)}`);
    if (q.siteId !== undefined) where.push(`m.site_id = $${values.push(q.siteId)}`);
    const r = await this.db.query<PeriodMoved>(
      `SELECT m.product_id AS "productId", m.site_id AS "siteId", SUM(CASE WHEN m.qty > 0 THEN m.qty ELSE 0 END) AS "qtyIn",
              SUM(CASE WHEN m.qty < 0 THEN -m.qty ELSE 0 END) AS "qtyOut", COUNT(*) AS n
       FROM movements m JOIN sites s ON s.id = m.site_id AND s.kind <> 'external' WHERE ${where.join(' AND ')} GROUP BY m.product_id, m.site_id`,
      values,
    );
    return r.rows;
  }

  /** The names and average costs of the lines keyed by (product, site) in `pairs`, as the report's rules ask them. */
  async facts(pairs: readonly { productId: number; siteId: number }[]): Promise<StockBalanceFacts> {
    const productIds = [...new Set(pairs.map((x) => x.productId))];
    const siteIds = [...new Set(pairs.map((x) => x.siteId))];
    const products = await this.db.query<ProductFacts & { id: number }>('SELECT id, sku, name, unit, scale FROM products WHERE id = ANY($1::int[])', [productIds]);
    const sites = await this.db.query<{ id: number; code: string }>('SELECT id, code FROM sites WHERE id = ANY($1::int[])', [siteIds]);
    const costs = await this.db.query<{ p: number; s: number; c: number }>(
      'SELECT product_id AS p, site_id AS s, average_cost AS c FROM cost_state WHERE product_id = ANY($1::int[]) AND site_id = ANY($2::int[])',
      [productIds, siteIds],
    );
    const product = new Map(products.rows.map(({ id, ...p }) => [id, p]));
    const site = new Map(sites.rows.map((x) => [x.id, x.code]));
    const cost = new Map(costs.rows.map((x) => [`${x.p}:${x.s}`, x.c]));
    return {
      product: (id) => product.get(id)!,
      siteCode: (id) => site.get(id)!,
      averageCost: (p, s) => cost.get(`${p}:${s}`) ?? null,
    };
  }
}
