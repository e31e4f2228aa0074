import type {
  BinCreateInput,
  BinUpdateInput,
  ProductCreateInput,
  ProductGroupCreateInput,
  ProductGroupUpdateInput,
  ProductUpdateInput,
  ProductsListInput,
  SiteCreateInput,
  SiteUpdateInput,
  VariantsCreateInput,
} from '../../shared/contract/masterdata.schemas';
import type { BinRecord, ProductGroupRecord, ProductListPage, ProductRecord, SiteRecord } from '../../shared/masterdata';
import type { WorkerContext } from '../ledger/worker-context';
import { MasterData } from './master-data';
import { MasterStore } from './master-store';

/** Master data in the ledger worker: sites, bins and products, read and changed. */
export interface MasterDataOps {
  mdSites(): SiteRecord[];
  mdSiteCreate(input: SiteCreateInput, userId: number): SiteRecord;
  mdSiteUpdate(input: SiteUpdateInput, userId: number): SiteRecord;
  mdBins(siteId: number): BinRecord[];
  mdBinCreate(input: BinCreateInput, userId: number): BinRecord;
  mdBinUpdate(input: BinUpdateInput, userId: number): BinRecord;
  mdProducts(input: ProductsListInput): ProductListPage;
  mdProductCreate(input: ProductCreateInput, userId: number): ProductRecord;
  mdProductUpdate(input: ProductUpdateInput, userId: number): ProductRecord;
  mdProductDelete(id: number, userId: number): { id: number; sku: string };
  mdVariants(parentId: number): ProductRecord[];
  mdVariantsCreate(input: VariantsCreateInput, userId: number): ProductRecord[];
  mdGroups(): ProductGroupRecord[];
  mdGroupCreate(input: ProductGroupCreateInput, userId: number): ProductGroupRecord;
  mdGroupUpdate(input: ProductGroupUpdateInput, userId: number): ProductGroupRecord;
}

export function masterDataOps(ctx: WorkerContext, clock: () => number = Date.now): MasterDataOps {
  const store = new MasterStore(ctx.ledger.db);
  const rules = new MasterData(store, clock);
  /** After a change the writer's cached products, sites and bins are stale, and open windows reload. */
  const changed = <T>(reason: string, result: T): T => {
    ctx.ledger.poster.reset();
    ctx.emit('stock.changed', { documentId: null, reason });
    return result;
  };
  return {
    mdSites: () => store.sites(),
    mdSiteCreate: (input, userId) => changed('site', rules.createSite(input, userId)),
    mdSiteUpdate: (input, userId) => changed('site', rules.updateSite(input, userId)),
    mdBins: (siteId) => store.bins(siteId),
    mdBinCreate: (input, userId) => changed('bin', rules.createBin(input, userId)),
    mdBinUpdate: (input, userId) => changed('bin', rules.updateBin(input, userId)),
    mdProducts: (input) => store.products(input.search, input.includeInactive, input.limit, input.offset),
    mdProductCreate: (input, userId) => changed('product', rules.createProduct(input, userId)),
    mdProductUpdate: (input, userId) => changed('product', rules.updateProduct(input, userId)),
    mdProductDelete: (id, userId) => changed('product', rules.deleteProduct(id, userId)),
    mdVariants: (parentId) => store.variants(parentId),
    mdVariantsCreate: (input, userId) => changed('product', rules.createVariants(input, userId)),
    mdGroups: () => store.groups(),
    mdGroupCreate: (input, userId) => changed('product group', rules.createGroup(input, userId)),
    mdGroupUpdate: (input, userId) => changed('product group', rules.updateGroup(input, userId)),
  };
}
