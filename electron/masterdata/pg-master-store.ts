import type { AuditAction } from '../../shared/auth';
import type { StockType, TrackingMode } from '../../shared/domain';
import type { BinRecord, BinStockStatus, ProductGroupRecord, ProductRecord, ProductSiteSetting, SiteKind, SiteRecord } from '../../shared/masterdata';
import { variantLabel, type VariantAxis, type VariantValues } from '../../shared/variants';
import { pgCompanyDateTime } from '../company/pg-time-zone-store';
import { takenUniqueKey } from '../ledger/pg/pg-errors';
import { pgTransaction } from '../ledger/pg/store/pg-ledger-store';
import { PgQueries } from '../ledger/pg/store/pg-queries';
import type { AuditActor } from '../safety/audit';
import { appendPgAudit } from '../safety/pg-audit-store';
import type { MasterRecords, RecordStamp } from './master-records';
import { takenKey, type Keyed } from './master-refusals';
import type { BinRow, ProductGroupRow, ProductRow, SiteRow, VersionStamp } from './master-store';

/** SQLite's COLLATE NOCASE: ASCII letters folded, everything else compared by code point (pg 0003 indexes these). */
const nocase = (col: string) => `lower(${col} COLLATE "C")`;

const SITE_SQL = `SELECT s.id, s.version, s.code, s.name, s.kind, s.allow_negative AS "allowNegative", s.active,
  (SELECT COUNT(*) FROM bins b WHERE b.site_id = s.id) AS "binCount",
  (SELECT COUNT(*) FROM stock_levels sl WHERE sl.site_id = s.id AND sl.qty <> 0) AS "stockLines"
  FROM sites s`;
/** The advisory-lock class of barcode keys (PgQueries.lockKeyBuckets: they share KEY_LOCK_BUCKETS locks). */
const BARCODE_LOCK_CLASS = 17_001;
const LOCKED_TABLE = { site: 'sites', bin: 'bins', product: 'products' } as const;
const BIN_SQL = `SELECT b.id, b.site_id AS "siteId", b.code, b.name, b.stock_status AS "stockStatus", b.active,
  (SELECT COUNT(*) FROM stock_levels sl WHERE sl.bin_id = b.id AND sl.qty <> 0) AS "stockLines"
  FROM bins b`;
const PRODUCT_SQL = `SELECT p.id, p.version, p.sku, p.name, p.description, p.unit, p.scale, p.stock_type AS "stockType", p.tracking,
  p.stock_keeping AS "stockKeeping", p.low_stock_level AS "lowStockLevel", p.active,
  ARRAY(SELECT pb.barcode FROM product_barcodes pb WHERE pb.product_id = p.id ORDER BY pb.barcode COLLATE "C") AS barcodes,
  EXISTS (SELECT 1 FROM movements m WHERE m.product_id = p.id) AS "hasMovements",
  (SELECT COALESCE(SUM(sl.qty), 0) FROM stock_levels sl WHERE sl.product_id = p.id) AS "onHand",
  p.group_id AS "groupId", (SELECT g.code FROM product_groups g WHERE g.id = p.group_id) AS "groupCode",
  p.country_of_origin AS "countryOfOrigin", p.parent_id AS "parentId", p.variant_axes AS "variantAxes", p.variant_attributes AS "variantAttributes",
  (SELECT pp.variant_axes FROM products pp WHERE pp.id = p.parent_id) AS "parentAxes",
  (SELECT COUNT(*) FROM products v WHERE v.parent_id = p.id) AS "variantCount",
  ARRAY(SELECT ps.site_id || ':' || COALESCE(ps.low_stock_level::text, '') || ':' || COALESCE(ps.default_bin_id::text, '')
     FROM product_sites ps WHERE ps.product_id = p.id ORDER BY ps.site_id) AS sites
  FROM products p`;
const GROUP_SQL = `SELECT g.id, g.code, g.name, g.post_on_costs AS "postOnCosts", g.active,
  (SELECT COUNT(*) FROM products p WHERE p.group_id = g.id) AS "productCount"
  FROM product_groups g`;

type SiteSql = Omit<SiteRecord, 'kind'> & { kind: SiteKind | 'external' };
type ProductSql = Omit<ProductRecord, 'sites' | 'variantAxes' | 'variantAttributes' | 'variantLabel' | 'stockType' | 'tracking'> & {
  stockType: StockType;
  tracking: TrackingMode;
  sites: string[];
  variantAxes: string | null;
  variantAttributes: string;
  parentAxes: string | null;
};

