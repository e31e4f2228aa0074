import type Database from 'better-sqlite3';
import type { ProductsListInput } from '../../shared/contract/masterdata.schemas';
import type { ProductSiteStock } from '../../shared/masterdata';

/** The filters of the Products list, as the window sends them (every one optional). */
export type ProductListQuery = Omit<ProductsListInput, 'limit' | 'offset'>;

/** `%` and `_` in what the user typed are literal characters, not wildcards. */
export const likeContains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Counts stop one past this: a longer list shows "10,000+". */
export const TOTAL_CAP = 10_000;

/** A search as one FTS5 phrase: the trigram index matches it anywhere in a column, any case; `"` is doubled. */
export const ftsPhrase = (text: string) => `"${text.replace(/"/g, '""')}"`;

/** The NOCASE range of values that start with a prefix: [prefix, prefix + the highest character). */
const prefixRange = (prefix: string): [string, string] => [prefix, `${prefix}\u{10FFFF}`];

const SORT_KEY = { sku: 'p.sku COLLATE NOCASE', name: 'p.name COLLATE NOCASE' } as const;

/**
 * The Products window's reads: one page of product ids for a search, filters and sort (the records themselves come
 * from the master store, one definition of a product), the total they match, stock per site and bin, the groups a
 * filter offers. The page is chosen over ids only, so nothing per row (barcodes, stock) is computed for rows not shown.
 */
export class ProductListStore {
  private readonly cache = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  /**
   * One page of ids in the list's order (the sort key in any case, then id, so equal names keep a stable order) and the
   * total matched, counted up to TOTAL_CAP + 1 (`capped` then says "more than TOTAL_CAP"), so no count reads the whole
   * catalogue. A search first finds its candidates through an index: three characters or more through the trigram index
   * of SKU, name and supplier codes (migration 0025), one or two characters as a prefix of SKU or name (0023's NOCASE
   * indexes), and a barcode exactly. Few candidates (at most TOTAL_CAP): only they are filtered and sorted (the `+`
   * keeps the planner from walking the whole sort index instead). Many: the page walks the sort key's index and stops
   * once the page is full, as the list without a search does.
   */
  page(q: ProductListQuery, limit: number, offset: number): { ids: number[]; total: number; capped: boolean } {
    const search = q.search.trim();
    const { where, args } = this.filters(q);
    const key = SORT_KEY[q.sort ?? 'sku'];
    const dir = q.desc ? 'DESC' : 'ASC';
    const and = (extra: string) => (where ? `${where} AND ${extra}` : `WHERE ${extra}`);
    if (search && this.candidateCount(search) <= TOTAL_CAP) {
      const { sql, args: sArgs } = this.candidates(search);
      const rows = this.prepare(
        `SELECT p.id, COUNT(*) OVER () AS total FROM products p ${and(`p.id IN (${sql})`)} ORDER BY +${key} ${dir}, p.id ${dir} LIMIT ? OFFSET ?`,
      )
        .raw()
        .all(...args, ...sArgs, limit, offset) as [number, number][];
      const total = rows[0]?.[1] ?? (offset > 0 ? this.cappedCount(and(`p.id IN (${sql})`), [...args, ...sArgs]) : 0);
      return { ids: rows.map((r) => r[0]), total, capped: false };
    }
    const match = search ? this.rowMatch(search) : null;
    const w = match ? and(match.sql) : where;
    const wArgs = match ? [...args, ...match.args] : args;
    const ids = this.prepare(`SELECT p.id FROM products p ${w} ORDER BY ${key} ${dir}, p.id ${dir} LIMIT ? OFFSET ?`)
      .pluck()
      .all(...wArgs, limit, offset) as number[];
    const counted = this.cappedCount(w, wArgs);
    return { ids, total: Math.min(counted, TOTAL_CAP), capped: counted > TOTAL_CAP };
  }

  /** How many products match where (up to TOTAL_CAP + 1: the count stops there). */
  private cappedCount(where: string, args: unknown[]): number {
    return this.prepare(`SELECT COUNT(*) FROM (SELECT 1 FROM products p ${where} LIMIT ${TOTAL_CAP + 1})`).pluck().get(...args) as number;
  }

