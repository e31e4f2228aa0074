import type { DashboardData } from '../../../shared/enquiry';
import type { PgReader } from '../../ledger/pg/store/pg-read-snapshot';
import type { DashboardRecords, DashboardSpan } from '../dashboard';
import { VALUE_OUT_TYPES_SQL, type DayNetValue, type DayTypeCount } from '../dashboard-store';

/** A movement's local day number (days since 1970-01-01) in the business time zone `$1`, by PostgreSQL's zone rules. */
const LOCAL_DAY = `(((TIMESTAMPTZ 'epoch' + m.occurred_at * INTERVAL '1 millisecond') AT TIME ZONE $1)::date - DATE '1970-01-01')`;
/** 10^scale of product `p`, as a double (exact for the scales allowed, 0–6). */
const POW10 = '(10::float8 ^ p.scale)';

/**
 * The SQL of the dashboard on PostgreSQL (dashboard.ts holds its rules, for both stores). SQLite keeps derived daily
 * totals folded in by seq; here each chart is summed from the movements of its days, found by the (occurred_at, seq)
 * index over the span's instants (from the first day's start to the last day's end), grouped by local day with AT TIME ZONE. Nothing derived is kept that another
 * server's posting could leave stale. Money is summed as SQLite sums it (doubles per product, rounded half away from
 * zero), so both stores draw the same charts.
 */
export class PgDashboardStore implements DashboardRecords {
  constructor(private readonly db: PgReader) {}

  /** Movements per local day and type over the span's days. */
  async dayTypeCounts(d: DashboardSpan): Promise<DayTypeCount[]> {
    const r = await this.db.query<DayTypeCount>(
      `SELECT ${LOCAL_DAY} AS day, m.type, COUNT(*)::int AS n FROM movements m JOIN sites s ON s.id = m.site_id AND s.kind <> 'external'
       WHERE m.occurred_at BETWEEN $2 AND $3 GROUP BY 1, 2`,
      [d.zone, d.from, d.to],
    );
    return r.rows;
  }

  /** Net value moved per local day from `firstDay` on (Σ qty × unit cost per product, in money units; not rounded). */
  async netValueByDay(d: DashboardSpan): Promise<DayNetValue[]> {
    const r = await this.db.query<DayNetValue>(
      `SELECT d.day, SUM(d.raw_net::float8 / ${POW10}) AS v FROM (
         SELECT ${LOCAL_DAY} AS day, m.product_id, SUM(m.qty * m.unit_cost) AS raw_net
         FROM movements m JOIN sites s ON s.id = m.site_id AND s.kind <> 'external' WHERE m.occurred_at >= $2 GROUP BY 1, 2) d
       JOIN products p ON p.id = d.product_id GROUP BY d.day`,
      [d.zone, d.from],
    );
    return r.rows;
  }

  /** Today's stock value at average cost over the real sites (not rounded). */
  async currentValue(): Promise<number> {
    const r = await this.db.query<{ v: number }>(
      `SELECT COALESCE(SUM((l.qty * c.average_cost)::float8 / ${POW10}), 0) AS v
       FROM (SELECT product_id, site_id, SUM(qty) AS qty FROM stock_levels GROUP BY product_id, site_id) l
       JOIN products p ON p.id = l.product_id JOIN cost_state c ON c.product_id = l.product_id AND c.site_id = l.site_id
       JOIN sites s ON s.id = l.site_id AND s.kind <> 'external' WHERE l.qty <> 0`,
    );
    return r.rows[0]!.v;
  }

  /** The `topN` products with the most value out (VALUE_OUT_TYPES_SQL) over the span's days (rounded as SQLite's ROUND). */
  async topMovers(d: DashboardSpan, topN: number): Promise<DashboardData['topMovers']> {
    const r = await this.db.query<DashboardData['topMovers'][number]>(
      `SELECT t.product_id AS "productId", p.sku, p.name, p.unit, p.scale, t.n AS movements, t.qty_out AS "qtyOut",
              round(t.raw_out / (10::numeric ^ p.scale)) AS "valueOut"
       FROM (SELECT m.product_id, COUNT(*) AS n, SUM(CASE WHEN ${VALUE_OUT_TYPES_SQL} THEN -m.qty ELSE 0 END) AS qty_out,
                    SUM(CASE WHEN ${VALUE_OUT_TYPES_SQL} THEN -m.qty * m.unit_cost ELSE 0 END) AS raw_out
             FROM movements m JOIN sites s ON s.id = m.site_id AND s.kind <> 'external'
             WHERE m.occurred_at BETWEEN $1 AND $2 GROUP BY m.product_id) t
       JOIN products p ON p.id = t.product_id ORDER BY 8 DESC, t.n DESC, lower(p.sku COLLATE "C") LIMIT $3`,
      [d.from, d.to, topN],
    );
    return r.rows;
  }
}
