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
import { isForeignKeyViolation } from '../ledger/pg/pg-errors';
import { staleRefusal } from '../ledger/store/record-version-store';
import { barcodeForms, barcodeKey, checkBarcodes } from './barcodes';
import { refuse, taken } from './master-refusals';
import type { MasterRecords } from './master-records';
import { ask, runAsync, runSync, type Step } from './master-steps';
import type { MasterStore, ProductRow } from './master-store';
import { checkProductHistory, checkProductSite, checkTrackingScale, checkVariantParent, checkVariantValues, historyAsksStock } from './product-rules';
import { sqliteMasterCalls } from './sqlite-master-store';


/**
 * The rules of master data: unique codes and names, the External pseudo-site is fixed, a site or bin with stock
 * stays active, a used product keeps its unit and decimals, and tracking or Recipe-ness does not change under stock.
 * Every change is one transaction and one audit entry with the record before and after.
 *
 * Written once, as steps (master-steps.ts) that ask the store for what they need: SQLite answers at once inside its
 * transaction on the ledger worker (sqliteMasterData), PostgreSQL asynchronously in one transaction per change
 * (masterDataOn). A code, name or SKU another server saved meanwhile is refused by the database's unique key in the
 * rules' words; a save from an older version matches nothing in the version-checked UPDATE.
 */
export class MasterRules {
  constructor(private readonly clock: () => number = Date.now) {}

  *createSite(input: SiteCreateInput, userId: number): Step<SiteRecord> {
    yield* this.uniqueSite(input.code, input.name, null);
    const id = yield* ask.insertSite(input);
    const after = (yield* ask.site(id))!;
    yield* this.audit(userId, 'site', after.name, null, after);
    return after;
  }

  *updateSite(input: SiteUpdateInput, userId: number): Step<SiteRecord> {
    yield* ask.lockForChange('site', input.id);
    const before = yield* ask.site(input.id);
    if (!before) throw refuse('id', 'That site no longer exists. Reload the list.', 'NOT_FOUND');
    if (before.kind === 'external') {
      throw refuse('name', 'The External site stands for suppliers and customers outside the business and cannot be changed.', 'CONFLICT');
    }
    yield* this.uniqueSite(input.code, input.name, input.id);
    if (before.active && !input.active && before.stockLines > 0) {
      throw refuse(
        'active',
        `Site ${before.name} still holds stock in ${before.stockLines} place${before.stockLines === 1 ? '' : 's'}, so it cannot be deactivated. Move or write off that stock first.`,
        'CONFLICT',
      );
    }
    // Checked in the UPDATE itself: a save from an older version than the one stored writes nothing.
    if (!(yield* ask.updateSite(input.id, input, { version: input.version, userId, at: this.clock() }))) throw yield* this.stale('site', input.id, `Site ${before.name}`, before);
    const after = (yield* ask.site(input.id))!;
    yield* this.audit(userId, 'site', after.name, before, after);
    return after;
  }

  *createBin(input: BinCreateInput, userId: number): Step<BinRecord> {
    const site = yield* ask.site(input.siteId);
    if (!site) throw refuse('siteId', 'That site no longer exists. Reload the list.', 'NOT_FOUND');
    if (site.kind === 'external') throw refuse('code', 'The External site has no bins.', 'CONFLICT');
    yield* this.uniqueBin(input.siteId, site.name, input.code, null);
    const id = yield* ask.insertBin({ ...input, name: input.name || input.code });
    const after = (yield* ask.bin(id))!;
    yield* this.audit(userId, 'bin', `${site.name} ${after.code}`, null, after);
    return after;
  }

  *updateBin(input: BinUpdateInput, userId: number): Step<BinRecord> {
    yield* ask.lockForChange('bin', input.id);
    const before = yield* ask.bin(input.id);
    if (!before) throw refuse('id', 'That bin no longer exists. Reload the list.', 'NOT_FOUND');
    const site = (yield* ask.site(before.siteId))!;
    yield* this.uniqueBin(before.siteId, site.name, input.code, input.id);
    if (before.active && !input.active && before.stockLines > 0) {
      throw refuse(
        'active',
        `Bin ${before.code} at ${site.name} still holds stock in ${before.stockLines} line${before.stockLines === 1 ? '' : 's'}, so it cannot be deactivated. Move that stock to another bin first.`,
        'CONFLICT',
      );
    }
    yield* ask.updateBin(input.id, { ...input, name: input.name || input.code });
    const after = (yield* ask.bin(input.id))!;
    yield* this.audit(userId, 'bin', `${site.name} ${after.code}`, before, after);
    return after;
  }

