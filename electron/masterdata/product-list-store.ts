import type Database from 'better-sqlite3';
import type { ProductSiteStock } from '../../shared/masterdata';
import type { ProductIdPage, ProductListQuery, ProductListRecords } from './product-list-records';

/** `%` and `_` in what the user typed are literal characters, not wildcards. */
export const likeContains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Counts stop one past this: a longer list shows "10,000+". */
export const TOTAL_CAP = 10_000;

/** A search as one FTS5 phrase: the trigram index matches it anywhere in a column, any case; `"` is doubled. */
export const ftsPhrase = (text: string) => `"${text.replace(/"/g, '""')}"`;

/** The NOCASE range of values that start with a prefix: [prefix, prefix + the highest character). */
const prefixRange = (prefix: string): [string, string] => [prefix, `${prefix}\u{10FFFF}`];

/**
 * The list's filters present in a query, each an equality on a products column (the same for both stores): active
 * products only unless inactive ones are asked for.
 */
export function listFilters(q: ProductListQuery): [column: string, value: string | number | boolean][] {
  const active = q.active ?? (q.includeInactive ? undefined : true);
  const eq: [string, string | number | boolean | undefined][] = [
    ['stock_type', q.stockType],
    ['tracking', q.tracking],
    ['active', active],
    ['stock_keeping', q.stockKeeping],
    ['group_id', q.groupId],
  ];
  return eq.filter((e): e is [string, string | number | boolean] => e[1] !== undefined);
}

/** A piece of a WHERE clause and the values it binds, in order. */
interface Cond {
  sql: string;
  args: unknown[];
}
const both = (conds: Cond[]): Cond => ({ sql: conds.map((c) => c.sql).join(' AND '), args: conds.flatMap((c) => c.args) });

const SORT_KEY = { sku: 'p.sku COLLATE NOCASE', name: 'p.name COLLATE NOCASE' } as const;

/**
 * The Products window's reads: one page of product ids for a search, filters and sort (the records themselves come
 * from the master store, one definition of a product), the total they match, stock per site and bin, the groups a
 * filter offers. The page is chosen over ids only, so nothing per row (barcodes, stock) is computed for rows not shown.
 */
export class ProductListStore implements ProductListRecords {
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
  page(q: ProductListQuery, limit: number, offset: number): ProductIdPage {
    const search = q.search.trim();
    const sparse = search !== '' && this.candidateCount(search) <= TOTAL_CAP;
    const candidates = sparse ? this.candidates(search) : null;
    /** What a product row (alias a) must meet: the filters, and the search by candidates (few) or tested on the row (many). */
    const matchOn = (a: string): Cond[] => {
      const conds = this.filters(q, a);
      if (candidates) conds.push({ sql: `${a}.id IN (${candidates.sql})`, args: candidates.args });
      else if (search) conds.push(this.rowMatch(search, a));
      return conds;
    };
    let cond: Cond;
    if (q.parentId !== undefined) {
      cond = both([{ sql: 'p.parent_id = ?', args: [q.parentId] }, ...matchOn('p')]);
    } else if (q.grouped) {
      // Top-level products only: one that matches, or whose variant matches (shown under it).
      const own = matchOn('p');
      if (!own.length) cond = { sql: 'p.parent_id IS NULL', args: [] };
      else if (candidates) {
        const v = both(matchOn('v'));
        cond = { sql: `p.id IN (SELECT COALESCE(v.parent_id, v.id) FROM products v WHERE ${v.sql})`, args: v.args };
      } else {
        const o = both(own);
        const v = both(matchOn('v'));
        cond = { sql: `p.parent_id IS NULL AND ((${o.sql}) OR EXISTS (SELECT 1 FROM products v WHERE v.parent_id = p.id AND ${v.sql}))`, args: [...o.args, ...v.args] };
      }
    } else {
      cond = both(matchOn('p'));
    }
    const where = cond.sql ? `WHERE ${cond.sql}` : '';
    const key = SORT_KEY[q.sort ?? 'sku'];
    const dir = q.desc ? 'DESC' : 'ASC';
    if (sparse) {
      const rows = this.prepare(`SELECT p.id, COUNT(*) OVER () AS total FROM products p ${where} ORDER BY +${key} ${dir}, p.id ${dir} LIMIT ? OFFSET ?`)
        .raw()
        .all(...cond.args, limit, offset) as [number, number][];
      const total = rows[0]?.[1] ?? (offset > 0 ? this.cappedCount(where, cond.args) : 0);
      return { ids: rows.map((r) => r[0]), total, capped: false };
    }
    const ids = this.prepare(`SELECT p.id FROM products p ${where} ORDER BY ${key} ${dir}, p.id ${dir} LIMIT ? OFFSET ?`)
      .pluck()
      .all(...cond.args, limit, offset) as number[];
    const counted = this.cappedCount(where, cond.args);
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

  /** The same match as candidates, tested on one product row (alias a), for walking the sort order. */
  private rowMatch(search: string, a: string): Cond {
    const barcode = `${a}.id IN (SELECT product_id FROM product_barcodes WHERE barcode = ?)`;
    if (search.length >= 3) {
      const like = likeContains(search);
      return {
        sql: `(${a}.sku LIKE ? ESCAPE '\\' OR ${a}.name LIKE ? ESCAPE '\\' OR ${barcode}
              OR EXISTS (SELECT 1 FROM product_supplier_codes c WHERE c.product_id = ${a}.id AND c.supplier_code LIKE ? ESCAPE '\\'))`,
        args: [like, like, search, like],
      };
    }
    const [from, to] = prefixRange(search);
    return {
      sql: `((${a}.sku COLLATE NOCASE >= ? AND ${a}.sku COLLATE NOCASE < ?) OR (${a}.name COLLATE NOCASE >= ? AND ${a}.name COLLATE NOCASE < ?) OR ${barcode})`,
      args: [from, to, from, to, search],
    };
  }

  /** Stock on hand per real site and bin (batches summed), in the product's smallest unit. */
  productStock(productId: number): ProductSiteStock[] {
    return this.prepare(
      `SELECT l.site_id AS siteId, s.code AS siteCode, s.name AS siteName, l.bin_id AS binId, b.code AS binCode, SUM(l.qty) AS qty
       FROM stock_levels l JOIN sites s ON s.id = l.site_id AND s.kind != 'external' LEFT JOIN bins b ON b.id = l.bin_id
       WHERE l.product_id = ? GROUP BY l.site_id, l.bin_id HAVING SUM(l.qty) != 0
       ORDER BY s.name COLLATE NOCASE, b.code IS NOT NULL, b.code COLLATE NOCASE`,
    ).all(productId) as ProductSiteStock[];
  }


  /** A query's filters on a product row (alias a), each one equality; only the filters present appear (booleans as 1/0). */
  private filters(q: ProductListQuery, a: string): Cond[] {
    return listFilters(q).map(([column, value]) => ({ sql: `${a}.${column} = ?`, args: [typeof value === 'boolean' ? (value ? 1 : 0) : value] }));
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
