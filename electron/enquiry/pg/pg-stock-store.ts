import type { PgReader } from '../../ledger/pg/store/pg-read-snapshot';
import type { CurrentStockPage } from '../../../shared/domain';
import type { StockAtDateResult, StockAtDateRow } from '../../../shared/enquiry';
import { currentStockRowOf, NEVER_HELD_SQL, ON_HAND_SQL, STATUS_SQL, statusWhereSql, type CurrentStockRaw, type Parsed } from '../../ledger/store/stock-queries';
import { escLike } from '../movement-store';
import type { StockAtFilter, StockEnquiryRecords } from '../stock-enquiry';

/** SQLite's sort keys on PostgreSQL: NOCASE is ASCII case folding, lower() in the "C" collation; the rest compare bytewise. */
const SORT_SQL: Record<Parsed['sort'], string> = {
  sku: 'lower(sku COLLATE "C")', // as a user reads: a-1 before Z-9
  name: 'lower(name COLLATE "C")',
  site: 'lower(site_name COLLATE "C")',
  onHand: ON_HAND_SQL.replace(/^unit,/, 'unit COLLATE "C",'),
  lastMovementAt: 'last_at',
};

/** SQLite's order of NULL (a line never moved at its site has no last movement): below every value. */
const NULLS_AS_SQLITE = { ASC: 'NULLS FIRST', DESC: 'NULLS LAST' } as const;

/**
 * Stock at a date and low-stock alerts on PostgreSQL (issue 17, step two): the same answers as SQLite's
 * StockSnapshots.stockAt and StockQueries.current. Each answer is ONE statement, so PostgreSQL reads it from one
 * snapshot of the ledger: a document committed while the sum runs is either wholly in it or wholly out, under any
 * number of servers posting at once. Stock as at `at` is the definition itself, the movements effective at or before
 * it (a backdated movement counts from its effective time, whenever it was recorded), with no derived state a writer
 * on another server could leave stale; SQLite's daily snapshots are its own way to bound that sum.
 */
export class PgStockStore implements StockEnquiryRecords {
  constructor(private readonly pool: PgReader) {}

  /** The ledger's last seq (0: no movement): what a kept report was computed against. */
  async head(): Promise<number> {
    return (await this.pool.query<{ h: number }>('SELECT COALESCE(MAX(seq), 0)::bigint AS h FROM movements')).rows[0]!.h;
  }

  /** What a kept report was computed against: the last movement and the last audit entry (master-data changes), "seq:auditId". */
  async reportState(): Promise<string> {
    return (await this.pool.query<{ h: string }>(
      "SELECT (SELECT COALESCE(MAX(seq), 0) FROM movements) || ':' || (SELECT COALESCE(MAX(id), 0) FROM audit_log) AS h",
    )).rows[0]!.h;
  }

  /**
   * Stock as at `at` (inclusive), zero lines and external pseudo-sites left out, ordered as SQLite's answer (sku, site,
   * bin, batch codes; bytewise, no bin or batch first); `movementsSince` counts the movements summed (no snapshot).
   */
  async stockAt(at: number, f: StockAtFilter): Promise<StockAtDateResult> {
    const { text, values } = stockAtStatement(at, f);
    const r = await this.pool.query<StockAtDateRow & { n: number; productId: number | null }>(text, values);
    const rows = r.rows.filter((x) => x.productId !== null).map(({ n: _n, ...row }) => row as StockAtDateRow);
    return { at, snapshotAt: null, movementsSince: r.rows[0]?.n ?? 0, rows, total: rows.length };
  }