  *createGroup(input: ProductGroupCreateInput, userId: number): Step<ProductGroupRecord> {
    yield* this.uniqueGroup(input.code, input.name, null);
    const after = (yield* ask.group(yield* ask.insertGroup(input)))!;
    yield* this.audit(userId, 'product group', after.code, null, after);
    return after;
  }

  *updateGroup(input: ProductGroupUpdateInput, userId: number): Step<ProductGroupRecord> {
    const before = yield* ask.group(input.id);
    if (!before) throw refuse('id', 'That product group no longer exists. Reload the list.', 'NOT_FOUND');
    yield* this.uniqueGroup(input.code, input.name, input.id);
    yield* ask.updateGroup(input.id, input);
    const after = (yield* ask.group(input.id))!;
    yield* this.audit(userId, 'product group', after.code, before, after);
    return after;
  }

  *createProduct(input: ProductCreateInput, userId: number): Step<ProductRecord> {
    return yield* this.insertProduct(input, userId);
  }

  *updateProduct(input: ProductUpdateInput, userId: number): Step<ProductRecord> {
    yield* ask.lockForChange('product', input.id);
    const before = yield* ask.product(input.id);
    if (!before) throw refuse('id', 'That product no longer exists. Reload the list.', 'NOT_FOUND');
    const row = yield* this.checkProduct(input, before);
    yield* this.checkHistory(before, input);
    if (!(yield* ask.updateProduct(input.id, row, { version: input.version, userId, at: this.clock() }))) {
      throw yield* this.stale('product', input.id, `Product ${before.sku}`, before);
    }
    yield* ask.replaceBarcodes(input.id, input.barcodes);
    yield* ask.replaceProductSites(input.id, input.sites);
    const after = (yield* ask.product(input.id))!;
    yield* this.audit(userId, 'product', after.sku, before, after);
    return after;
  }

  /** Removes a product that has never moved; one with movements is refused (deactivate it instead). */
  *deleteProduct(id: number, userId: number): Step<{ id: number; sku: string }> {
    yield* ask.lockForChange('product', id);
    const before = yield* ask.product(id);
    if (!before) throw refuse('id', 'That product no longer exists. Reload the list.', 'NOT_FOUND');
    const sku = before.sku;
    if (before.hasMovements) {
      throw refuse('id', `${sku} has movements, so it can never be deleted: the ledger keeps its history. Deactivate it instead (clear Active and save).`, 'CONFLICT');
    }
    if (before.variantCount > 0) {
      throw refuse('id', `${sku} has ${before.variantCount} variant${before.variantCount === 1 ? '' : 's'}. Delete its variants first, or deactivate it instead.`, 'CONFLICT');
    }
    const recipe = yield* ask.recipeUsing(id);
    if (recipe !== null) throw refuse('id', `${sku} is a component of recipe ${recipe}. Take it out of that recipe first, or deactivate it instead.`, 'CONFLICT');
    try {
      yield* ask.deleteProduct(id);
    } catch (e) {
      if (isForeignKeyViolation(e)) {
        throw refuse('id', `${sku} is still named on a document, count or draft, so it cannot be deleted. Deactivate it instead.`, 'CONFLICT');
      }
      throw e;
    }
    yield* this.audit(userId, 'product', sku, before, null);
    return { id, sku };
  }

