import { AppError } from '../../shared/contract/errors';
import type {
  BinCreateInput,
  BinUpdateInput,
  ProductCreateInput,
  ProductUpdateInput,
  SiteCreateInput,
  SiteUpdateInput,
} from '../../shared/contract/masterdata.schemas';
import type { BinRecord, ProductRecord, SiteRecord } from '../../shared/masterdata';
import { audit } from '../safety/audit';
import { barcodeForms, checkBarcodes } from './barcodes';
import type { MasterStore, ProductRow } from './master-store';
import { checkProductHistory, checkTrackingScale } from './product-rules';

/** A refusal about one field of a form, so the window can mark that field. */
const refuse = (field: string, message: string, code: 'VALIDATION' | 'CONFLICT' | 'NOT_FOUND' = 'VALIDATION') => new AppError(code, message, { field });

/**
 * The rules of master data: unique codes and names, the External pseudo-site is fixed, a site or bin with stock
 * stays active, a used product keeps its unit and decimals, and tracking or Recipe-ness does not change under stock.
 * Every change is one transaction and one audit entry with the record before and after.
 */
export class MasterData {
  constructor(private readonly store: MasterStore, private readonly clock: () => number = Date.now) {}

  createSite(input: SiteCreateInput, userId: number): SiteRecord {
    return this.store.transaction(() => {
      this.uniqueSite(input.code, input.name, null);
      const id = this.store.insertSite(input);
      const after = this.store.site(id)!;
      this.audit(userId, 'site', after.name, null, after);
      return after;
    });
  }

  updateSite(input: SiteUpdateInput, userId: number): SiteRecord {
    return this.store.transaction(() => {
      const before = this.store.site(input.id);
      if (!before) throw refuse('id', 'That site no longer exists. Reload the list.', 'NOT_FOUND');
      if (before.kind === 'external') {
        throw refuse('name', 'The External site stands for suppliers and customers outside the business and cannot be changed.', 'CONFLICT');
      }
      this.uniqueSite(input.code, input.name, input.id);
      if (before.active && !input.active && before.stockLines > 0) {
        throw refuse(
          'active',
          `Site ${before.name} still holds stock in ${before.stockLines} place${before.stockLines === 1 ? '' : 's'}, so it cannot be deactivated. Move or write off that stock first.`,
          'CONFLICT',
        );
      }
      this.store.updateSite(input.id, input);
      const after = this.store.site(input.id)!;
      this.audit(userId, 'site', after.name, before, after);
      return after;
    });
  }

  createBin(input: BinCreateInput, userId: number): BinRecord {
    return this.store.transaction(() => {
      const site = this.store.site(input.siteId);
      if (!site) throw refuse('siteId', 'That site no longer exists. Reload the list.', 'NOT_FOUND');
      if (site.kind === 'external') throw refuse('code', 'The External site has no bins.', 'CONFLICT');
      this.uniqueBin(input.siteId, site.name, input.code, null);
      const id = this.store.insertBin({ ...input, name: input.name || input.code });
      const after = this.store.bin(id)!;
      this.audit(userId, 'bin', `${site.name} ${after.code}`, null, after);
      return after;
    });
  }

  updateBin(input: BinUpdateInput, userId: number): BinRecord {
    return this.store.transaction(() => {
      const before = this.store.bin(input.id);
      if (!before) throw refuse('id', 'That bin no longer exists. Reload the list.', 'NOT_FOUND');
      const site = this.store.site(before.siteId)!;
      this.uniqueBin(before.siteId, site.name, input.code, input.id);
      if (before.active && !input.active && before.stockLines > 0) {
        throw refuse(
          'active',
          `Bin ${before.code} at ${site.name} still holds stock in ${before.stockLines} line${before.stockLines === 1 ? '' : 's'}, so it cannot be deactivated. Move that stock to another bin first.`,
          'CONFLICT',
        );
      }
      this.store.updateBin(input.id, { ...input, name: input.name || input.code });
      const after = this.store.bin(input.id)!;
      this.audit(userId, 'bin', `${site.name} ${after.code}`, before, after);
      return after;
    });
  }

  createProduct(input: ProductCreateInput, userId: number): ProductRecord {
    return this.store.transaction(() => {
      this.checkProduct(input, null);
      const id = this.store.insertProduct(input, this.clock());
      this.store.replaceBarcodes(id, input.barcodes);
      const after = this.store.product(id)!;
      this.audit(userId, 'product', after.sku, null, after);
      return after;
    });
  }

  updateProduct(input: ProductUpdateInput, userId: number): ProductRecord {
    return this.store.transaction(() => {
      const before = this.store.product(input.id);
      if (!before) throw refuse('id', 'That product no longer exists. Reload the list.', 'NOT_FOUND');
      this.checkProduct(input, input.id);
      this.checkHistory(before, input);
      this.store.updateProduct(input.id, input);
      this.store.replaceBarcodes(input.id, input.barcodes);
      const after = this.store.product(input.id)!;
      this.audit(userId, 'product', after.sku, before, after);
      return after;
    });
  }

  private uniqueSite(code: string, name: string, selfId: number | null): void {
    const byCode = this.store.siteIdByCode(code);
    if (byCode !== null && byCode !== selfId) throw refuse('code', `Another site already has the code ${code}. Choose a different code.`, 'CONFLICT');
    const byName = this.store.siteIdByName(name);
    if (byName !== null && byName !== selfId) throw refuse('name', `Another site is already called ${name}. Choose a different name.`, 'CONFLICT');
  }

  private uniqueBin(siteId: number, siteName: string, code: string, selfId: number | null): void {
    const other = this.store.binIdByCode(siteId, code);
    if (other !== null && other !== selfId) throw refuse('code', `${siteName} already has a bin ${code}. Choose a different code.`, 'CONFLICT');
  }

  private checkProduct(p: ProductRow & { barcodes: string[] }, selfId: number | null): void {
    const other = this.store.productIdBySku(p.sku);
    if (other !== null && other !== selfId) throw refuse('sku', `Another product already has the SKU ${p.sku}. Choose a different SKU.`, 'CONFLICT');
    checkTrackingScale(p);
    checkBarcodes(p.sku, p.barcodes);
    for (const code of p.barcodes) {
      for (const form of barcodeForms(code)) {
        const owner = this.store.barcodeOwner(form);
        if (owner && owner.id !== selfId) {
          throw refuse('barcodes', `Barcode ${code} already belongs to ${owner.sku}${form === code ? '' : ` (as ${form})`}. A barcode can belong to one product only.`, 'CONFLICT');
        }
      }
    }
  }

  /** Changes that would make recorded movements mean something else. */
  private checkHistory(before: ProductRecord, after: ProductUpdateInput): void {
    checkProductHistory(before, after, () => this.store.productHasStock(before.id));
  }

  private audit(userId: number, record: 'site' | 'bin' | 'product', label: string, before: unknown, after: unknown): void {
    audit(this.store.db, { userId, username: this.store.username(userId) }, 'master-data-changed', { record, label, before, after }, this.clock());
  }
}
