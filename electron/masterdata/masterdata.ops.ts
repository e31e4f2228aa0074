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
import type { BinRecord, HistoryEntry, ProductGroupRecord, ProductListPage, ProductRecord, ProductSiteStock, SiteRecord } from '../../shared/masterdata';
import { runNow } from '../ledger/steps';
import type { AnsweredNow } from '../ledger/store-answers';
import type { WorkerContext } from '../ledger/worker-context';
import { sqliteMasterData } from './master-data';
import { recordHistory } from './history-format';
import { HistoryStore } from './history-store';
import { masterChangeOps, type ChangeOpsOf } from './master-change-ops';
import { existingProduct } from './master-refusals';
import { MasterStore } from './master-store';
import type { ProductListRecords } from './product-list-records';
import { ProductListStore } from './product-list-store';
import type { Caller } from '../ledger/caller';
import type { MethodParsedInput } from '../../shared/contract/methods';

/** Master data in the ledger worker: sites, bins and products, read and changed. */
export interface MasterDataOps {
  'masterdata.sites'(): SiteRecord[];
  'masterdata.siteCreate'(input: SiteCreateInput, caller: Caller): SiteRecord;
  'masterdata.siteUpdate'(input: SiteUpdateInput, caller: Caller): SiteRecord;
  'masterdata.bins'(input: MethodParsedInput<'masterdata.bins'>): BinRecord[];
  'masterdata.binCreate'(input: BinCreateInput, caller: Caller): BinRecord;
  'masterdata.binUpdate'(input: BinUpdateInput, caller: Caller): BinRecord;
  'masterdata.products'(input: ProductsListInput): ProductListPage;
  'masterdata.product'(input: MethodParsedInput<'masterdata.product'>): ProductRecord;
  'masterdata.productStock'(input: MethodParsedInput<'masterdata.productStock'>): ProductSiteStock[];
  'masterdata.history'(input: HistoryInput): HistoryEntry[];
  'masterdata.productCreate'(input: ProductCreateInput, caller: Caller): ProductRecord;
  'masterdata.productUpdate'(input: ProductUpdateInput, caller: Caller): ProductRecord;
  'masterdata.productDelete'(input: MethodParsedInput<'masterdata.productDelete'>, caller: Caller): { id: number; sku: string };
  'masterdata.variants'(input: MethodParsedInput<'masterdata.variants'>): ProductRecord[];
  'masterdata.variantsCreate'(input: VariantsCreateInput, caller: Caller): ProductRecord[];
  'masterdata.groups'(): ProductGroupRecord[];
  'masterdata.groupCreate'(input: ProductGroupCreateInput, caller: Caller): ProductGroupRecord;
  'masterdata.groupUpdate'(input: ProductGroupUpdateInput, caller: Caller): ProductGroupRecord;
}

export function masterDataOps(ctx: WorkerContext, clock: () => number = Date.now): MasterDataOps {
  const store = new MasterStore(ctx.ledger.db);
  const rules = sqliteMasterData(store, clock);
  const list: AnsweredNow<ProductListRecords> = new ProductListStore(ctx.ledger.db);
  const history = new HistoryStore(ctx.ledger.db);
  const product = (id: number) => existingProduct(store.product(id));
  /** After a change the writer's cached products, sites and bins are stale, and open windows reload. */
  const changed = (reason: string, result: unknown) => {
    ctx.ledger.poster.reset();
    ctx.emit('stock.changed', { documentId: null, reason });
    return result;
  };
  return {
    ...(masterChangeOps(rules, changed) as ChangeOpsOf<MasterDataOps>),
    'masterdata.sites': () => store.sites(),
    'masterdata.bins': ({ siteId }) => store.bins(siteId),
    'masterdata.products': ({ limit, offset, ...query }) => {
      const { ids, total, capped } = list.page(query, limit, offset);
      return { rows: ids.map(product), total, totalCapped: capped };
    },
    'masterdata.product': ({ id }) => product(id),
    'masterdata.productStock': ({ productId }) => list.productStock(productId),
    'masterdata.history': (input) => runNow(recordHistory(history, input)),
    'masterdata.variants': ({ parentId }) => store.variants(parentId),
    'masterdata.groups': () => store.groups(),
  };
}
