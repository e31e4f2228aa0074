import { AppError } from '../../shared/contract/errors';
import type {
  BinCreateInput,
  BinUpdateInput,
  ProductCreateInput,
  ProductGroupCreateInput,
  ProductGroupUpdateInput,
  ProductUpdateInput,
  SiteCreateInput,
  SiteUpdateInput,
  VariantsCreateInput,
} from '../../shared/contract/masterdata.schemas';
import type { BinRecord, ProductGroupRecord, ProductRecord, ProductSiteSetting, SiteRecord } from '../../shared/masterdata';
import { combinationKey, variantLabel, type VariantValues } from '../../shared/variants';
import { audit } from '../safety/audit';
import { staleRecord } from '../ledger/store/record-version-store';
import { barcodeForms, checkBarcodes } from './barcodes';
import { refuse, taken } from './master-refusals';
import type { MasterStore, ProductRow } from './master-store';
import { checkProductHistory, checkProductSite, checkTrackingScale, checkVariantParent, checkVariantValues } from './product-rules';


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
      // Checked in the UPDATE itself: a save from an older version than the one stored writes nothing.
      if (!this.store.updateSite(input.id, input, { version: input.version, userId, at: this.clock() })) throw staleRecord(this.store.db, 'site', input.id, `Site ${before.name}`, before);
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

  createGroup(input: ProductGroupCreateInput, userId: number): ProductGroupRecord {
    return this.store.transaction(() => {
      this.uniqueGroup(input.code, input.name, null);
      const after = this.store.group(this.store.insertGroup(input))!;
      this.audit(userId, 'product group', after.code, null, after);
      return after;
    });
  }

  updateGroup(input: ProductGroupUpdateInput, userId: number): ProductGroupRecord {
    return this.store.transaction(() => {
      const before = this.store.group(input.id);
      if (!before) throw refuse('id', 'That product group no longer exists. Reload the list.', 'NOT_FOUND');
      this.uniqueGroup(input.code, input.name, input.id);
      this.store.updateGroup(input.id, input);
      const after = this.store.group(input.id)!;
      this.audit(userId, 'product group', after.code, before, after);
      return after;
    });
  }

  createProduct(input: ProductCreateInput, userId: number): ProductRecord {
    return this.store.transaction(() => this.insertProduct(input, userId));
  }

  updateProduct(input: ProductUpdateInput, userId: number): ProductRecord {
    return this.store.transaction(() => {
      const before = this.store.product(input.id);
      if (!before) throw refuse('id', 'That product no longer exists. Reload the list.', 'NOT_FOUND');
      const row = this.checkProduct(input, before);
      this.checkHistory(before, input);
      if (!this.store.updateProduct(input.id, row, { version: input.version, userId, at: this.clock() })) {
        throw staleRecord(this.store.db, 'product', input.id, `Product ${before.sku}`, before);
      }
      this.store.replaceBarcodes(input.id, input.barcodes);
      this.store.replaceProductSites(input.id, input.sites);
      const after = this.store.product(input.id)!;
      this.audit(userId, 'product', after.sku, before, after);
      return after;
    });
  }

  /** Removes a product that has never moved; one with movements is refused (deactivate it instead). */
  deleteProduct(id: number, userId: number): { id: number; sku: string } {
    return this.store.transaction(() => {
      const before = this.store.product(id);
      if (!before) throw refuse('id', 'That product no longer exists. Reload the list.', 'NOT_FOUND');
      const sku = before.sku;
      if (before.hasMovements) {
        throw refuse('id', `${sku} has movements, so it can never be deleted: the ledger keeps its history. Deactivate it instead (clear Active and save).`, 'CONFLICT');
      }
      if (before.variantCount > 0) {
        throw refuse('id', `${sku} has ${before.variantCount} variant${before.variantCount === 1 ? '' : 's'}. Delete its variants first, or deactivate it instead.`, 'CONFLICT');
      }
      const recipe = this.store.recipeUsing(id);
      if (recipe !== null) throw refuse('id', `${sku} is a component of recipe ${recipe}. Take it out of that recipe first, or deactivate it instead.`, 'CONFLICT');
      try {
        this.store.deleteProduct(id);
      } catch (e) {
        if (e instanceof Error && /FOREIGN KEY/.test(e.message)) {
          throw refuse('id', `${sku} is still named on a document, count or draft, so it cannot be deleted. Deactivate it instead.`, 'CONFLICT');
        }
        throw e;
      }
      this.audit(userId, 'product', sku, before, null);
      return { id, sku };
    });
  }

  /**
   * Creates variants of a variant parent, all or none: each takes the parent's unit, decimals, stock type, tracking,
   * group, country and per-site settings, and its own SKU, barcodes and one value for each of the parent's attributes.
   * A refusal names the variant's row (`variants.<row>.<field>`).
   */
  createVariants(input: VariantsCreateInput, userId: number): ProductRecord[] {
    return this.store.transaction(() => {
      const parent = this.store.product(input.parentId);
      if (!parent) throw refuse('parentId', 'That product no longer exists. Reload the list.', 'NOT_FOUND');
      return input.variants.map((v, row) => {
        const fields: ProductCreateInput = {
          sku: v.sku,
          name: `${parent.name} ${variantLabel(parent.variantAxes, v.values)}`.slice(0, 200),
          description: '',
          barcodes: v.barcodes,
          unit: parent.unit,
          scale: parent.scale,
          stockType: parent.stockType,
          tracking: parent.tracking,
          stockKeeping: true,
          lowStockLevel: parent.lowStockLevel,
          active: true,
          groupId: parent.groupId,
          countryOfOrigin: parent.countryOfOrigin,
          sites: parent.sites,
          variantAxes: [],
          parentId: parent.id,
          variantAttributes: v.values,
        };
        try {
          return this.insertProduct(fields, userId);
        } catch (e) {
          if (e instanceof AppError) {
            const field = (e.details as { field?: string } | undefined)?.field ?? 'sku';
            throw new AppError(e.code, `Variant ${row + 1}: ${e.message}`, { field: `variants.${row}.${field}` });
          }
          throw e;
        }
      });
    });
  }

  private insertProduct(input: ProductCreateInput, userId: number): ProductRecord {
    const row = this.checkProduct(input, null);
    const id = this.store.insertProduct(row, this.clock());
    this.store.replaceBarcodes(id, input.barcodes);
    this.store.replaceProductSites(id, input.sites);
    const after = this.store.product(id)!;
    this.audit(userId, 'product', after.sku, null, after);
    return after;
  }

  private uniqueGroup(code: string, name: string, selfId: number | null): void {
    const byCode = this.store.groupIdByCode(code);
    if (byCode !== null && byCode !== selfId) throw taken.groupCode(code);
    const byName = this.store.groupIdByName(name);
    if (byName !== null && byName !== selfId) throw taken.groupName(name);
  }

  private uniqueSite(code: string, name: string, selfId: number | null): void {
    const byCode = this.store.siteIdByCode(code);
    if (byCode !== null && byCode !== selfId) throw taken.siteCode(code);
    const byName = this.store.siteIdByName(name);
    if (byName !== null && byName !== selfId) throw taken.siteName(name);
  }

  private uniqueBin(siteId: number, siteName: string, code: string, selfId: number | null): void {
    const other = this.store.binIdByCode(siteId, code);
    if (other !== null && other !== selfId) throw taken.binCode(code, siteName);
  }

  /** Every rule of one product's fields; returns the row to store (variant values in the parent's spelling). */
  private checkProduct(p: ProductRow & { barcodes: string[]; sites: ProductSiteSetting[] }, before: ProductRecord | null): ProductRow {
    const selfId = before?.id ?? null;
    this.checkFields(p, selfId);
    this.checkGroup(p.sku, p.groupId, before);
    this.checkSites(p.sku, p.sites, before);
    return { ...p, variantAttributes: this.checkVariant(p, before) };
  }

  private checkGroup(sku: string, groupId: number | null, before: ProductRecord | null): void {
    if (groupId === null) return;
    const group = this.store.group(groupId);
    if (!group) throw refuse('groupId', `The product group chosen for ${sku} no longer exists. Reload and choose another.`, 'NOT_FOUND');
    if (!group.active && before?.groupId !== groupId) {
      throw refuse('groupId', `Product group ${group.code} is inactive, so ${sku} cannot be put in it. Choose an active group or reactivate ${group.code}.`);
    }
  }

  private checkSites(sku: string, sites: readonly ProductSiteSetting[], before: ProductRecord | null): void {
    const seen = new Set<number>();
    for (const x of sites) {
      const site = this.store.site(x.siteId);
      if (!site) throw refuse('sites', `A site in the per-site settings of ${sku} no longer exists. Reload the product.`, 'NOT_FOUND');
      checkProductSite(sku, site, null, false);
      if (seen.has(x.siteId)) throw refuse('sites', `${site.name} is listed twice in the per-site settings of ${sku}. Keep one line per site.`);
      seen.add(x.siteId);
      if (x.defaultBinId === null) continue;
      const bin = this.store.bin(x.defaultBinId);
      const kept = before?.sites.some((b) => b.siteId === x.siteId && b.defaultBinId === x.defaultBinId) ?? false;
      checkProductSite(sku, site, { code: bin?.code ?? '', active: bin?.active ?? false, ofSite: bin?.siteId === x.siteId }, kept);
    }
  }

  /** The variant rules: a parent lists its attributes and keeps no stock; a variant holds one value of each, unlike its siblings. */
  private checkVariant(p: ProductRow, before: ProductRecord | null): VariantValues {
    checkVariantParent(p, before, () => (before ? this.store.variants(before.id) : []));
    if (p.parentId === null) return {};
    const parent = this.store.product(p.parentId);
    if (!parent) throw refuse('parentId', `The variant parent of ${p.sku} no longer exists. Reload the list.`, 'NOT_FOUND');
    const selfId = before?.id ?? null;
    const siblings = () => this.store.variants(parent.id);
    return checkVariantValues(p.sku, parent, p.variantAttributes, (key) => siblings().find((v) => v.id !== selfId && combinationKey(parent.variantAxes, v.variantAttributes) === key)?.sku);
  }

  private checkFields(p: ProductRow & { barcodes: string[] }, selfId: number | null): void {
    const other = this.store.productIdBySku(p.sku);
    if (other !== null && other !== selfId) throw taken.sku(p.sku);
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

  /** The record's id rides in the entry, so the record's History tab finds its entries by an index. */
  private audit(userId: number, record: 'site' | 'bin' | 'product' | 'product group', label: string, before: { id: number } | null, after: { id: number } | null): void {
    const id = (after ?? before)!.id;
    audit(this.store.db, { userId, username: this.store.username(userId) }, 'master-data-changed', { record, id, label, before, after }, this.clock());
  }
}
