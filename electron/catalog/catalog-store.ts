import type { VariantAxis, VariantValues } from '../../shared/variants';
import type Database from 'better-sqlite3';
import type { StockType, TrackingMode } from '../../shared/domain';
import { runNow, type Steps } from '../ledger/steps';
import { jobWriterOf } from '../jobs/job-scope';
import { MasterStore, productCells, type ProductRow } from '../masterdata/master-store';
import { sqliteMasterCalls } from '../masterdata/sqlite-master-store';
import { RecipeStore } from '../recipes/recipe-store';
import type { RecipeVersionRefusal } from '../recipes/recipe-trial';
import { tryCatalogRecipes, type CatalogRecipeTrial } from './catalog-recipe-trial';
import type { CatalogProductRow, CatalogRecords, NamedTable, NewCatalogProduct } from './catalog-records';

type Flag = 0 | 1;

/** A record's temporary name while an import moves names between records (CatalogRecords.parkNames). */
const PARKED_NAME = "' (renaming ' || id || ')'";
/** A JSON array's element's cell i, in a batch statement (its rows' cells as one JSON array, read back by json_each). */
const cell = (i: number) => `j.value ->> ${i}`;
const PRODUCT_COLUMNS = ['sku', 'name', 'description', 'unit', 'scale', 'stock_type', 'tracking', 'stock_keeping', 'low_stock_level', 'active', 'group_id', 'country_of_origin', 'parent_id', 'variant_axes', 'variant_attributes'];
/** A constraint refused the batch (its statement was undone whole): its rows are written again one by one to name the row. */
const refusedByKey = (e: unknown) => /^SQLITE_CONSTRAINT/.test((e as { code?: unknown }).code as string);
const missing = (sku: string): never => {
  throw new Error(`the products batch returned no id for ${sku}`);
};
type ProductRaw = [number, string, string, string, string, number, StockType, TrackingMode, Flag, number | null, Flag, number | null, Flag, string | null, number | null, string | null, string | null];

/**
 * SQLite's CatalogRecords: the catalog's bulk reads (every product, barcode and group at once, so checking 100,000 rows
 * asks the database a handful of times) and the writes the master-data store has no statement for (a product's group,
 * a new product's barcodes), each answered at once on the one connection.
 */
export class CatalogStore implements CatalogRecords {
  private readonly s;

  constructor(readonly db: Database.Database) {
    this.s = {
      products: db
        .prepare(
          `SELECT p.id, p.sku, p.name, p.description, p.unit, p.scale, p.stock_type, p.tracking, p.stock_keeping, p.low_stock_level, p.active,
             p.group_id, EXISTS (SELECT 1 FROM movements m WHERE m.product_id = p.id),
             p.country_of_origin, p.parent_id, p.variant_axes, p.variant_attributes
           FROM products p`,
        )
        .raw(),
      barcodes: db.prepare('SELECT barcode, product_id FROM product_barcodes').raw(),
      stocked: db.prepare('SELECT DISTINCT product_id FROM stock_levels WHERE qty <> 0').pluck(),
      groups: db.prepare('SELECT id, code FROM product_groups ORDER BY code COLLATE NOCASE'),
      insertProducts: db.prepare(
        `INSERT INTO products (${PRODUCT_COLUMNS.join(', ')}, created_at)
         SELECT ${PRODUCT_COLUMNS.map((_, i) => cell(i)).join(', ')}, @now FROM json_each(@rows) j ORDER BY j.key
         RETURNING id, sku`,
      ),
      updateProducts: db.prepare(
        `UPDATE products SET ${PRODUCT_COLUMNS.map((c, i) => `${c} = ${cell(i + 1)}`).join(', ')}, version = version + 1, updated_at = @at, updated_by = @userId
         FROM json_each(@rows) j WHERE products.id = ${cell(0)}`,
      ),
      insertBarcode: db.prepare('INSERT INTO product_barcodes (barcode, product_id) VALUES (?, ?)'),
      productSites: db.prepare('SELECT product_id, site_id, low_stock_level, default_bin_id FROM product_sites').raw(),
      productSiteRows: db.prepare(
        `SELECT p.sku, s.code, ps.low_stock_level, p.scale, b.code FROM product_sites ps JOIN products p ON p.id = ps.product_id
           JOIN sites s ON s.id = ps.site_id LEFT JOIN bins b ON b.id = ps.default_bin_id
         ORDER BY p.sku COLLATE NOCASE, s.code COLLATE NOCASE`,
      ).raw(),
      deleteProductSite: db.prepare('DELETE FROM product_sites WHERE product_id = ? AND site_id = ?'),
      insertProductSite: db.prepare('INSERT INTO product_sites (product_id, site_id, low_stock_level, default_bin_id) VALUES (?, ?, ?, ?)'),
      parkName: {
        sites: db.prepare(`UPDATE sites SET name = ${PARKED_NAME} WHERE id = ?`),
        product_groups: db.prepare(`UPDATE product_groups SET name = ${PARKED_NAME} WHERE id = ?`),
        suppliers: db.prepare(`UPDATE suppliers SET name = ${PARKED_NAME} WHERE id = ?`),
      },
    };
  }

