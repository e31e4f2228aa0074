import type Database from 'better-sqlite3';
import type { StockType, TrackingMode } from '../../shared/domain';
import type { BinRecord, BinStockStatus, ProductGroupRecord, ProductRecord, ProductSiteSetting, SiteKind, SiteRecord } from '../../shared/masterdata';
import { variantLabel, type VariantAxis, type VariantValues } from '../../shared/variants';
import type { EntityFields } from '../ledger/entities/columns';
import type { BinEntity, SiteEntity } from '../ledger/entities/place.entities';
import type { ProductEntity, ProductGroupEntity } from '../ledger/entities/product.entities';

/** A site's stored fields, as the rules compare and write them. */
export type SiteRow = Pick<EntityFields<typeof SiteEntity>, 'code' | 'name' | 'allowNegative' | 'active'> & { kind: SiteKind | 'external' };
export type BinRow = Pick<EntityFields<typeof BinEntity>, 'siteId' | 'code' | 'name' | 'active'> & { stockStatus: BinStockStatus };
/** Text columns narrowed to their CHECK's values, JSON columns parsed. */
export type ProductRow = Pick<
  EntityFields<typeof ProductEntity>,
  'sku' | 'name' | 'description' | 'unit' | 'scale' | 'stockKeeping' | 'lowStockLevel' | 'active' | 'groupId' | 'countryOfOrigin' | 'parentId'
> & { stockType: StockType; tracking: TrackingMode; variantAxes: VariantAxis[]; variantAttributes: VariantValues };
export type ProductGroupRow = Pick<EntityFields<typeof ProductGroupEntity>, 'code' | 'name' | 'postOnCosts' | 'active'>;

const SITE_SQL = `SELECT s.id, s.version, s.code, s.name, s.kind, s.allow_negative AS allowNegative, s.active,
  (SELECT COUNT(*) FROM bins b WHERE b.site_id = s.id) AS binCount,
  (SELECT COUNT(*) FROM stock_levels sl WHERE sl.site_id = s.id AND sl.qty <> 0) AS stockLines
  FROM sites s`;
const BIN_SQL = `SELECT b.id, b.site_id AS siteId, b.code, b.name, b.stock_status AS stockStatus, b.active,
  (SELECT COUNT(*) FROM stock_levels sl WHERE sl.bin_id = b.id AND sl.qty <> 0) AS stockLines
  FROM bins b`;
const PRODUCT_SQL = `SELECT p.id, p.version, p.sku, p.name, p.description, p.unit, p.scale, p.stock_type AS stockType, p.tracking,
  p.stock_keeping AS stockKeeping, p.low_stock_level AS lowStockLevel, p.active,
  (SELECT json_group_array(barcode) FROM (SELECT barcode FROM product_barcodes pb WHERE pb.product_id = p.id ORDER BY barcode)) AS barcodes,
  EXISTS (SELECT 1 FROM movements m WHERE m.product_id = p.id) AS hasMovements,
  (SELECT COALESCE(SUM(sl.qty), 0) FROM stock_levels sl WHERE sl.product_id = p.id) AS onHand,
  p.group_id AS groupId, (SELECT g.code FROM product_groups g WHERE g.id = p.group_id) AS groupCode,
  p.country_of_origin AS countryOfOrigin, p.parent_id AS parentId, p.variant_axes AS variantAxes, p.variant_attributes AS variantAttributes,
  (SELECT pp.variant_axes FROM products pp WHERE pp.id = p.parent_id) AS parentAxes,
  (SELECT COUNT(*) FROM products v WHERE v.parent_id = p.id) AS variantCount,
  (SELECT json_group_array(json_object('siteId', site_id, 'lowStockLevel', low_stock_level, 'defaultBinId', default_bin_id))
     FROM (SELECT * FROM product_sites ps WHERE ps.product_id = p.id ORDER BY ps.site_id)) AS sites
  FROM products p`;
const GROUP_SQL = `SELECT g.id, g.code, g.name, g.post_on_costs AS postOnCosts, g.active,
  (SELECT COUNT(*) FROM products p WHERE p.group_id = g.id) AS productCount
  FROM product_groups g`;

type Flag = 0 | 1;
type SiteSql = Omit<SiteRecord, 'allowNegative' | 'active'> & { allowNegative: Flag; active: Flag };
type BinSql = Omit<BinRecord, 'active'> & { active: Flag };
type ProductSql = Omit<
  ProductRecord,
  'stockKeeping' | 'active' | 'barcodes' | 'hasMovements' | 'sites' | 'variantAxes' | 'variantAttributes' | 'variantLabel'