/** A per-site setting as the query spells it, "site:level:bin" with empty parts for none (ints only: exact, no JSON floats). */
const siteSetting = (s: string): ProductSiteSetting => {
  const [siteId, level, bin] = s.split(':') as [string, string, string];
  const int = (x: string) => (x === '' ? null : Number(x));
  return { siteId: Number(siteId), lowStockLevel: int(level), defaultBinId: int(bin) };
};
const product = ({ parentAxes, ...r }: ProductSql): ProductRecord => {
  const variantAttributes = r.parentId === null ? {} : (JSON.parse(r.variantAttributes) as VariantValues);
  return {
    ...r,
    sites: r.sites.map(siteSetting),
    variantAxes: r.variantAxes === null ? [] : (JSON.parse(r.variantAxes) as VariantAxis[]),
    variantAttributes,
    variantLabel: r.parentId === null ? null : variantLabel(parentAxes === null ? [] : (JSON.parse(parentAxes) as VariantAxis[]), variantAttributes),
  };
};
/** The stored form of the product's variant columns: axes only on a parent, values only on a variant. */
const variantColumns = (r: ProductRow): [string | null, string] => [
  r.variantAxes.length ? JSON.stringify(r.variantAxes) : null,
  JSON.stringify(r.parentId === null ? {} : r.variantAttributes),
];
/** A product's stored values in the order of the products table's insert and update statements: sku … variant_attributes. */
export const productValues = (r: ProductRow) => {
  const [axes, values] = variantColumns(r);
  return [r.sku, r.name, r.description, r.unit, r.scale, r.stockType, r.tracking, r.stockKeeping, r.lowStockLevel, r.active, r.groupId, r.countryOfOrigin, r.parentId, axes, values];
};

/** A unique key's refusal as the rules word it (naming the record and the field); any other error as it came. */
async function refusing<T>(write: Promise<T>, r: Keyed): Promise<T> {
  try {
    return await write;
  } catch (e) {
    const key = takenUniqueKey(e);
    throw (key && takenKey(key, r)) || e;
  }
}

/**
 * PostgreSQL's master-data store: the same records, lookups and version-checked saves as SQLite's MasterStore, in
 * PostgreSQL's SQL. Given a pool it runs each call on any connection, and `transaction` on one connection between
 * BEGIN and COMMIT (ROLLBACK when the callback rejects); given a client it is that transaction's store. Each change's
 * audit entry is appended in the change's transaction, the chain head read under the audit lock (pg-audit-store.ts). The UPDATE
 * of a versioned record checks the version in its WHERE, so of two servers saving from one version, one writes; a
 * code, name or SKU another server saved since the rules checked is refused by a unique key, worded as the rules do.
 */
export class PgMasterStore extends PgQueries implements MasterRecords {
  private async changes(sql: string, params: unknown[]): Promise<number> {
    return (await this.db.query(sql, params)).rowCount ?? 0;
  }

  /**
   * On a pool: one transaction on one connection (READ COMMITTED, retried from the start on a serialization failure
   * or deadlock, so `fn` runs again from nothing); on a client, already inside its transaction: `fn` on it.
   */
  async transaction<T>(fn: (tx: MasterRecords) => Promise<T>): Promise<T> {
    if (!('totalCount' in this.db)) return fn(this);
    return pgTransaction(this.db, (c) => fn(new PgMasterStore(c)));
  }

  async sites(): Promise<SiteRecord[]> {
    return this.rows<SiteSql>(`${SITE_SQL} ORDER BY s.kind = 'external', ${nocase('s.name')}, s.name COLLATE "C"`);
  }
  async site(id: number): Promise<SiteRecord | null> {
    return this.one<SiteSql>(`${SITE_SQL} WHERE s.id = $1`, [id]);
  }
  async siteIdByCode(code: string): Promise<number | null> {
    return this.id(`SELECT id FROM sites WHERE ${nocase('code')} = ${nocase('$1::text')}`, [code]);
  }
  async siteIdByName(name: string): Promise<number | null> {
    return this.id(`SELECT id FROM sites WHERE ${nocase('name')} = ${nocase('$1::text')}`, [name]);
  }
  async insertSite(r: SiteRow): Promise<number> {
    const sql = 'INSERT INTO sites (code, name, kind, allow_negative, active) VALUES ($1, $2, $3, $4, $5) RETURNING id';
    return (await refusing(this.id(sql, [r.code, r.name, r.kind, r.allowNegative, r.active]), r))!;
  }
  async updateSite(id: number, r: SiteRow, stamp: VersionStamp): Promise<boolean> {
    const sql = `UPDATE sites SET code = $1, name = $2, kind = $3, allow_negative = $4, active = $5, version = version + 1, updated_at = $6, updated_by = $7
      WHERE id = $8 AND ($9::integer IS NULL OR version = $9)`;
    return (await refusing(this.changes(sql, [r.code, r.name, r.kind, r.allowNegative, r.active, stamp.at, stamp.userId, id, stamp.version ?? null]), r)) === 1;
  }

