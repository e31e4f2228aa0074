import type Database from 'better-sqlite3';
import type { DashboardData } from '../../shared/enquiry';
import { MOVEMENT_TYPES } from '../../shared/movement-types';
import { registerBusinessDay } from '../company/business-day-sql';
import type { DashboardRecords, DashboardSpan } from './dashboard';
import { inList } from './movement-filter';

/** 10^scale for the product scales we allow (0–6), in SQL. */
const POW10 = `CASE p.scale WHEN 0 THEN 1 WHEN 1 THEN 10 WHEN 2 THEN 100 WHEN 3 THEN 1000 WHEN 4 THEN 10000 WHEN 5 THEN 100000 ELSE 1000000 END`;

/**
 * "Value out" of the top movers, on both stores: what left to customers, the outbound family's movements (sales and
 * despatches, less the refunds and credit notes that return stock), as SQL over movement `m`. A receipt's reversal
 * (supplier credit, PO return), a transfer, a write-off or a count is no outflow to a customer and counts nothing.
 */
export const VALUE_OUT_TYPES_SQL = `m.type IN (${MOVEMENT_TYPES.filter((t) => t.family === 'outbound').map((t) => `'${t.code}'`).join(', ')})`;

/** Movements of one local day and type. */
export interface DayTypeCount {
  day: number;
  type: string;
  n: number;
}

/** Net value moved on one local day (Σ qty × unit cost, in money units). */
export interface DayNetValue {
  day: number;
  v: number;
}

interface FoldStatements {
  byType: Database.Statement;
  byProduct: Database.Statement;
}

/**
 * The SQL of the dashboard (dashboard.ts holds its rules): the derived daily totals (dashboard_day_type,
 * dashboard_day_product, dashboard_state), folded from the movements by seq and read for the charts. Statements are
 * prepared once; those that leave the external pseudo-sites out by id, once per list of them. No method opens a
 * transaction: the caller's runs around them.
 */
export class DashboardStore implements DashboardRecords {
  private readonly stmt;
  private readonly folds = new Map<string, FoldStatements>();
  private readonly values = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {
    registerBusinessDay(db);
    this.stmt = {
      state: db.prepare('SELECT through_seq FROM dashboard_state WHERE id = 1').pluck(),
      head: db.prepare('SELECT COALESCE(MAX(seq), 0) FROM movements').pluck(),
      external: db.prepare("SELECT id FROM sites WHERE kind = 'external'").pluck(),
      mark: db.prepare('INSERT INTO dashboard_state (id, through_seq) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET through_seq = excluded.through_seq'),
      perType: db.prepare('SELECT day, type, n FROM dashboard_day_type WHERE day BETWEEN ? AND ?'),
      net: db.prepare(`SELECT d.day, SUM(d.raw_net * 1.0 / ${POW10}) AS v FROM dashboard_day_product d JOIN products p ON p.id = d.product_id WHERE d.day >= ? GROUP BY d.day`),
      movers: db.prepare(
        `SELECT t.product_id AS productId, p.sku, p.name, p.unit, p.scale, t.n AS movements, t.qty_out AS qtyOut, ROUND(t.raw_out * 1.0 / ${POW10}) AS valueOut
         FROM (SELECT product_id, SUM(n) AS n, SUM(qty_out) AS qty_out, SUM(raw_out) AS raw_out FROM dashboard_day_product
               WHERE day BETWEEN ? AND ? GROUP BY product_id) t
         JOIN products p ON p.id = t.product_id ORDER BY valueOut DESC, movements DESC, p.sku COLLATE NOCASE LIMIT ?`,
      ),
    };
  }

  /** The last seq the daily totals account for (0: none yet). */
  throughSeq(): number {
    return (this.stmt.state.get() as number | undefined) ?? 0;
  }

  /** The ledger's last seq (0: no movement). */
  headSeq(): number {
    return this.stmt.head.get() as number;
  }

