import type { AuditAction } from '../../shared/auth';
import type { ProductSiteSetting } from '../../shared/masterdata';
import { companyDateTime } from '../company/company-time';
import { recordStamp } from '../ledger/store/record-version-store';
import { audit, type AuditActor } from '../safety/audit';
import type { MasterRecords, RecordStamp } from './master-records';
import type { SyncMasterCalls } from './master-steps';
import { takenKey, type Keyed } from './master-refusals';
import type { BinRow, MasterStore, ProductGroupRow, ProductRow, SiteRow, VersionStamp } from './master-store';

/** A unique key's refusal as the rules word it ("UNIQUE constraint failed: sites.code"); any other error as it came. */
function refusing<T>(write: () => T, r: Keyed): T {
  try {
    return write();
  } catch (e) {
    const key = e instanceof Error ? /^UNIQUE constraint failed: (\w+\.\w+)$/.exec(e.message)?.[1] : undefined;
    throw (key && takenKey(key, r)) || e;
  }
}

/**
 * The calls the master-data rules make, answered at once on SQLite: MasterStore's prepared statements, the stamp a
 * stale save names, the company's time format, and the audit log (audit.ts: its head read in the same transaction,
 * the one writer orders the chain).
 */
export function sqliteMasterCalls(store: MasterStore): SyncMasterCalls {
  const extra = {
    recordStamp: (record: 'site' | 'product', id: number): RecordStamp | null => recordStamp(store.db, record, id),
    companyTime: (at: number) => companyDateTime(store.db, at),
    // The one writer is alone: nothing posts between the rules' read and their write.
    lockForChange: (): void => undefined,
    lockBarcodes: (): void => undefined,
    audit: (actor: AuditActor, action: AuditAction, detail: Record<string, unknown>, at: number) => audit(store.db, actor, action, detail, at),
    // A code, name or SKU the rules checked free but a unique key refuses (a catalog import checks its file, then another
    // save on the one writer may come before its write): refused in the rules' words, never the key's.
    insertSite: (r: SiteRow) => refusing(() => store.insertSite(r), r),
    updateSite: (id: number, r: SiteRow, stamp: VersionStamp) => refusing(() => store.updateSite(id, r, stamp), r),
    insertProduct: (r: ProductRow, now: number) => refusing(() => store.insertProduct(r, now), r),
    updateProduct: (id: number, r: ProductRow, stamp: VersionStamp) => refusing(() => store.updateProduct(id, r, stamp), r),
    insertGroup: (r: ProductGroupRow) => refusing(() => store.insertGroup(r), r),
    updateGroup: (id: number, r: ProductGroupRow) => refusing(() => store.updateGroup(id, r), r),
  };
  return Object.assign(Object.create(store) as MasterStore, extra);
}

/**
 * SQLite's side of MasterRecords: MasterStore's synchronous prepared statements behind the async interface. Each call
 * runs to completion before it returns (a settled promise); a refused write rejects it. The app's master-data rules
 * run on the ledger worker through sqliteMasterCalls (synchronously, master-data.ts), so SQLite's path and speed are unchanged.
 */
export class SqliteMasterRecords implements MasterRecords {
  private depth = 0;
  private readonly calls: SyncMasterCalls;

  constructor(readonly store: MasterStore) {
    this.calls = sqliteMasterCalls(store);
  }

  /** A savepoint per level: the callbacks' promises are settled, so nothing else runs on the connection meanwhile. */
  async transaction<T>(fn: (tx: MasterRecords) => Promise<T>): Promise<T> {
    const name = `master_records_${++this.depth}`;
    this.store.db.exec(`SAVEPOINT ${name}`);
    try {
      const result = await fn(this);
      this.store.db.exec(`RELEASE ${name}`);
      return result;
    } catch (e) {
      this.store.db.exec(`ROLLBACK TO ${name}`);
      this.store.db.exec(`RELEASE ${name}`);
      throw e;
    } finally {
      this.depth--;
    }
  }

  async sites() { return this.store.sites(); }
  async site(id: number) { return this.store.site(id); }
  async siteIdByCode(code: string) { return this.store.siteIdByCode(code); }
  async siteIdByName(name: string) { return this.store.siteIdByName(name); }
  async insertSite(r: SiteRow) { return this.calls.insertSite(r); }
  async updateSite(id: number, r: SiteRow, stamp: VersionStamp) { return this.calls.updateSite(id, r, stamp); }

  async bins(siteId: number) { return this.store.bins(siteId); }
  async bin(id: number) { return this.store.bin(id); }
  async binIdByCode(siteId: number, code: string) { return this.store.binIdByCode(siteId, code); }
  async insertBin(r: BinRow) { return this.store.insertBin(r); }
  async updateBin(id: number, r: Omit<BinRow, 'siteId'>) { this.store.updateBin(id, r); }

  async product(id: number) { return this.store.product(id); }
  async productIdBySku(sku: string) { return this.store.productIdBySku(sku); }
  async barcodeOwner(barcode: string) { return this.store.barcodeOwner(barcode); }
  async insertProduct(r: ProductRow, now: number) { return this.calls.insertProduct(r, now); }
  async updateProduct(id: number, r: ProductRow, stamp: VersionStamp) { return this.calls.updateProduct(id, r, stamp); }
  async variants(parentId: number) { return this.store.variants(parentId); }
  async replaceProductSites(productId: number, sites: readonly ProductSiteSetting[]) { this.store.replaceProductSites(productId, sites); }
  async replaceBarcodes(productId: number, barcodes: readonly string[]) { this.store.replaceBarcodes(productId, barcodes); }
  async recipeUsing(productId: number) { return this.store.recipeUsing(productId); }
  async deleteProduct(id: number) { this.store.deleteProduct(id); }
  async productHasStock(id: number) { return this.store.productHasStock(id); }

  async groups() { return this.store.groups(); }
  async group(id: number) { return this.store.group(id); }
  async groupIdByCode(code: string) { return this.store.groupIdByCode(code); }
  async groupIdByName(name: string) { return this.store.groupIdByName(name); }
  async insertGroup(r: ProductGroupRow) { return this.calls.insertGroup(r); }
  async updateGroup(id: number, r: ProductGroupRow) { this.calls.updateGroup(id, r); }

  async username(userId: number) { return this.store.username(userId); }
  async recordStamp(record: 'site' | 'product', id: number): Promise<RecordStamp | null> { return this.calls.recordStamp(record, id); }
  async companyTime(at: number) { return this.calls.companyTime(at); }
  async lockForChange(record: 'site' | 'bin' | 'product', id: number) { this.calls.lockForChange(record, id); }
  async lockBarcodes(keys: readonly string[]) { this.calls.lockBarcodes(keys); }
  async audit(actor: AuditActor, action: AuditAction, detail: Record<string, unknown>, at: number) { this.calls.audit(actor, action, detail, at); }
}
