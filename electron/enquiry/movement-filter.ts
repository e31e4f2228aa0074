import type Database from 'better-sqlite3';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';

/** The movement filter turned into SQL over `movements m`, with the search and expiry resolved to id sets. */
export interface ResolvedFilter {
  /** Predicates on `m` that every plan applies (ANDed), unless the plan's driver already implies them. */
  where: string[];
  /** The filter field each `where` entry comes from (occFrom/occTo for the occurred range), same positions. */
  whereKeys: string[];
  params: Record<string, number | string>;
  /** Products matched by the search box (SKU prefix, name word prefix, exact barcode); null without a search. */
  searchProducts: number[] | null;
  /** Batches matched by the search box (code prefix); null without a search. */
  searchBatches: number[] | null;
  /** Batches whose expiry lies in the expiry range; null without an expiry filter. */
  expiryBatches: number[] | null;
  /** True when a resolved set is empty: nothing can match. */
  empty: boolean;
  /** True when no field narrows at all. */
  unfiltered: boolean;
}

const escLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
/** Integers only ever come from the database or zod-validated input; inlined so SQLite can use them as IN lists. */
export const inList = (ids: readonly number[]) => ids.map((n) => Math.trunc(n)).join(',');

export function resolveFilter(db: Database.Database, f: MovementFilter): ResolvedFilter {
  const where: string[] = [];
  const whereKeys: string[] = [];
  const add = (key: string, sql: string) => {
    where.push(sql);
    whereKeys.push(key);
  };
  const params: Record<string, number | string> = {};
  const eq = (col: string, key: keyof MovementFilter) => {
    const v = f[key];
    if (typeof v === 'number') {
      add(key, `m.${col} = @${key}`);
      params[key] = v;
    }
  };
  eq('product_id', 'productId');
  eq('site_id', 'siteId');
  eq('bin_id', 'binId');
  eq('batch_id', 'batchId');
  eq('document_id', 'documentId');
  eq('user_id', 'userId');
  if (f.types && f.types.length > 0) add('types', `m.type IN (${f.types.map((t) => `'${t.replace(/'/g, "''")}'`).join(',')})`);
  const range = (col: string, r: { from?: number | undefined; to?: number | undefined } | undefined, key: string) => {
    if (r?.from !== undefined) {
      add(`${key}From`, `m.${col} >= @${key}From`);
      params[`${key}From`] = r.from;
    }
    if (r?.to !== undefined) {
      add(`${key}To`, `m.${col} <= @${key}To`);
      params[`${key}To`] = r.to;
    }
  };
  range('occurred_at', f.occurred, 'occ');
  range('recorded_at', f.recorded, 'rec');

  let empty = false;
  let expiryBatches: number[] | null = null;
  if (f.expiry && (f.expiry.from || f.expiry.to)) {
    const conds = ['expiry IS NOT NULL'];
    const p: string[] = [];
    if (f.expiry.from) {
      conds.push('expiry >= ?');
      p.push(f.expiry.from);
    }
    if (f.expiry.to) {
      conds.push('expiry <= ?');
      p.push(f.expiry.to);
    }
    expiryBatches = (db.prepare(`SELECT id FROM batches WHERE ${conds.join(' AND ')}`).pluck().all(...p) as number[]);
    if (expiryBatches.length === 0) empty = true;
    else add('expiry', `m.batch_id IN (${inList(expiryBatches)})`);
  }

  let searchProducts: number[] | null = null;
  let searchBatches: number[] | null = null;
  const search = f.search?.trim();
  if (search) {
    const e = escLike(search);
    searchProducts = db
      .prepare(
        `SELECT id FROM products WHERE sku LIKE @pre ESCAPE '\\' OR name LIKE @pre ESCAPE '\\' OR name LIKE @word ESCAPE '\\'
         UNION SELECT product_id FROM product_barcodes WHERE barcode = @exact`,
      )
      .pluck()
      .all({ pre: `${e}%`, word: `% ${e}%`, exact: search }) as number[];
    searchBatches = db.prepare(`SELECT id FROM batches WHERE code LIKE ? ESCAPE '\\'`).pluck().all(`${e}%`) as number[];
    const parts: string[] = [];
    if (searchProducts.length > 0) parts.push(`m.product_id IN (${inList(searchProducts)})`);
    if (searchBatches.length > 0) parts.push(`m.batch_id IN (${inList(searchBatches)})`);
    if (parts.length === 0) empty = true;
    else add('search', parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`);
  }
  return { where, whereKeys, params, searchProducts, searchBatches, expiryBatches, empty, unfiltered: where.length === 0 && !empty };
}