  /** The ids of the external pseudo-sites (left out of every total). */
  externalSiteIds(): number[] {
    return this.stmt.external.all() as number[];
  }

  /** Forgets the derived totals and how far they went. */
  clear(): void {
    this.db.exec('DELETE FROM dashboard_day_type; DELETE FROM dashboard_day_product; DELETE FROM dashboard_state;');
  }

  /**
   * Folds the movements with seq in (a, b] at real sites (not in `external`) into the daily totals by local day in
   * `zone`, and records that they account for every movement up to b.
   */
  fold(a: number, b: number, zone: string, external: readonly number[]): void {
    const s = this.foldStatements(external);
    s.byType.run({ a, b, zone });
    s.byProduct.run({ a, b, zone });
    this.stmt.mark.run(b);
  }

  /** Movements per day and type over the span's days [firstDay, lastDay]. */
  dayTypeCounts(d: DashboardSpan): DayTypeCount[] {
    return this.stmt.perType.all(d.firstDay, d.lastDay) as DayTypeCount[];
  }

  /** Net value moved per day from the span's first day on. */
  netValueByDay(d: DashboardSpan): DayNetValue[] {
    return this.stmt.net.all(d.firstDay) as DayNetValue[];
  }

  /** Today's stock value at average cost, over the real sites (not the external pseudo-sites; not rounded). */
  currentValue(): number {
    const external = this.externalSiteIds();
    const key = inList(external);
    let s = this.values.get(key);
    if (!s) {
      s = this.db
        .prepare(
          `SELECT COALESCE(SUM(l.qty * c.average_cost * 1.0 / ${POW10}), 0)
           FROM (SELECT product_id, site_id, SUM(qty) AS qty FROM stock_levels GROUP BY product_id, site_id) l
           JOIN products p ON p.id = l.product_id JOIN cost_state c ON c.product_id = l.product_id AND c.site_id = l.site_id
           WHERE l.qty != 0 ${external.length ? `AND l.site_id NOT IN (${inList(external)})` : ''}`,
        )
        .pluck();
      this.values.set(key, s);
    }
    return s.get() as number;
  }

  /** The `topN` products with the most value out over the span's days [firstDay, lastDay]. */
  topMovers(d: DashboardSpan, topN: number): DashboardData['topMovers'] {
    return this.stmt.movers.all(d.firstDay, d.lastDay, topN) as DashboardData['topMovers'];
  }

  private foldStatements(external: readonly number[]): FoldStatements {
    const key = inList(external);
    let s = this.folds.get(key);
    if (s) return s;
    const real = external.length ? `AND m.site_id NOT IN (${inList(external)})` : '';
    s = {
      byType: this.db.prepare(
        `INSERT INTO dashboard_day_type (day, type, n)
       SELECT business_day(m.occurred_at, @zone), m.type, COUNT(*) FROM movements m WHERE m.seq > @a AND m.seq <= @b ${real} GROUP BY 1, 2
       ON CONFLICT (day, type) DO UPDATE SET n = n + excluded.n`,
      ),
      byProduct: this.db.prepare(
        `INSERT INTO dashboard_day_product (day, product_id, n, qty_out, raw_out, raw_net)
       SELECT business_day(m.occurred_at, @zone), m.product_id, COUNT(*), SUM(CASE WHEN ${VALUE_OUT_TYPES_SQL} THEN -m.qty ELSE 0 END),
              SUM(CASE WHEN ${VALUE_OUT_TYPES_SQL} THEN -m.qty * m.unit_cost ELSE 0 END), SUM(m.qty * m.unit_cost)
       FROM movements m WHERE m.seq > @a AND m.seq <= @b ${real} GROUP BY 1, 2
       ON CONFLICT (day, product_id) DO UPDATE SET n = n + excluded.n, qty_out = qty_out + excluded.qty_out,
         raw_out = raw_out + excluded.raw_out, raw_net = raw_net + excluded.raw_net`,
      ),
    };
    this.folds.set(key, s);
    return s;
  }
}