  /**
   * At least as many as the products a search's index finds (each index counted up to TOTAL_CAP + 1), before filters:
   * it chooses between sorting the candidates and walking the sort order.
   */
  private candidateCount(search: string): number {
    const cap = `LIMIT ${TOTAL_CAP + 1}`;
    if (search.length >= 3) {
      return this.prepare(`SELECT COUNT(*) FROM (SELECT rowid FROM products_fts WHERE products_fts MATCH ? ${cap})`).pluck().get(ftsPhrase(search)) as number;
    }
    const [from, to] = prefixRange(search);
    return (
      (this.prepare(`SELECT COUNT(*) FROM (SELECT 1 FROM products WHERE sku COLLATE NOCASE >= ? AND sku COLLATE NOCASE < ? ${cap})`).pluck().get(from, to) as number) +
      (this.prepare(`SELECT COUNT(*) FROM (SELECT 1 FROM products WHERE name COLLATE NOCASE >= ? AND name COLLATE NOCASE < ? ${cap})`).pluck().get(from, to) as number)
    );
  }

  /** The ids a search finds through its indexes (see page), as a subquery. */
  private candidates(search: string): { sql: string; args: unknown[] } {
    const barcode = 'SELECT product_id FROM product_barcodes WHERE barcode = ?';
    if (search.length >= 3) return { sql: `SELECT rowid FROM products_fts WHERE products_fts MATCH ? UNION ${barcode}`, args: [ftsPhrase(search), search] };
    const [from, to] = prefixRange(search);
    return {
      sql: `SELECT id FROM products WHERE sku COLLATE NOCASE >= ? AND sku COLLATE NOCASE < ?
            UNION SELECT id FROM products WHERE name COLLATE NOCASE >= ? AND name COLLATE NOCASE < ? UNION ${barcode}`,
      args: [from, to, from, to, search],
    };
  }

  /** The same match as candidates, tested on one product row (for walking the sort order). */
  private rowMatch(search: string): { sql: string; args: unknown[] } {
    const barcode = 'p.id IN (SELECT product_id FROM product_barcodes WHERE barcode = ?)';
    if (search.length >= 3) {
      const like = likeContains(search);
      return {
        sql: `(p.sku LIKE ? ESCAPE '\\' OR p.name LIKE ? ESCAPE '\\' OR ${barcode}
              OR EXISTS (SELECT 1 FROM product_supplier_codes c WHERE c.product_id = p.id AND c.supplier_code LIKE ? ESCAPE '\\'))`,
        args: [like, like, search, like],
      };
    }
    const [from, to] = prefixRange(search);
    return {
      sql: `((p.sku COLLATE NOCASE >= ? AND p.sku COLLATE NOCASE < ?) OR (p.name COLLATE NOCASE >= ? AND p.name COLLATE NOCASE < ?) OR ${barcode})`,
      args: [from, to, from, to, search],
    };
  }

  /** Stock on hand per real site and bin (batches summed), in the product's smallest unit. */
  stockBySite(productId: number): ProductSiteStock[] {
    return this.prepare(
      `SELECT l.site_id AS siteId, s.code AS siteCode, s.name AS siteName, l.bin_id AS binId, b.code AS binCode, SUM(l.qty) AS qty
       FROM stock_levels l JOIN sites s ON s.id = l.site_id AND s.kind != 'external' LEFT JOIN bins b ON b.id = l.bin_id
       WHERE l.product_id = ? GROUP BY l.site_id, l.bin_id HAVING SUM(l.qty) != 0
       ORDER BY s.name COLLATE NOCASE, b.code IS NOT NULL, b.code COLLATE NOCASE`,
    ).all(productId) as ProductSiteStock[];
  }


  /**
   * The WHERE clause of a query's filters, each one equality. Only the filters present appear, so each combination gets
   * its own plan (and cached statement).
   */
  private filters(q: ProductListQuery): { where: string; args: unknown[] } {
    const parts: string[] = [];
    const args: unknown[] = [];
    const active = q.active ?? (q.includeInactive ? undefined : true);
    const eq: [string, unknown][] = [
      ['p.stock_type', q.stockType],
      ['p.tracking', q.tracking],
      ['p.active', active === undefined ? undefined : active ? 1 : 0],
      ['p.stock_keeping', q.stockKeeping === undefined ? undefined : q.stockKeeping ? 1 : 0],
      ['p.group_id', q.groupId],
    ];
    for (const [column, value] of eq) {
      if (value === undefined) continue;
      parts.push(`${column} = ?`);
      args.push(value);
    }
    return { where: parts.length ? `WHERE ${parts.join(' AND ')}` : '', args };
  }

  private prepare(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }
}
