import type Database from 'better-sqlite3';
import type { CurrentStockQuery } from '../../../shared/contract/schemas';
import type { CurrentStockPage, CurrentStockRow, StockStatus, StockType } from '../../../shared/domain';
import { MAX_QUANTITY_SCALE } from '../../../shared/on-hand-order';
import type { CountsRecords, LedgerCounts } from '../core-reads';
import type { EntityRow } from '../entities/columns';
import type { SiteEntity } from '../entities/place.entities';
import type { ProductEntity, ProductSiteEntity } from '../entities/product.entities';

export type Parsed = Required<Omit<CurrentStockQuery, 'search' | 'siteId'>> & Pick<CurrentStockQuery, 'search' | 'siteId'>;

/** shared/on-hand-order.ts in SQL: by unit (A→Z), then by the real quantity in the finest steps (the direction follows). */
export const ON_HAND_SQL = `unit, on_hand * (CASE scale ${Array.from({ length: MAX_QUANTITY_SCALE }, (_, s) => `WHEN ${s} THEN ${10 ** (MAX_QUANTITY_SCALE - s)}`).join(' ')} ELSE 1 END)`;

/** The sort key's SQL; the direction applies to its last term. */
const SORT_SQL: Record<Parsed['sort'], string> = {
  sku: 'sku COLLATE NOCASE', // as a user reads: a-1 before Z-9
  name: 'name COLLATE NOCASE',
  site: 'site_name COLLATE NOCASE',
  onHand: ON_HAND_SQL,
  lastMovementAt: 'last_at',
};

/** A line's status from its on-hand and low level (the same expression on SQLite and PostgreSQL). */
export const STATUS_SQL = `CASE WHEN on_hand <= 0 THEN 'out' WHEN low_level IS NOT NULL AND on_hand <= low_level THEN 'low' ELSE 'in_stock' END`;

/**
 * The current-stock lines of products set up at a site (product_sites) that no stock level has ever held there: on hand
 * 0, so "out". Columns as the stock_levels part of the statement; the caller appends " AND <filters on p, s, ps>".
 */
export const NEVER_HELD_SQL = `SELECT p.id AS product_id, p.sku, p.name, p.unit, p.scale, p.stock_type, COALESCE(ps.low_stock_level, p.low_stock_level) AS low_level,
         s.id AS site_id, s.code AS site_code, s.name AS site_name, 0 AS on_hand, NULL AS last_at
       FROM product_sites ps JOIN products p ON p.id = ps.product_id JOIN sites s ON s.id = ps.site_id
       WHERE NOT EXISTS (SELECT 1 FROM stock_levels x WHERE x.product_id = ps.product_id AND x.site_id = ps.site_id)`;

/** The lines a status filter keeps (the same clause on SQLite and PostgreSQL). */
export const statusWhereSql = (status: Parsed['status']): string =>
  status === 'all' ? '' : status === 'low_or_out' ? "WHERE status IN ('low','out')" : `WHERE status = '${status === 'low' ? 'low' : 'out'}'`;

