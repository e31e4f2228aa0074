import type pg from 'pg';
import type { StockType, TrackingMode } from '../../shared/domain';
import type { VariantAxis, VariantValues } from '../../shared/variants';
import type { EntityRecord } from '../ledger/entities/columns';
import type { ProductEntity } from '../ledger/entities/product.entities';
import { PgQueries } from '../ledger/pg/store/pg-queries';
import { runLater, type Steps } from '../ledger/steps';
import { PgRecipeStore } from '../recipes/pg-recipe-store';
import type { RecipeVersionRefusal } from '../recipes/recipe-trial';
import { PgMasterStore, productValues } from '../masterdata/pg-master-store';
import type { ProductRow } from '../masterdata/master-store';
import { tryCatalogRecipes, type CatalogRecipeTrial } from './catalog-recipe-trial';
import type { CatalogProductRow, CatalogRecords, NamedTable, NewCatalogProduct } from './catalog-records';

/** SQLite's COLLATE NOCASE: ASCII letters folded, everything else compared by code point. */
const nocase = (col: string) => `lower(${col} COLLATE "C")`;
/** The advisory lock a catalog import holds from its first read to its commit (barcodes are 17_001, suppliers 17_002, recipes 17_003). */
const CATALOG_IMPORT_LOCK_CLASS = 17_004;

/** The products table's written columns with their types, in productValues' order. */
const PRODUCT_COLUMNS: [string, string][] = [
  ['sku', 'text'], ['name', 'text'], ['description', 'text'], ['unit', 'text'], ['scale', 'integer'], ['stock_type', 'text'], ['tracking', 'text'],
  ['stock_keeping', 'boolean'], ['low_stock_level', 'bigint'], ['active', 'boolean'], ['group_id', 'integer'], ['country_of_origin', 'text'],
  ['parent_id', 'integer'], ['variant_axes', 'text'], ['variant_attributes', 'text'],
];
const cell = (i: number, type: string) => `(e.v ->> ${i})::${type}`;
/** A key or rule refused the batch (PostgreSQL's integrity class 23): its rows are written again one by one to name the row. */
const refusedByKey = (e: unknown) => /^23/.test(String((e as { code?: unknown }).code));

const missing = (sku: string): never => {
  throw new Error(`the products batch returned no id for ${sku}`);
};

type ProductSql = Omit<CatalogProductRow, 'stockType' | 'tracking' | 'variantAxes' | 'variantAttributes'> & {
  stockType: StockType;
  tracking: TrackingMode;
} & Pick<EntityRecord<typeof ProductEntity>, 'variantAxes' | 'variantAttributes'>;

/**
 * PostgreSQL's CatalogRecords, on one transaction's client (an import, a preview, an export's snapshot): the same bulk
 * reads and writes as SQLite's CatalogStore in PostgreSQL's SQL, the trial as a savepoint rolled back, and the lock
 * that makes imports on several servers take turns.
 */
export class PgCatalogStore extends PgQueries implements CatalogRecords {
  constructor(private readonly c: pg.PoolClient) {
    super(c);
  }

