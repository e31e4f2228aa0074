import type {
  BinCreateInput,
  BinUpdateInput,
  ProductCreateInput,
  ProductGroupCreateInput,
  ProductGroupUpdateInput,
  ProductUpdateInput,
  HistoryInput,
  ProductsListInput,
  SiteCreateInput,
  SiteUpdateInput,
  VariantsCreateInput,
} from '../../shared/contract/masterdata.schemas';
import { AppError } from '../../shared/contract/errors';
import type { BinRecord, HistoryEntry, ProductGroupRecord, ProductListPage, ProductRecord, ProductSiteStock, SiteRecord } from '../../shared/masterdata';
import type { WorkerContext } from '../ledger/worker-context';
import { MasterData } from './master-data';
import { historyEntry } from './history-format';
import { HistoryStore } from './history-store';
import { MasterStore } from './master-store';
import { ProductListStore } from './product-list-store';

/** Master data in the ledger worker: sites, bins and products, read and changed. */
export interface MasterDataOps {
  mdSites(): SiteRecord[];
  mdSiteCreate(input: SiteCreateInput, userId: number): SiteRecord;
  mdSiteUpdate(input: SiteUpdateInput, userId: number): SiteRecord;
  mdBins(siteId: number): BinRecord[];
  mdBinCreate(input: BinCreateInput, userId: number): BinRecord;
  mdBinUpdate(input: BinUpdateInput, userId: number): BinRecord;
  mdProducts(input: ProductsListInput): ProductListPage;
  mdProduct(id: number): ProductRecord;
  mdProductStock(productId: number): ProductSiteStock[];
  mdHistory(input: HistoryInput): HistoryEntry[];
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
  const list = new ProductListStore(ctx.ledger.db);
  const history = new HistoryStore(ctx.ledger.db);
  const product = (id: number) => {
    const p = store.product(id);
    if (!p) throw new AppError('NOT_FOUND', 'That product no longer exists. Reload the list.');
    return p;
  };
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
    mdProducts: ({ limit, offset, ...query }) => {
      const { ids, total, capped } = list.page(query, limit, offset);
      return { rows: ids.map(product), total, totalCapped: capped };
    },
    mdProduct: product,
    mdProductStock: (productId) => list.stockBySite(productId),
    mdHistory: (input) => history.entries(input.record, input.id).map(historyEntry),
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