  /**
   * Creates variants of a variant parent, all or none: each takes the parent's unit, decimals, stock type, tracking,
   * group, country and per-site settings, and its own SKU, barcodes and one value for each of the parent's attributes.
   * A refusal names the variant's row (`variants.<row>.<field>`).
   */
  *createVariants(input: VariantsCreateInput, userId: number): Step<ProductRecord[]> {
    // The parent's row lock first (PostgreSQL): a delete of the parent under way is waited for and then seen, and one
    // that starts later waits for the variants and sees them; nothing else keeps a variant from outliving its parent.
    yield* ask.lockForChange('product', input.parentId);
    const parent = yield* ask.product(input.parentId);
    if (!parent) throw refuse('parentId', 'That product no longer exists. Reload the list.', 'NOT_FOUND');
    const created: ProductRecord[] = [];
    for (const [row, v] of input.variants.entries()) {
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
        created.push(yield* this.insertProduct(fields, userId));
      } catch (e) {
        if (e instanceof AppError) {
          const field = (e.details as { field?: string } | undefined)?.field ?? 'sku';
          throw new AppError(e.code, `Variant ${row + 1}: ${e.message}`, { field: `variants.${row}.${field}` });
        }
        throw e;
      }
    }
    return created;
  }

  private *insertProduct(input: ProductCreateInput, userId: number): Step<ProductRecord> {
    const row = yield* this.checkProduct(input, null);
    const id = yield* ask.insertProduct(row, this.clock());
    yield* ask.replaceBarcodes(id, input.barcodes);
    yield* ask.replaceProductSites(id, input.sites);
    const after = (yield* ask.product(id))!;
    yield* this.audit(userId, 'product', after.sku, null, after);
    return after;
  }

  private *uniqueGroup(code: string, name: string, selfId: number | null): Step<void> {
    const byCode = yield* ask.groupIdByCode(code);
    if (byCode !== null && byCode !== selfId) throw taken.groupCode(code);
    const byName = yield* ask.groupIdByName(name);
    if (byName !== null && byName !== selfId) throw taken.groupName(name);
  }

  private *uniqueSite(code: string, name: string, selfId: number | null): Step<void> {
    const byCode = yield* ask.siteIdByCode(code);
    if (byCode !== null && byCode !== selfId) throw taken.siteCode(code);
    const byName = yield* ask.siteIdByName(name);
    if (byName !== null && byName !== selfId) throw taken.siteName(name);
  }

  private *uniqueBin(siteId: number, siteName: string, code: string, selfId: number | null): Step<void> {
    const other = yield* ask.binIdByCode(siteId, code);
    if (other !== null && other !== selfId) throw taken.binCode(code, siteName);
  }

  /** Every rule of one product's fields; returns the row to store (variant values in the parent's spelling). */
  private *checkProduct(p: ProductRow & { barcodes: string[]; sites: ProductSiteSetting[] }, before: ProductRecord | null): Step<ProductRow> {
    const selfId = before?.id ?? null;
    yield* this.checkFields(p, selfId);
    yield* this.checkGroup(p.sku, p.groupId, before);
    yield* this.checkSites(p.sku, p.sites, before);
    return { ...p, variantAttributes: yield* this.checkVariant(p, before) };
  }

  private *checkGroup(sku: string, groupId: number | null, before: ProductRecord | null): Step<void> {
    if (groupId === null) return;
    const group = yield* ask.group(groupId);
    if (!group) throw refuse('groupId', `The product group chosen for ${sku} no longer exists. Reload and choose another.`, 'NOT_FOUND');
    if (!group.active && before?.groupId !== groupId) {
      throw refuse('groupId', `Product group ${group.code} is inactive, so ${sku} cannot be put in it. Choose an active group or reactivate ${group.code}.`);
    }
  }

  private *checkSites(sku: string, sites: readonly ProductSiteSetting[], before: ProductRecord | null): Step<void> {
    const seen = new Set<number>();
    for (const x of sites) {
      const site = yield* ask.site(x.siteId);
      if (!site) throw refuse('sites', `A site in the per-site settings of ${sku} no longer exists. Reload the product.`, 'NOT_FOUND');
      checkProductSite(sku, site, null, false);
      if (seen.has(x.siteId)) throw refuse('sites', `${site.name} is listed twice in the per-site settings of ${sku}. Keep one line per site.`);
      seen.add(x.siteId);
      if (x.defaultBinId === null) continue;
      const bin = yield* ask.bin(x.defaultBinId);
      const kept = before?.sites.some((b) => b.siteId === x.siteId && b.defaultBinId === x.defaultBinId) ?? false;
      checkProductSite(sku, site, { code: bin?.code ?? '', active: bin?.active ?? false, ofSite: bin?.siteId === x.siteId }, kept);
    }
  }

  /** The variant rules: a parent lists its attributes and keeps no stock; a variant holds one value of each, unlike its siblings. */
  private *checkVariant(p: ProductRow, before: ProductRecord | null): Step<VariantValues> {
    // The variants of a product that had attributes are what the parent rule compares (read only then, as before).
    const variants = before?.variantAxes.length ? yield* ask.variants(before.id) : [];
    checkVariantParent(p, before, () => variants);
    if (p.parentId === null) return {};
    const parent = yield* ask.product(p.parentId);
    if (!parent) throw refuse('parentId', `The variant parent of ${p.sku} no longer exists. Reload the list.`, 'NOT_FOUND');
    const selfId = before?.id ?? null;
    const siblings = yield* ask.variants(parent.id);
    return checkVariantValues(p.sku, parent, p.variantAttributes, (key) => siblings.find((v) => v.id !== selfId && combinationKey(parent.variantAxes, v.variantAttributes) === key)?.sku);
  }

  private *checkFields(p: ProductRow & { barcodes: string[] }, selfId: number | null): Step<void> {
    const other = yield* ask.productIdBySku(p.sku);
    if (other !== null && other !== selfId) throw taken.sku(p.sku);
    checkTrackingScale(p);
    checkBarcodes(p.sku, p.barcodes);
    yield* ask.lockBarcodes(p.barcodes.map(barcodeKey));
    for (const code of p.barcodes) {
      for (const form of barcodeForms(code)) {
        const owner = yield* ask.barcodeOwner(form);
        if (owner && owner.id !== selfId) {
          throw refuse('barcodes', `Barcode ${code} already belongs to ${owner.sku}${form === code ? '' : ` (as ${form})`}. A barcode can belong to one product only: remove it from ${owner.sku} first, or leave it off this product.`, 'CONFLICT');
        }
      }
    }
  }

  /** Changes that would make recorded movements mean something else (whether it holds stock is read only when that matters). */
  private *checkHistory(before: ProductRecord, after: ProductUpdateInput): Step<void> {
    const hasStock = historyAsksStock(before, after) && (yield* ask.productHasStock(before.id));
    checkProductHistory(before, after, () => hasStock);
  }

  /** The refusal of a save from an older version: who saved since, and when, in the company's format. */
  private *stale(record: 'site' | 'product', id: number, label: string, current: unknown): Step<AppError> {
    const stamp = yield* ask.recordStamp(record, id);
    const changedAt = stamp?.changedAt ? yield* ask.companyTime(stamp.changedAt) : null;
    return staleRefusal(stamp, changedAt, record, id, label, current);
  }

  /** The record's id rides in the entry, so the record's History tab finds its entries by an index. */
  private *audit(userId: number, record: 'site' | 'bin' | 'product' | 'product group', label: string, before: { id: number } | null, after: { id: number } | null): Step<void> {
    const id = (after ?? before)!.id;
    const username = yield* ask.username(userId);
    yield* ask.audit({ userId, username }, 'master-data-changed', { record, id, label, before, after }, this.clock());
  }
}

