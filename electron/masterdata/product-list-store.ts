import type Database from 'better-sqlite3';
import type { ProductsListInput } from '../../shared/contract/masterdata.schemas';
import type { ProductSiteStock } from '../../shared/masterdata';

/** The filters of the Products list, as the window sends them (every one optional). */
export type ProductListQuery = Omit<ProductsListInput, 'limit' | 'offset'>;

/** `%` and `_` in what the user typed are literal characters, not wildcards. */
export const likeContains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

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
   * total matched. Without a search the page walks the sort key's index (migration 0023) and stops after the page,
   * and the filters' count is one pass; with a search every product must be read anyway, so one pass finds the matches,
   * counts them and sorts only those (the `+` keeps the planner from walking the whole index to avoid that sort).
   */
  page(q: ProductListQuery, limit: number, offset: number): { ids: number[]; total: number } {
    const { where, args } = this.where(q);
    const key = SORT_KEY[q.sort ?? 'sku'];
    const dir = q.desc ? 'DESC' : 'ASC';
    if (!q.search.trim()) {
      const ids = this.prepare(`SELECT p.id FROM products p ${where} ORDER BY ${key} ${dir}, p.id ${dir} LIMIT ? OFFSET ?`)
        .pluck()
        .all(...args, limit, offset) as number[];
      return { ids, total: this.count(where, args) };
    }
    const rows = this.prepare(`SELECT p.id, COUNT(*) OVER () AS total FROM products p ${where} ORDER BY +${key} ${dir}, p.id ${dir} LIMIT ? OFFSET ?`)
      .raw()
      .all(...args, limit, offset) as [number, number][];
    return { ids: rows.map((r) => r[0]), total: rows[0]?.[1] ?? (offset > 0 ? this.count(where, args) : 0) };
  }

  private count(where: string, args: unknown[]): number {
    return this.prepare(`SELECT COUNT(*) FROM products p ${where}`).pluck().get(...args) as number;
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
   * The WHERE clause for a query: the search matches SKU or name anywhere (any case) or a barcode exactly; each filter
   * is one equality. Only the filters present appear, so each combination gets its own plan (and cached statement).
   */
  private where(q: ProductListQuery): { where: string; args: unknown[] } {
    const parts: string[] = [];
    const args: unknown[] = [];
    const search = q.search.trim();
    if (search) {
      const like = likeContains(search);
      parts.push(`(p.sku LIKE ? ESCAPE '\\' OR p.name LIKE ? ESCAPE '\\' OR p.id IN (SELECT product_id FROM product_barcodes WHERE barcode = ?))`);
      args.push(like, like, search);
    }
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