  async bins(siteId: number): Promise<BinRecord[]> {
    return this.rows<BinRecord>(`${BIN_SQL} WHERE b.site_id = $1 ORDER BY ${nocase('b.code')}, b.code COLLATE "C"`, [siteId]);
  }
  async bin(id: number): Promise<BinRecord | null> {
    return this.one<BinRecord>(`${BIN_SQL} WHERE b.id = $1`, [id]);
  }
  async binIdByCode(siteId: number, code: string): Promise<number | null> {
    return this.id(`SELECT id FROM bins WHERE site_id = $1 AND ${nocase('code')} = ${nocase('$2::text')}`, [siteId, code]);
  }
  async insertBin(r: BinRow): Promise<number> {
    const sql = 'INSERT INTO bins (site_id, code, name, stock_status, active) VALUES ($1, $2, $3, $4, $5) RETURNING id';
    return (await refusing(this.id(sql, [r.siteId, r.code, r.name, r.stockStatus satisfies BinStockStatus, r.active]), r))!;
  }
  async updateBin(id: number, r: Omit<BinRow, 'siteId'>): Promise<void> {
    await refusing(this.changes('UPDATE bins SET code = $1, name = $2, stock_status = $3, active = $4 WHERE id = $5', [r.code, r.name, r.stockStatus, r.active, id]), r);
  }

