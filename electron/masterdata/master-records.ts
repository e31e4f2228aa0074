import type { AuditAction } from '../../shared/auth';
import type { BinRecord, ProductGroupRecord, ProductRecord, ProductSiteSetting, SiteRecord } from '../../shared/masterdata';
import type { AuditActor } from '../safety/audit';
import type { BinRow, ProductGroupRow, ProductRow, SiteRow, VersionStamp } from './master-store';

/** The version stored for a versioned record, who changed it last (display name) and when (issue 16's optimistic versioning). */
export interface RecordStamp {
  version: number;
  changedBy: string | null;
  changedAt: number | null;
}

/**
 * The master-data store both databases implement (issue 17, step two): sites, bins, product groups, products with
 * their barcodes, per-site settings and variants, the version-checked saves, and the lookups the rules of
 * master-data.ts refuse by (codes and names compared without case, as SQLite's COLLATE NOCASE does: ASCII letters only).
 *
 * Async, because PostgreSQL is a network database. SQLite meets it through sqlite-master-store.ts, which runs
 * MasterStore's prepared statements and returns settled promises; PostgreSQL through pg-master-store.ts. A write the
 * database refuses (a duplicate key, a missing reference) rejects, and inside `transaction` nothing of it stays written.
 */
export interface MasterRecords {
  /** Runs `fn` in one transaction on this store: all of it or, when it rejects, none. */
  transaction<T>(fn: (tx: MasterRecords) => Promise<T>): Promise<T>;

  sites(): Promise<SiteRecord[]>;
  site(id: number): Promise<SiteRecord | null>;
  siteIdByCode(code: string): Promise<number | null>;
  siteIdByName(name: string): Promise<number | null>;
  insertSite(r: SiteRow): Promise<number>;
  /** Saves the site if it is still at `stamp.version` (any version when undefined); false, writing nothing, when someone saved it since. */
  updateSite(id: number, r: SiteRow, stamp: VersionStamp): Promise<boolean>;

  bins(siteId: number): Promise<BinRecord[]>;
  bin(id: number): Promise<BinRecord | null>;
  binIdByCode(siteId: number, code: string): Promise<number | null>;
  insertBin(r: BinRow): Promise<number>;
  updateBin(id: number, r: Omit<BinRow, 'siteId'>): Promise<void>;

  product(id: number): Promise<ProductRecord | null>;
  productIdBySku(sku: string): Promise<number | null>;
  barcodeOwner(barcode: string): Promise<{ id: number; sku: string } | null>;
  insertProduct(r: ProductRow, now: number): Promise<number>;
  /** Saves the product if it is still at `stamp.version` (any version when undefined); false, writing nothing, when someone saved it since. */
  updateProduct(id: number, r: ProductRow, stamp: VersionStamp): Promise<boolean>;
  variants(parentId: number): Promise<ProductRecord[]>;
  replaceProductSites(productId: number, sites: readonly ProductSiteSetting[]): Promise<void>;
  replaceBarcodes(productId: number, barcodes: readonly string[]): Promise<void>;
  recipeUsing(productId: number): Promise<string | null>;
  deleteProduct(id: number): Promise<void>;
  productHasStock(id: number): Promise<boolean>;

  groups(): Promise<ProductGroupRecord[]>;
  group(id: number): Promise<ProductGroupRecord | null>;
  groupIdByCode(code: string): Promise<number | null>;
  groupIdByName(name: string): Promise<number | null>;
  insertGroup(r: ProductGroupRow): Promise<number>;
  updateGroup(id: number, r: ProductGroupRow): Promise<void>;

  username(userId: number): Promise<string>;
  /** The stored version of a site or product and who saved it last, when: what a refused stale save names. */
  recordStamp(record: 'site' | 'product', id: number): Promise<RecordStamp | null>;
  /** A time as the company writes it (its time zone and locale): what a refused stale save names. */
  companyTime(at: number): Promise<string>;
  /**
   * Holds a site, bin or product against other writers until this transaction ends, before the rules read whether it
   * holds stock: on PostgreSQL its row lock (SELECT … FOR UPDATE), which waits for any posting that share-locked the row
   * to commit, so the stock read next includes that posting; SQLite's one writer is alone, so nothing to do.
   */
  lockForChange(record: 'site' | 'bin' | 'product', id: number): Promise<void>;
  /**
   * Holds barcodes (by barcodeKey: every form of one GTIN is one key) against other writers until this transaction
   * ends, before the rules look up their owners: on PostgreSQL advisory locks, so two servers giving one GTIN in two
   * forms to two products take turns and the second sees the first's; SQLite's one writer is alone, so nothing to do.
   */
  lockBarcodes(keys: readonly string[]): Promise<void>;
  /** Appends one entry to the hash-chained audit log, in this transaction: the chain head read under the database's lock. */
  audit(actor: AuditActor, action: AuditAction, detail: Record<string, unknown>, at: number): Promise<void>;
}
