import type Database from 'better-sqlite3';
import type { StockBalanceRow } from '../../shared/enquiry';
import type { OpeningStock, StockBalanceFacts, StockBalanceRecords } from './stock-balance';
import type { StockSnapshots } from './stock-snapshots';

/** A period's movements of one product at one real site: quantity in, quantity out and their count. */
export interface PeriodMoved {
  productId: number;
  siteId: number;
  qtyIn: number;
  qtyOut: number;
  n: number;
}

/** What the period's movements are narrowed to: effective times [from, to], and a product and/or a site. */
export interface PeriodQuery {
  from: number;
  to: number;
  productId?: number | undefined;
  siteId?: number | undefined;
}

/**
 * The SQL of the stock balance report (stock-balance.ts holds its rules; its opening stock comes from `snapshots`):
 * the period's movements per product and real site, and the names and average cost of its lines. Statements are
 * prepared once per store; the period's, once per shape (product, site) the first time it is asked.
 */
export class StockBalanceStore implements StockBalanceRecords, StockBalanceFacts {
  private readonly stmt;
  private readonly moved = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly snapshots: StockSnapshots,
  ) {
    this.stmt = {
      info: db.prepare('SELECT sku, name, unit, scale FROM products WHERE id = ?'),
      site: db.prepare('SELECT code FROM sites WHERE id = ?').pluck(),
      cost: db.prepare('SELECT average_cost FROM cost_state WHERE product_id = ? AND site_id = ?').pluck(),
    };
  }

  /** Per product and real site, the stock at the instant before `from` (the daily snapshots and the movements since). */
  opening(q: PeriodQuery): OpeningStock[] {
    return this.snapshots.stockAt(q.from - 1, { productId: q.productId, siteId: q.siteId, level: 'site' }).rows;
  }

  /** Per product and real site, the movements effective in [from, to] (narrowed to the product and site asked). */
  periodMoved(q: PeriodQuery): PeriodMoved[] {
    const params: Record<string, number> = { from: q.from, to: q.to };
    if (q.productId !== undefined) params.productId = q.productId;
    if (q.siteId !== undefined) params.siteId = q.siteId;
    return this.movedStatement(q.productId !== undefined, q.siteId !== undefined).all(params) as PeriodMoved[];
  }

  /** The lines' names and costs: read one at a time as the rules ask them (primary-key look-ups). */
  facts(): StockBalanceFacts {
    return this;
  }

  /** A product's sku, name, unit and scale. */
  product(productId: number): Pick<StockBalanceRow, 'sku' | 'name' | 'unit' | 'scale'> {
    return this.stmt.info.get(productId) as Pick<StockBalanceRow, 'sku' | 'name' | 'unit' | 'scale'>;
  }

  /** A site's code. */
  siteCode(siteId: number): string {
    return this.stmt.site.get(siteId) as string;
  }

  /** A product's average cost at a site (null: none recorded). */
  averageCost(productId: number, siteId: number): number | null {
    return (this.stmt.cost.get(productId, siteId) as number | undefined) ?? null;
  }

  private movedStatement(byProduct: boolean, bySite: boolean): Database.Statement {
    const key = `${+byProduct}${+bySite}`;
    let s = this.moved.get(key);
    if (s) return s;
    const where = ['m.occurred_at BETWEEN @from AND @to', "s.kind != 'external'"];
    if (byProduct) where.push('m.product_id = @productId');
    if (bySite) where.push('m.site_id = @siteId');
    const index = byProduct ? 'IDX_movements_product_occurred' : 'IDX_movements_occurred';
    s = this.db.prepare(
      `SELECT m.product_id AS productId, m.site_id AS siteId, SUM(CASE WHEN m.qty > 0 THEN m.qty ELSE 0 END) AS qtyIn,
              SUM(CASE WHEN m.qty < 0 THEN -m.qty ELSE 0 END) AS qtyOut, COUNT(*) AS n
       FROM movements m INDEXED BY ${index} JOIN sites s ON s.id = m.site_id WHERE ${where.join(' AND ')} GROUP BY m.product_id, m.site_id`,
    );
    this.moved.set(key, s);
    return s;
  }
}