/** Read side of the ledger: current stock and the ledger's counts (the sites' list: site-list.ts). Raw SQL, measured in the bench. */
export class StockQueries implements CountsRecords {
  private readonly countsStmt: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.countsStmt = db.prepare(
      `SELECT (SELECT COUNT(*) FROM products) AS products, (SELECT COALESCE(MAX(seq), 0) FROM movements) AS movements,
              (SELECT COUNT(*) FROM sites WHERE kind != 'external') AS sites`,
    );
  }

  counts(): LedgerCounts {
    return this.countsStmt.get() as LedgerCounts;
  }

  /** Current stock (`stock.current`; `enquiry.lowStock` and the stock lists' exports read it too). */
  current(q: Parsed): CurrentStockPage {
    const where: string[] = ["s.kind != 'external'", 'p.stock_keeping = 1'];
    const params: Record<string, unknown> = {};
    const search = q.search?.trim();
    if (search) {
      where.push(
        "(p.sku LIKE @prefix ESCAPE '\\' OR p.name LIKE @contains ESCAPE '\\' OR p.id IN (SELECT product_id FROM product_barcodes WHERE barcode = @exact))",
      );
      const esc = search.replace(/[\\%_]/g, (c) => `\\${c}`);
      params.prefix = `${esc}%`;
      params.contains = `%${esc}%`;
      params.exact = search;
    }
    if (q.siteId !== undefined) params.siteId = q.siteId;
    const at = (alias: string) => [...where, ...(q.siteId === undefined ? [] : [`${alias}.site_id = @siteId`])].join(' AND ');
    // A product set up at a site (its own low-stock level or default bin there) that has never held it there is out of
    // stock there: a line of 0 (NEVER_HELD_SQL), or the alert would never name the site that has none.
    const base = `
      WITH g AS (
        SELECT p.id AS product_id, p.sku, p.name, p.unit, p.scale, p.stock_type, COALESCE(ps.low_stock_level, p.low_stock_level) AS low_level,
               s.id AS site_id, s.code AS site_code, s.name AS site_name,
               SUM(l.qty) AS on_hand, MAX(l.last_movement_at) AS last_at
        FROM stock_levels l JOIN products p ON p.id = l.product_id JOIN sites s ON s.id = l.site_id
        LEFT JOIN product_sites ps ON ps.product_id = l.product_id AND ps.site_id = l.site_id
        WHERE ${at('l')}
        GROUP BY l.product_id, l.site_id
        UNION ALL ${NEVER_HELD_SQL} AND ${at('ps')}
      ), st AS (SELECT g.*, ${STATUS_SQL} AS status FROM g)`;
    const statusWhere = statusWhereSql(q.status);
    const totals = this.db
      .prepare(
        `${base} SELECT COUNT(*) AS total,
           (SELECT COUNT(*) FROM st WHERE status = 'low') AS low, (SELECT COUNT(*) FROM st WHERE status = 'out') AS out
         FROM st ${statusWhere}`,
      )
      .get(params) as { total: number; low: number; out: number };
    const dir = q.direction === 'desc' ? 'DESC' : 'ASC';
    const rows = this.db
      .prepare(`${base} SELECT * FROM st ${statusWhere} ORDER BY ${SORT_SQL[q.sort]} ${dir}, sku, site_code LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: q.limit, offset: q.offset }) as CurrentStockRaw[];
    return { total: totals.total, lowCount: totals.low, outCount: totals.out, rows: rows.map(currentStockRowOf) };
  }
}

type ProductRow = EntityRow<typeof ProductEntity>;
type SiteRow = EntityRow<typeof SiteEntity>;

/** A current stock line as both stores' statements return it (snake_case columns). */
export type CurrentStockRaw = Pick<ProductRow, 'sku' | 'name' | 'unit' | 'scale'> &
  Pick<EntityRow<typeof ProductSiteEntity>, 'product_id' | 'site_id'> & {
    stock_type: ProductRow['stock_type'] & StockType;
    low_level: ProductRow['low_stock_level'];
    site_code: SiteRow['code'];
    site_name: SiteRow['name'];
    /** Computed: the site's balance and its last movement, and the low/out status from them. */
    on_hand: number;
    last_at: number | null;
    status: StockStatus;
  };

/** A current stock line for the window. */
export function currentStockRowOf(r: CurrentStockRaw): CurrentStockRow {
  return {
    productId: r.product_id,
    sku: r.sku,
    name: r.name,
    unit: r.unit,
    scale: r.scale,
    stockType: r.stock_type,
    siteId: r.site_id,
    siteCode: r.site_code,
    siteName: r.site_name,
    onHand: r.on_hand,
    lowStockLevel: r.low_level,
    status: r.status,
    lastMovementAt: r.last_at ? new Date(r.last_at).toISOString() : null,
  };
}