/** The changes master data offers; each is one transaction and one audit entry. */
const CHANGES = ['createSite', 'updateSite', 'createBin', 'updateBin', 'createGroup', 'updateGroup', 'createProduct', 'updateProduct', 'deleteProduct', 'createVariants'] as const;
type Change = (typeof CHANGES)[number];
type Outcome<K extends Change> = ReturnType<MasterRules[K]> extends Step<infer T> ? T : never;

/** Master data on SQLite: each change runs the rules synchronously in one better-sqlite3 transaction. */
export type MasterData = { [K in Change]: (...a: Parameters<MasterRules[K]>) => Outcome<K> };
/** Master data on any MasterRecords store (PostgreSQL): each change in one transaction of that store. */
export type AsyncMasterData = { [K in Change]: (...a: Parameters<MasterRules[K]>) => Promise<Outcome<K>> };

/** The changes, each running the rules' step through `run` (given a fresh step per attempt, as a retried transaction needs). */
function changes(rules: MasterRules, run: (step: () => Step<unknown>) => unknown): Record<Change, (...a: unknown[]) => unknown> {
  const each = (name: Change) => (...args: unknown[]) => run(() => (rules[name] as (...a: unknown[]) => Step<unknown>).apply(rules, args));
  return Object.fromEntries(CHANGES.map((name) => [name, each(name)])) as Record<Change, (...a: unknown[]) => unknown>;
}

/** The rules over SQLite's MasterStore, in the ledger worker: synchronous, as the worker's operations have always been. */
export function sqliteMasterData(store: MasterStore, clock: () => number = Date.now): MasterData {
  const calls = sqliteMasterCalls(store);
  return changes(new MasterRules(clock), (step) => store.transaction(() => runSync(step(), calls))) as MasterData;
}

/** The same rules over an asynchronous store (PostgreSQL's PgMasterStore on a pool: one transaction per change, retried when the database asks). */
export function masterDataOn(records: MasterRecords, clock: () => number = Date.now): AsyncMasterData {
  return changes(new MasterRules(clock), (step) => records.transaction((tx) => runAsync(step(), tx))) as AsyncMasterData;
}