  async product(id: number): Promise<ProductRecord | null> {
    const r = await this.one<ProductSql>(`${PRODUCT_SQL} WHERE p.id = $1`, [id]);
    return r ? product(r) : null;
  }
  /** Products by id, in the order given (a list page's rows in one statement); an id gone meanwhile is left out. */
  async products(ids: readonly number[]): Promise<ProductRecord[]> {
    const found = await this.rows<ProductSql>(`${PRODUCT_SQL} WHERE p.id = ANY($1::int[])`, [ids]);
    const byId = new Map(found.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const r = byId.get(id);
      return r ? [product(r)] : [];
    });
  }
  async productIdBySku(sku: string): Promise<number | null> {
    return this.id(`SELECT id FROM products WHERE ${nocase('sku')} = ${nocase('$1::text')}`, [sku]);
  }
  async barcodeOwner(barcode: string): Promise<{ id: number; sku: string } | null> {
    return this.one('SELECT p.id, p.sku FROM product_barcodes pb JOIN products p ON p.id = pb.product_id WHERE pb.barcode = $1', [barcode]);
  }
  async insertProduct(r: ProductRow, now: number): Promise<number> {
    const sql = `INSERT INTO products (sku, name, description, unit, scale, stock_type, tracking, stock_keeping, low_stock_level, active,
        group_id, country_of_origin, parent_id, variant_axes, variant_attributes, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`;
    return (await refusing(this.id(sql, [...productValues(r), now]), r))!;
  }
  async updateProduct(id: number, r: ProductRow, stamp: VersionStamp): Promise<boolean> {
    const sql = `UPDATE products SET sku = $1, name = $2, description = $3, unit = $4, scale = $5, stock_type = $6, tracking = $7, stock_keeping = $8,
        low_stock_level = $9, active = $10, group_id = $11, country_of_origin = $12, parent_id = $13, variant_axes = $14, variant_attributes = $15,
        version = version + 1, updated_at = $16, updated_by = $17 WHERE id = $18 AND ($19::integer IS NULL OR version = $19)`;
    return (await refusing(this.changes(sql, [...productValues(r), stamp.at, stamp.userId, id, stamp.version ?? null]), r)) === 1;
  }
  async variants(parentId: number): Promise<ProductRecord[]> {
    return (await this.rows<ProductSql>(`${PRODUCT_SQL} WHERE p.parent_id = $1 ORDER BY p.id`, [parentId])).map(product);
  }
  async replaceProductSites(productId: number, sites: readonly ProductSiteSetting[]): Promise<void> {
    await this.changes('DELETE FROM product_sites WHERE product_id = $1', [productId]);
    const kept = sites.filter((x) => x.lowStockLevel !== null || x.defaultBinId !== null);
    if (kept.length === 0) return;
    await this.changes(
      `INSERT INTO product_sites (product_id, site_id, low_stock_level, default_bin_id)
       SELECT $1, s, l, b FROM unnest($2::integer[], $3::bigint[], $4::integer[]) AS x(s, l, b)`,
      [productId, kept.map((x) => x.siteId), kept.map((x) => x.lowStockLevel), kept.map((x) => x.defaultBinId)],
    );
  }
  async replaceBarcodes(productId: number, barcodes: readonly string[]): Promise<void> {
    await this.changes('DELETE FROM product_barcodes WHERE product_id = $1', [productId]);
    if (barcodes.length) await this.changes('INSERT INTO product_barcodes (barcode, product_id) SELECT b, $2 FROM unnest($1::text[]) WITH ORDINALITY AS x(b, n) ORDER BY n', [barcodes, productId]);
  }
  async recipeUsing(productId: number): Promise<string | null> {
    const r = await this.one<{ sku: string }>(
      `SELECT r.sku FROM recipe_version_components c JOIN recipe_versions v ON v.id = c.version_id JOIN products r ON r.id = v.recipe_id
        WHERE c.component_id = $1 ORDER BY r.sku COLLATE "C" LIMIT 1`,
      [productId],
    );
    return r?.sku ?? null;
  }
  async deleteProduct(id: number): Promise<void> {
    await this.changes('DELETE FROM product_barcodes WHERE product_id = $1', [id]);
    await this.changes('DELETE FROM product_sites WHERE product_id = $1', [id]);
    await this.changes('DELETE FROM recipe_version_components WHERE version_id IN (SELECT id FROM recipe_versions WHERE recipe_id = $1)', [id]);
    await this.changes('DELETE FROM recipe_versions WHERE recipe_id = $1', [id]);
    await this.changes('DELETE FROM products WHERE id = $1', [id]);
  }
  async productHasStock(id: number): Promise<boolean> {
    return (await this.one<{ yes: boolean }>('SELECT EXISTS (SELECT 1 FROM stock_levels WHERE product_id = $1 AND qty <> 0) AS yes', [id]))!.yes;
  }

  async groups(): Promise<ProductGroupRecord[]> {
    return this.rows<ProductGroupRecord>(`${GROUP_SQL} ORDER BY ${nocase('g.code')}, g.code COLLATE "C"`);
  }
  async group(id: number): Promise<ProductGroupRecord | null> {
    return this.one<ProductGroupRecord>(`${GROUP_SQL} WHERE g.id = $1`, [id]);
  }
  async groupIdByCode(code: string): Promise<number | null> {
    return this.id(`SELECT id FROM product_groups WHERE ${nocase('code')} = ${nocase('$1::text')}`, [code]);
  }
  async groupIdByName(name: string): Promise<number | null> {
    return this.id(`SELECT id FROM product_groups WHERE ${nocase('name')} = ${nocase('$1::text')}`, [name]);
  }
  async insertGroup(r: ProductGroupRow): Promise<number> {
    const sql = 'INSERT INTO product_groups (code, name, post_on_costs, active) VALUES ($1, $2, $3, $4) RETURNING id';
    return (await refusing(this.id(sql, [r.code, r.name, r.postOnCosts, r.active]), r))!;
  }
  async updateGroup(id: number, r: ProductGroupRow): Promise<void> {
    await refusing(this.changes('UPDATE product_groups SET code = $1, name = $2, post_on_costs = $3, active = $4 WHERE id = $5', [r.code, r.name, r.postOnCosts, r.active, id]), r);
  }

  async username(userId: number): Promise<string> {
    return (await this.one<{ username: string }>('SELECT username FROM users WHERE id = $1', [userId]))?.username ?? `user ${userId}`;
  }
  async recordStamp(record: 'site' | 'product', id: number): Promise<RecordStamp | null> {
    const table = record === 'site' ? 'sites' : 'products';
    return this.one<RecordStamp>(
      `SELECT t.version, t.updated_at AS "changedAt", u.display_name AS "changedBy" FROM ${table} t LEFT JOIN users u ON u.id = t.updated_by WHERE t.id = $1`,
      [id],
    );
  }
  async lockForChange(record: 'site' | 'bin' | 'product', id: number): Promise<void> {
    // A statement of its own: under READ COMMITTED the next statement's snapshot is taken after the lock was granted.
    await this.rows(`SELECT 1 FROM ${LOCKED_TABLE[record]} WHERE id = $1 FOR UPDATE`, [id]);
  }
  lockBarcodes(keys: readonly string[]): Promise<void> {
    return this.lockKeyBuckets(BARCODE_LOCK_CLASS, keys);
  }
  companyTime(at: number): Promise<string> {
    return pgCompanyDateTime(this.db, at);
  }
  async audit(actor: AuditActor, action: AuditAction, detail: Record<string, unknown>, at: number): Promise<void> {
    // The chain lock lives as long as a transaction: outside one, the entry gets its own.
    if ('totalCount' in this.db) return this.transaction((tx) => tx.audit(actor, action, detail, at));
    await appendPgAudit(this.db, actor, action, detail, at);
  }
}