  /**
   * The versions tried on this connection in a transaction rolled back; from a job's read-only connection, on the writer
   * (one short transaction, rolled back too: catalog.tryRecipeVersions in CATALOG_JOB_WRITES).
   */
  tryRecipeVersions(trial: CatalogRecipeTrial, now: number): RecipeVersionRefusal[] {
    const writer = jobWriterOf(this.db);
    if (writer) return writer('catalog.tryRecipeVersions', [trial, now]) as RecipeVersionRefusal[];
    return this.trial(tryCatalogRecipes(sqliteMasterCalls(new MasterStore(this.db)), new RecipeStore(this.db), trial, now));
  }

  /** The steps inside a transaction (a savepoint when one is open) that is rolled back whatever they did. */
  private trial<T>(steps: Steps<T>): T {
    const rollback = new Error('trial only');
    let result: T | undefined;
    try {
      this.db.transaction(() => {
        result = runNow(steps);
        throw rollback;
      })();
    } catch (e) {
      if (e !== rollback) throw e;
    }
    return result as T;
  }

  write<T>(steps: Steps<T>): T {
    return this.db.transaction(() => runNow(steps))();
  }

  /** Every product, in no particular order. */
  products(): CatalogProductRow[] {
    // Raw rows made into one literal each: no per-row object from the driver, and no spread (spreading 100,000 rows
    // that then gain properties costs seconds on this V8).
    return (this.s.products.all() as ProductRaw[]).map((r) => ({
      id: r[0],
      sku: r[1],
      name: r[2],
      description: r[3],
      unit: r[4],
      scale: r[5],
      stockType: r[6],
      tracking: r[7],
      stockKeeping: r[8] === 1,
      lowStockLevel: r[9],
      active: r[10] === 1,
      groupId: r[11],
      hasMovements: r[12] === 1,
      countryOfOrigin: r[13],
      parentId: r[14],
      variantAxes: r[15] ? (JSON.parse(r[15]) as VariantAxis[]) : [],
      variantAttributes: r[16] && r[16] !== '{}' ? (JSON.parse(r[16]) as VariantValues) : {},
    }));
  }
  /** Every stored barcode with its product, in no particular order. */
  barcodes(): [string, number][] {
    return this.s.barcodes.all() as [string, number][];
  }
  /** Ids of products holding a non-zero quantity anywhere. */
  stockedProductIds(): Set<number> {
    return new Set(this.s.stocked.all() as number[]);
  }
  groups(): { id: number; code: string }[] {
    return this.s.groups.all() as { id: number; code: string }[];
  }
  /**
   * The products in one statement: the search index's trigger (products_fts) then flushes once for them, not once per
   * product (100,000 products in batches of 2,000: 2.3 s instead of 8–9 s). A statement refused by a key is undone
   * whole and its rows written again one at a time, so the refusal names its row in the rules' words (sqliteMasterCalls).
   */
  insertProducts(rows: readonly NewCatalogProduct[], now: number): number[] {
    let ids: number[];
    try {
      const got = this.s.insertProducts.all({ rows: JSON.stringify(rows.map(productCells)), now }) as { id: number; sku: string }[];
      const bySku = new Map(got.map((g) => [g.sku, g.id]));
      ids = rows.map((r) => bySku.get(r.sku) ?? missing(r.sku));
    } catch (e) {
      if (!refusedByKey(e)) throw e;
      const md = sqliteMasterCalls(new MasterStore(this.db));
      ids = rows.map((r) => md.insertProduct(r, now));
    }
    rows.forEach((r, i) => {
      for (const b of r.barcodes) this.s.insertBarcode.run(b, ids[i]);
    });
    return ids;
  }
  updateProducts(rows: readonly { id: number; row: ProductRow }[], stamp: { userId: number; at: number }): void {
    try {
      this.s.updateProducts.run({ rows: JSON.stringify(rows.map((r) => [r.id, ...productCells(r.row)])), ...stamp });
    } catch (e) {
      if (!refusedByKey(e)) throw e;
      const md = sqliteMasterCalls(new MasterStore(this.db));
      for (const r of rows) md.updateProduct(r.id, r.row, stamp);
    }
  }
  /** Every per-site setting: product id, site id, low-stock level, default bin id. */
  productSites(): [number, number, number | null, number | null][] {
    return this.s.productSites.all() as [number, number, number | null, number | null][];
  }
  /** Every per-site setting as the export writes it: SKU, site code, level, the product's decimals, bin code. */
  productSiteRows(): [string, string, number | null, number, string | null][] {
    return this.s.productSiteRows.all() as [string, string, number | null, number, string | null][];
  }
  /** One product's setting at one site; neither a level nor a bin keeps no row (as the product form stores it). */
  setProductSite(productId: number, siteId: number, lowStockLevel: number | null, defaultBinId: number | null): void {
    this.s.deleteProductSite.run(productId, siteId);
    if (lowStockLevel !== null || defaultBinId !== null) this.s.insertProductSite.run(productId, siteId, lowStockLevel, defaultBinId);
  }
  parkNames(table: NamedTable, ids: readonly number[]): void {
    for (const id of ids) this.s.parkName[table].run(id);
  }
}