> & {
  stockKeeping: Flag;
  active: Flag;
  barcodes: string;
  hasMovements: Flag;
  sites: string;
  variantAxes: string | null;
  variantAttributes: string;
  parentAxes: string | null;
};
type GroupSql = Omit<ProductGroupRecord, 'postOnCosts' | 'active'> & { postOnCosts: Flag; active: Flag };

const site = (r: SiteSql): SiteRecord => ({ ...r, allowNegative: r.allowNegative === 1, active: r.active === 1 });
const bin = (r: BinSql): BinRecord => ({ ...r, active: r.active === 1 });
const product = ({ parentAxes, ...r }: ProductSql): ProductRecord => {
  const variantAttributes = r.parentId === null ? {} : (JSON.parse(r.variantAttributes) as VariantValues);
  return {
    ...r,
    stockKeeping: r.stockKeeping === 1,
    active: r.active === 1,
    hasMovements: r.hasMovements === 1,
    barcodes: JSON.parse(r.barcodes) as string[],
    sites: JSON.parse(r.sites) as ProductSiteSetting[],
    variantAxes: r.variantAxes === null ? [] : (JSON.parse(r.variantAxes) as VariantAxis[]),
    variantAttributes,
    variantLabel: r.parentId === null ? null : variantLabel(parentAxes === null ? [] : (JSON.parse(parentAxes) as VariantAxis[]), variantAttributes),
  };
};
const group = (r: GroupSql): ProductGroupRecord => ({ ...r, postOnCosts: r.postOnCosts === 1, active: r.active === 1 });
/** The stored form of the product's variant columns: axes only on a parent, values only on a variant. */
const variantColumns = (r: ProductRow): [string | null, string] => [
  r.variantAxes.length ? JSON.stringify(r.variantAxes) : null,
  JSON.stringify(r.parentId === null ? {} : r.variantAttributes),
];
const flag = (b: boolean): Flag => (b ? 1 : 0);
/** A product's stored cells in the order of the products table's insert and update statements: sku … variant_attributes. */
export const productCells = (r: ProductRow) => {
  const [axes, values] = variantColumns(r);
  return [r.sku, r.name, r.description, r.unit, r.scale, r.stockType, r.tracking, flag(r.stockKeeping), r.lowStockLevel, flag(r.active), r.groupId, r.countryOfOrigin, r.parentId, axes, values] as const;
};
/** Who saves, when, and the version they edited (undefined: save over any version). */
export interface VersionStamp {
  version?: number;
  userId: number;
  at: number;
}

/** Every SQL statement of the master-data capability: sites, bins, products and their barcodes. */
export class MasterStore {
  private readonly s;