  async products(): Promise<CatalogProductRow[]> {
    const rows = await this.rows<ProductSql>(
      `SELECT p.id, p.sku, p.name, p.description, p.unit, p.scale, p.stock_type AS "stockType", p.tracking, p.stock_keeping AS "stockKeeping",
         p.low_stock_level AS "lowStockLevel", p.active, p.group_id AS "groupId", EXISTS (SELECT 1 FROM movements m WHERE m.product_id = p.id) AS "hasMovements",
         p.country_of_origin AS "countryOfOrigin", p.parent_id AS "parentId", p.variant_axes AS "variantAxes", p.variant_attributes AS "variantAttributes"
       FROM products p`,
    );
    return rows.map((r) => ({
      id: r.id,
      sku: r.sku,
      name: r.name,
      description: r.description,
      unit: r.unit,
      scale: r.scale,
      stockType: r.stockType,
      tracking: r.tracking,
      stockKeeping: r.stockKeeping,
      lowStockLevel: r.lowStockLevel,
      active: r.active,
      groupId: r.groupId,
      hasMovements: r.hasMovements,
      countryOfOrigin: r.countryOfOrigin,
      parentId: r.parentId,
      variantAxes: r.variantAxes ? (JSON.parse(r.variantAxes) as VariantAxis[]) : [],
      variantAttributes: r.variantAttributes && r.variantAttributes !== '{}' ? (JSON.parse(r.variantAttributes) as VariantValues) : {},
    }));
  }
  async barcodes(): Promise<[string, number][]> {
    return (await this.rows<{ barcode: string; productId: number }>('SELECT barcode, product_id AS "productId" FROM product_barcodes')).map((r) => [r.barcode, r.productId]);
  }
  async stockedProductIds(): Promise<Set<number>> {
    return new Set((await this.rows<{ id: number }>('SELECT DISTINCT product_id AS id FROM stock_levels WHERE qty <> 0')).map((r) => r.id));
  }
  groups(): Promise<{ id: number; code: string }[]> {
    return this.rows(`SELECT id, code FROM product_groups ORDER BY ${nocase('code')}`);
  }
  /**
   * The products in one statement, and their barcodes in one more: two round trips, not one or more per product. A
   * batch a key refuses is undone (its savepoint) and written again one product at a time, so the refusal names its
   * row in the rules' words (PgMasterStore.insertProduct).
   */
  async insertProducts(rows: readonly NewCatalogProduct[], now: number): Promise<number[]> {
    const ids = await this.batchOrEach(
      async () => {
        const got = await this.rows<{ id: number; sku: string }>(
          `INSERT INTO products (${PRODUCT_COLUMNS.map(([c]) => c).join(', ')}, created_at)
           SELECT ${PRODUCT_COLUMNS.map(([, t], i) => cell(i, t)).join(', ')}, $2::bigint
           FROM json_array_elements($1::json) WITH ORDINALITY AS e(v, n) ORDER BY n
           RETURNING id, sku`,
          [JSON.stringify(rows.map(productValues)), now],
        );
        const bySku = new Map(got.map((g) => [g.sku, g.id]));
        return rows.map((r) => bySku.get(r.sku) ?? missing(r.sku));
      },
      async (md) => {
        const each: number[] = [];
        for (const r of rows) each.push(await md.insertProduct(r, now));
        return each;
      },
    );
    const codes = rows.flatMap((r, i) => r.barcodes.map((b) => [b, ids[i]!] as const));
    if (codes.length)
      await this.c.query('INSERT INTO product_barcodes (barcode, product_id) SELECT b, p FROM unnest($1::text[], $2::integer[]) WITH ORDINALITY AS x(b, p, n) ORDER BY n', [
        codes.map(([b]) => b),
        codes.map(([, p]) => p),
      ]);
    return ids;
  }
  async updateProducts(rows: readonly { id: number; row: ProductRow }[], stamp: { userId: number; at: number }): Promise<void> {
    await this.batchOrEach(
      async () => {
        await this.c.query(
          `UPDATE products p SET ${PRODUCT_COLUMNS.map(([c, t], i) => `${c} = ${cell(i + 1, t)}`).join(', ')}, version = p.version + 1, updated_at = $2::bigint, updated_by = $3::integer
           FROM json_array_elements($1::json) AS e(v) WHERE p.id = (e.v ->> 0)::integer`,
          [JSON.stringify(rows.map((r) => [r.id, ...productValues(r.row)])), stamp.at, stamp.userId],
        );
      },
      async (md) => {
        for (const r of rows) await md.updateProduct(r.id, r.row, stamp);
      },
    );
  }
  /** `batch` under a savepoint; when a key or rule refuses it, the savepoint undone and `each` run instead (row by row, refused in the rules' words). */
  private async batchOrEach<T>(batch: () => Promise<T>, each: (md: PgMasterStore) => Promise<T>): Promise<T> {
    await this.c.query('SAVEPOINT catalog_batch');
    try {
      const r = await batch();
      await this.c.query('RELEASE SAVEPOINT catalog_batch');
      return r;
    } catch (e) {
      if (!refusedByKey(e)) throw e;
      await this.c.query('ROLLBACK TO SAVEPOINT catalog_batch; RELEASE SAVEPOINT catalog_batch');
      return each(new PgMasterStore(this.c));
    }
  }
  async productSites(): Promise<[number, number, number | null, number | null][]> {
    const rows = await this.rows<{ p: number; s: number; l: number | null; b: number | null }>('SELECT product_id AS p, site_id AS s, low_stock_level AS l, default_bin_id AS b FROM product_sites');
    return rows.map((r) => [r.p, r.s, r.l, r.b]);
  }
  async productSiteRows(): Promise<[string, string, number | null, number, string | null][]> {
    const rows = await this.rows<{ sku: string; site: string; level: number | null; scale: number; bin: string | null }>(
      `SELECT p.sku, s.code AS site, ps.low_stock_level AS level, p.scale, b.code AS bin FROM product_sites ps JOIN products p ON p.id = ps.product_id
         JOIN sites s ON s.id = ps.site_id LEFT JOIN bins b ON b.id = ps.default_bin_id
       ORDER BY ${nocase('p.sku')}, ${nocase('s.code')}`,
    );
    return rows.map((r) => [r.sku, r.site, r.level, r.scale, r.bin]);
  }
  async setProductSite(productId: number, siteId: number, lowStockLevel: number | null, defaultBinId: number | null): Promise<void> {
    await this.c.query('DELETE FROM product_sites WHERE product_id = $1 AND site_id = $2', [productId, siteId]);
    if (lowStockLevel !== null || defaultBinId !== null) {
      await this.c.query('INSERT INTO product_sites (product_id, site_id, low_stock_level, default_bin_id) VALUES ($1, $2, $3, $4)', [productId, siteId, lowStockLevel, defaultBinId]);
    }
  }
  /** All of them in one statement (the table is one of NamedTable's, never the file's text). */
  async parkNames(table: NamedTable, ids: readonly number[]): Promise<void> {
    await this.c.query(`UPDATE ${table} SET name = ' (renaming ' || id || ')' WHERE id = ANY($1::int[])`, [ids]);
  }

