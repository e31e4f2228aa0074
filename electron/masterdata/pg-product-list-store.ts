import type pg from 'pg';
import type { ProductSiteStock } from '../../shared/masterdata';
import type { ProductIdPage, ProductListQuery, ProductListRecords } from './product-list-records';
import { listFilters, TOTAL_CAP } from './product-list-store';

/** SQLite's COLLATE NOCASE: ASCII letters folded, everything else compared by code point (as pg-master-store.ts). */
const nocase = (sql: string) => `lower(${sql} COLLATE "C")`;
const SORT_KEY = { sku: nocase('p.sku'), name: nocase('p.name') } as const;

/** The values a statement binds, numbered as they are added ($1, $2, …). */
class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/**
 * The Products window's reads on PostgreSQL, answering as ProductListStore does on SQLite: one page of ids in the list's
 * order (the sort key without case, then id), the total matched counted up to TOTAL_CAP + 1, and stock per site and bin.
 * A search matches as SQLite's does: three characters or more anywhere in the SKU, the name or a supplier code (SQLite's
 * trigram index), fewer as the start of the SKU or name, and a barcode exactly; ASCII letters in any case.
 *
 * PostgreSQL has no trigram index of products here (pg_trgm is an extension this store does not ask for): a search
 * reads the products table, which holds thousands of rows, not millions; the page without a search walks the sort order.
 */
export class PgProductListStore implements ProductListRecords {
  constructor(private readonly db: pg.Pool | pg.PoolClient) {}

  async page(q: ProductListQuery, limit: number, offset: number): Promise<ProductIdPage> {
    const params = new Params();
    const where = this.where(q, params);
    const count = `SELECT COUNT(*) AS n FROM (SELECT 1 FROM products p ${where} LIMIT ${TOTAL_CAP + 1}) AS matched`;
    const counted = (await this.db.query<{ n: number }>(count, params.values)).rows[0]!.n;
    const dir = q.desc ? 'DESC' : 'ASC';
    const page = `SELECT p.id FROM products p ${where} ORDER BY ${SORT_KEY[q.sort ?? 'sku']} ${dir}, p.id ${dir} LIMIT ${params.add(limit)} OFFSET ${params.add(offset)}`;
    const ids = (await this.db.query<{ id: number }>(page, params.values)).rows.map((r) => r.id);
    return { ids, total: Math.min(counted, TOTAL_CAP), capped: counted > TOTAL_CAP };
  }

  /** Stock on hand per real site and bin (batches summed), in the product's smallest unit. */
  async productStock(productId: number): Promise<ProductSiteStock[]> {
    const sql = `SELECT l.site_id AS "siteId", s.code AS "siteCode", s.name AS "siteName", l.bin_id AS "binId", b.code AS "binCode", SUM(l.qty) AS qty
      FROM stock_levels l JOIN sites s ON s.id = l.site_id AND s.kind <> 'external' LEFT JOIN bins b ON b.id = l.bin_id
      WHERE l.product_id = $1 GROUP BY l.site_id, s.code, s.name, l.bin_id, b.code HAVING SUM(l.qty) <> 0
      ORDER BY ${nocase('s.name')}, b.code IS NOT NULL, ${nocase('b.code')}`;
    return (await this.db.query<ProductSiteStock>(sql, [productId])).rows;
  }

  /** The WHERE clause of a query: a parent's variants, top-level products grouped with their variants, or a flat list. */
  private where(q: ProductListQuery, params: Params): string {
    const search = q.search.trim();
    const matchOn = (a: string): string[] => {
      const conds = listFilters(q).map(([column, value]) => `${a}.${column} = ${params.add(value)}`);
      if (search) conds.push(this.match(search, a, params));
      return conds;
    };
    let conds: string[];
    if (q.parentId !== undefined) conds = [`p.parent_id = ${params.add(q.parentId)}`, ...matchOn('p')];
    else if (q.grouped) {
      // Top-level products only: one that matches, or whose variant matches (shown under it).
      const own = matchOn('p');
      conds = own.length === 0
        ? ['p.parent_id IS NULL']
        : [`p.parent_id IS NULL AND ((${own.join(' AND ')}) OR EXISTS (SELECT 1 FROM products v WHERE v.parent_id = p.id AND ${matchOn('v').join(' AND ')}))`];
    } else conds = matchOn('p');
    return conds.length ? `WHERE ${conds.join(' AND ')}` : '';
  }

  /** A search on a product row (alias a), as SQLite's indexes find it (see the class). */
  private match(search: string, a: string, params: Params): string {
    const text = params.add(search);
    const barcode = `${a}.id IN (SELECT product_id FROM product_barcodes WHERE barcode = ${text})`;
    if (search.length >= 3) {
      const has = (col: string) => `strpos(${nocase(col)}, ${nocase(`${text}::text`)}) > 0`;
      return `(${has(`${a}.sku`)} OR ${has(`${a}.name`)} OR ${barcode}
        OR EXISTS (SELECT 1 FROM product_supplier_codes c WHERE c.product_id = ${a}.id AND ${has('c.supplier_code')}))`;
    }
    const starts = (col: string) => `starts_with(${nocase(col)}, ${nocase(`${text}::text`)})`;
    return `(${starts(`${a}.sku`)} OR ${starts(`${a}.name`)} OR ${barcode})`;
  }
}