  constructor(readonly db: Database.Database) {
    this.s = {
      sites: db.prepare(`${SITE_SQL} ORDER BY s.kind = 'external', s.name COLLATE NOCASE`),
      site: db.prepare(`${SITE_SQL} WHERE s.id = ?`),
      siteByCode: db.prepare('SELECT id, code FROM sites WHERE code = ? COLLATE NOCASE'),
      siteByName: db.prepare('SELECT id, name FROM sites WHERE name = ? COLLATE NOCASE'),
      insertSite: db.prepare('INSERT INTO sites (code, name, kind, allow_negative, active) VALUES (?, ?, ?, ?, ?)'),
      updateSite: db.prepare(
        'UPDATE sites SET code = ?, name = ?, kind = ?, allow_negative = ?, active = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? AND (? IS NULL OR version = ?)',
      ),
      bins: db.prepare(`${BIN_SQL} WHERE b.site_id = ? ORDER BY b.code COLLATE NOCASE`),
      bin: db.prepare(`${BIN_SQL} WHERE b.id = ?`),
      binByCode: db.prepare('SELECT id, code FROM bins WHERE site_id = ? AND code = ? COLLATE NOCASE'),
      insertBin: db.prepare('INSERT INTO bins (site_id, code, name, stock_status, active) VALUES (?, ?, ?, ?, ?)'),
      updateBin: db.prepare('UPDATE bins SET code = ?, name = ?, stock_status = ?, active = ? WHERE id = ?'),
      product: db.prepare(`${PRODUCT_SQL} WHERE p.id = ?`),
      productBySku: db.prepare('SELECT id, sku FROM products WHERE sku = ? COLLATE NOCASE'),
      insertProduct: db.prepare(
        `INSERT INTO products (sku, name, description, unit, scale, stock_type, tracking, stock_keeping, low_stock_level, active,
           group_id, country_of_origin, parent_id, variant_axes, variant_attributes, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updateProduct: db.prepare(
        `UPDATE products SET sku = ?, name = ?, description = ?, unit = ?, scale = ?, stock_type = ?, tracking = ?, stock_keeping = ?,
           low_stock_level = ?, active = ?, group_id = ?, country_of_origin = ?, parent_id = ?, variant_axes = ?, variant_attributes = ?,
           version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? AND (? IS NULL OR version = ?)`,
      ),
      variants: db.prepare(`${PRODUCT_SQL} WHERE p.parent_id = ? ORDER BY p.id`),
      deleteProductSites: db.prepare('DELETE FROM product_sites WHERE product_id = ?'),
      insertProductSite: db.prepare('INSERT INTO product_sites (product_id, site_id, low_stock_level, default_bin_id) VALUES (?, ?, ?, ?)'),
      deleteProduct: db.prepare('DELETE FROM products WHERE id = ?'),
      recipeUsing: db.prepare(
        `SELECT r.sku FROM recipe_version_components c JOIN recipe_versions v ON v.id = c.version_id JOIN products r ON r.id = v.recipe_id
          WHERE c.component_id = ? ORDER BY r.sku LIMIT 1`,
      ),
      deleteRecipeComponentsOf: db.prepare('DELETE FROM recipe_version_components WHERE version_id IN (SELECT id FROM recipe_versions WHERE recipe_id = ?)'),
      deleteRecipeVersionsOf: db.prepare('DELETE FROM recipe_versions WHERE recipe_id = ?'),
      groups: db.prepare(`${GROUP_SQL} ORDER BY g.code COLLATE NOCASE`),
      group: db.prepare(`${GROUP_SQL} WHERE g.id = ?`),
      groupByCode: db.prepare('SELECT id FROM product_groups WHERE code = ? COLLATE NOCASE'),
      groupByName: db.prepare('SELECT id FROM product_groups WHERE name = ? COLLATE NOCASE'),
      insertGroup: db.prepare('INSERT INTO product_groups (code, name, post_on_costs, active) VALUES (?, ?, ?, ?)'),
      updateGroup: db.prepare('UPDATE product_groups SET code = ?, name = ?, post_on_costs = ?, active = ? WHERE id = ?'),
      barcodeOwner: db.prepare('SELECT p.id, p.sku FROM product_barcodes pb JOIN products p ON p.id = pb.product_id WHERE pb.barcode = ?'),
      deleteBarcodes: db.prepare('DELETE FROM product_barcodes WHERE product_id = ?'),
      insertBarcode: db.prepare('INSERT INTO product_barcodes (barcode, product_id) VALUES (?, ?)'),
      productHasStock: db.prepare('SELECT EXISTS (SELECT 1 FROM stock_levels WHERE product_id = ? AND qty <> 0) AS yes'),
      username: db.prepare('SELECT username FROM users WHERE id = ?'),
    };
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  sites(): SiteRecord[] {
    return (this.s.sites.all() as SiteSql[]).map(site);
  }
  site(id: number): SiteRecord | null {
    const r = this.s.site.get(id) as SiteSql | undefined;
    return r ? site(r) : null;
  }
  siteIdByCode(code: string): number | null {
    return (this.s.siteByCode.get(code) as { id: number } | undefined)?.id ?? null;
  }
  siteIdByName(name: string): number | null {
    return (this.s.siteByName.get(name) as { id: number } | undefined)?.id ?? null;
  }
  insertSite(r: SiteRow): number {
    return Number(this.s.insertSite.run(r.code, r.name, r.kind, flag(r.allowNegative), flag(r.active)).lastInsertRowid);
  }
  /** Saves the site if it is still at `version` (any version when null); false when someone saved it since. */
  updateSite(id: number, r: SiteRow, stamp: VersionStamp): boolean {
    const v = stamp.version ?? null;
    return this.s.updateSite.run(r.code, r.name, r.kind, flag(r.allowNegative), flag(r.active), stamp.at, stamp.userId, id, v, v).changes === 1;
  }

  bins(siteId: number): BinRecord[] {
    return (this.s.bins.all(siteId) as BinSql[]).map(bin);
  }
  bin(id: number): BinRecord | null {
    const r = this.s.bin.get(id) as BinSql | undefined;
    return r ? bin(r) : null;
  }
  binIdByCode(siteId: number, code: string): number | null {
    return (this.s.binByCode.get(siteId, code) as { id: number } | undefined)?.id ?? null;
  }
  insertBin(r: BinRow): number {
    return Number(this.s.insertBin.run(r.siteId, r.code, r.name, r.stockStatus, flag(r.active)).lastInsertRowid);
  }
  updateBin(id: number, r: Omit<BinRow, 'siteId'>): void {
    this.s.updateBin.run(r.code, r.name, r.stockStatus, flag(r.active), id);
  }

  product(id: number): ProductRecord | null {
    const r = this.s.product.get(id) as ProductSql | undefined;
    return r ? product(r) : null;
  }
  productIdBySku(sku: string): number | null {
    return (this.s.productBySku.get(sku) as { id: number } | undefined)?.id ?? null;
  }
  /** The product holding a barcode, if any. */
  barcodeOwner(barcode: string): { id: number; sku: string } | null {
    return (this.s.barcodeOwner.get(barcode) as { id: number; sku: string } | undefined) ?? null;
  }
  insertProduct(r: ProductRow, now: number): number {
    return Number(this.s.insertProduct.run(...productCells(r), now).lastInsertRowid);
  }
  /** Saves the product if it is still at `version` (any version when null); false when someone saved it since. */
  updateProduct(id: number, r: ProductRow, stamp: VersionStamp): boolean {
    const v = stamp.version ?? null;
    return this.s.updateProduct.run(...productCells(r), stamp.at, stamp.userId, id, v, v).changes === 1;
  }
  /** A parent's variants, oldest first. */
  variants(parentId: number): ProductRecord[] {
    return (this.s.variants.all(parentId) as ProductSql[]).map(product);
  }
  /** Replaces the product's per-site settings; a site with neither a level nor a bin keeps no row. */
  replaceProductSites(productId: number, sites: readonly ProductSiteSetting[]): void {
    this.s.deleteProductSites.run(productId);
    for (const x of sites) {
      if (x.lowStockLevel !== null || x.defaultBinId !== null) this.s.insertProductSite.run(productId, x.siteId, x.lowStockLevel, x.defaultBinId);
    }
  }
  /** The SKU of a recipe that uses the product as a component, if any. */
  recipeUsing(productId: number): string | null {
    return (this.s.recipeUsing.get(productId) as { sku: string } | undefined)?.sku ?? null;
  }
  /** Removes a product that has never moved with its barcodes, per-site settings and own recipe lines. */
  deleteProduct(id: number): void {
    this.s.deleteBarcodes.run(id);
    this.s.deleteProductSites.run(id);
    this.s.deleteRecipeComponentsOf.run(id);
    this.s.deleteRecipeVersionsOf.run(id);
    this.s.deleteProduct.run(id);
  }

  groups(): ProductGroupRecord[] {
    return (this.s.groups.all() as GroupSql[]).map(group);
  }
  group(id: number): ProductGroupRecord | null {
    const r = this.s.group.get(id) as GroupSql | undefined;
    return r ? group(r) : null;
  }
  groupIdByCode(code: string): number | null {
    return (this.s.groupByCode.get(code) as { id: number } | undefined)?.id ?? null;
  }
  groupIdByName(name: string): number | null {
    return (this.s.groupByName.get(name) as { id: number } | undefined)?.id ?? null;
  }
  insertGroup(r: ProductGroupRow): number {
    return Number(this.s.insertGroup.run(r.code, r.name, flag(r.postOnCosts), flag(r.active)).lastInsertRowid);
  }
  updateGroup(id: number, r: ProductGroupRow): void {
    this.s.updateGroup.run(r.code, r.name, flag(r.postOnCosts), flag(r.active), id);
  }
  /** True when any site, bin or batch holds a non-zero quantity of the product. */
  productHasStock(id: number): boolean {
    return (this.s.productHasStock.get(id) as { yes: Flag }).yes === 1;
  }
  replaceBarcodes(productId: number, barcodes: readonly string[]): void {
    this.s.deleteBarcodes.run(productId);
    for (const b of barcodes) this.s.insertBarcode.run(b, productId);
  }

  username(userId: number): string {
    return (this.s.username.get(userId) as { username: string } | undefined)?.username ?? `user ${userId}`;
  }
}