  /** The versions tried in a savepoint rolled back (the client is in a transaction: the preview's or the import's). */
  tryRecipeVersions(trial: CatalogRecipeTrial, now: number): Promise<RecipeVersionRefusal[]> {
    return this.trial(tryCatalogRecipes(new PgMasterStore(this.c), new PgRecipeStore(this.c), trial, now));
  }

  /** The steps between SAVEPOINT and ROLLBACK TO it: whatever they wrote is gone, the transaction goes on. */
  private async trial<T>(steps: Steps<T>): Promise<T> {
    await this.c.query('SAVEPOINT catalog_trial');
    try {
      return await runLater(steps);
    } finally {
      await this.c.query('ROLLBACK TO SAVEPOINT catalog_trial');
      await this.c.query('RELEASE SAVEPOINT catalog_trial');
    }
  }
  /** The client is already inside the import's one transaction (catalog.pg-ops.ts): the steps write in it. */
  write<T>(steps: Steps<T>): Promise<T> {
    return runLater(steps);
  }

  /**
   * Marks where an import's write locks begin (a savepoint): everything it took after this, releaseWriteLocks gives up.
   * Only reads and rolled-back trials run between the two, so the rollback loses nothing but the locks.
   */
  async markWriteLocks(): Promise<void> {
    await this.c.query('SAVEPOINT catalog_write_locks');
  }
  /** Gives up every row and advisory lock taken since markWriteLocks (the savepoint stays, for the next round). */
  async releaseWriteLocks(): Promise<void> {
    await this.c.query('ROLLBACK TO SAVEPOINT catalog_write_locks');
  }

  /**
   * Holds the catalog against every other import until this transaction ends, before anything is read: a second server
   * importing meanwhile waits, then checks its file against what the first one wrote (and finds nothing left to do).
   */
  async lockImport(): Promise<void> {
    await this.c.query('SELECT pg_advisory_xact_lock($1, 0)', [CATALOG_IMPORT_LOCK_CLASS]);
  }
}