  /** PostgreSQL's plan of a "stock as at" answer (EXPLAIN ANALYZE when `analyze`), for the bench and the report. */
  async explainStockAt(at: number, f: StockAtFilter, analyze = false): Promise<string[]> {
    const { text, values } = stockAtStatement(at, f);
    const r = await this.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${analyze ? '(ANALYZE, BUFFERS) ' : ''}${text}`, values);
    return r.rows.map((x) => x['QUERY PLAN']);
  }

  /**
   * Current stock lines (the current stock view and low-stock alerts), SQLite's StockQueries.current: the page
   * and its totals in one statement (one snapshot), the search box as SQLite's (SKU prefix, name part, ASCII case
   * folded; exact barcode), the page in the same order.
   */
  /** A page of the current stock view (`stock.current`), as StockQueries.current on SQLite: one statement, so the pool reads it whole. */
  current(q: Parsed & { search?: string | undefined; siteId?: number | undefined }): Promise<CurrentStockPage> {
    return this.currentStock(q);
  }

  async currentStock(q: Parsed & { search?: string | undefined; siteId?: number | undefined }): Promise<CurrentStockPage> {
    const values: unknown[] = [q.limit, q.offset];
    const siteParam = q.siteId === undefined ? null : `$${values.push(q.siteId)}`;
    let filters = '';
    const search = q.search?.trim();
    if (search) {
      const e = escLike(search);
      filters += ` AND (lower(p.sku COLLATE "C") LIKE lower($${values.push(`${e}%`)} COLLATE "C") OR lower(p.name COLLATE "C") LIKE lower($${values.push(`%${e}%`)} COLLATE "C")
        OR p.id IN (SELECT product_id FROM product_barcodes WHERE barcode = $${values.push(search)}))`;
    }
    const dir = q.direction === 'desc' ? 'DESC' : 'ASC';
    const r = await this.pool.query<CurrentStockRaw & { total: number; low: number; out: number }>(
      `WITH g AS (
         SELECT p.id AS product_id, p.sku, p.name, p.unit, p.scale, p.stock_type, COALESCE(ps.low_stock_level, p.low_stock_level) AS low_level,
                s.id AS site_id, s.code AS site_code, s.name AS site_name, SUM(l.qty)::bigint AS on_hand, MAX(l.last_movement_at) AS last_at
         FROM stock_levels l JOIN products p ON p.id = l.product_id JOIN sites s ON s.id = l.site_id
         LEFT JOIN product_sites ps ON ps.product_id = l.product_id AND ps.site_id = l.site_id
         WHERE s.kind <> 'external' AND p.stock_keeping${filters}${siteParam ? ` AND l.site_id = ${siteParam}` : ''}
         GROUP BY p.id, s.id, ps.low_stock_level
         UNION ALL ${NEVER_HELD_SQL} AND s.kind <> 'external' AND p.stock_keeping${filters}${siteParam ? ` AND ps.site_id = ${siteParam}` : ''}
       ), st AS (SELECT g.*, ${STATUS_SQL} AS status FROM g), f AS (SELECT * FROM st ${statusWhereSql(q.status)}),
       tot AS (SELECT (SELECT COUNT(*) FROM f) AS total, (SELECT COUNT(*) FROM st WHERE status = 'low') AS low, (SELECT COUNT(*) FROM st WHERE status = 'out') AS out)
       SELECT tot.*, r.* FROM tot LEFT JOIN LATERAL (
         SELECT * FROM f ORDER BY ${SORT_SQL[q.sort]} ${dir} ${NULLS_AS_SQLITE[dir]}, sku COLLATE "C", site_code COLLATE "C" LIMIT $1 OFFSET $2) r ON true`,
      values,
    );
    const first = r.rows[0]!;
    return { total: first.total, lowCount: first.low, outCount: first.out, rows: r.rows.filter((x) => x.product_id !== null).map(currentStockRowOf) };
  }
}

/** The "stock as at" statement: the movements' sum per key, its count, the names; a row with the count alone when no line. */
function stockAtStatement(at: number, f: StockAtFilter): { text: string; values: unknown[] } {
  const values: unknown[] = [at];
  const where = ['occurred_at <= $1'];
  if (f.productId !== undefined) where.push(`product_id = $${values.push(f.productId)}`);
  if (f.siteId !== undefined) where.push(`site_id = $${values.push(f.siteId)}`);
  const byBatch = f.level === 'batch';
  const keys = byBatch ? 'product_id, site_id, COALESCE(bin_id, 0) AS bin_id, COALESCE(batch_id, 0) AS batch_id' : 'product_id, site_id';
  const groups = byBatch ? '1, 2, 3, 4' : '1, 2';
  // One pass over the movements: per key its sum and count; the count of the whole answer is the counts' sum (zero lines included).
  const text = `WITH g AS (SELECT ${keys}, SUM(qty)::bigint AS qty, COUNT(*) AS c FROM movements WHERE ${where.join(' AND ')} GROUP BY ${groups}),
      t AS (SELECT * FROM g WHERE qty <> 0),
      n AS (SELECT COALESCE(SUM(c), 0)::bigint AS n FROM g)
    SELECT n.n, l."productId", l.sku, l.name, l.unit, l.scale, l."siteId", l."siteCode", l."binId", l."binCode", l."batchId", l."batchCode", l.expiry, l.qty
    FROM n LEFT JOIN (
      SELECT t.product_id AS "productId", p.sku, p.name, p.unit, p.scale, t.site_id AS "siteId", s.code AS "siteCode",
        ${byBatch ? 'NULLIF(t.bin_id, 0) AS "binId", b.code AS "binCode", NULLIF(t.batch_id, 0) AS "batchId", bt.code AS "batchCode", bt.expiry' : 'NULL::int AS "binId", NULL::varchar AS "binCode", NULL::int AS "batchId", NULL::varchar AS "batchCode", NULL::varchar AS expiry'}, t.qty
      FROM t JOIN products p ON p.id = t.product_id JOIN sites s ON s.id = t.site_id AND s.kind <> 'external'
      ${byBatch ? 'LEFT JOIN bins b ON b.id = t.bin_id LEFT JOIN batches bt ON bt.id = t.batch_id' : ''}) l ON true
    ORDER BY lower(l.sku COLLATE "C"), l."siteCode" COLLATE "C", l."binCode" COLLATE "C" NULLS FIRST, l."batchCode" COLLATE "C" NULLS FIRST`;
  return { text, values };
}
