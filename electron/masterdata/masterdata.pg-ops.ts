import type { PgLedgerOps, PgOpsFactory } from '../ledger/pg/pg-ops';
import { readSnapshot } from '../ledger/pg/store/pg-read-snapshot';
import { runLater } from '../ledger/steps';
import type { AnsweredLater } from '../ledger/store-answers';
import { recordHistory } from './history-format';
import { masterDataOn } from './master-data';
import { masterChangeOps, type ChangeOpsOf } from './master-change-ops';
import { existingProduct } from './master-refusals';
import type { MasterDataOps } from './masterdata.ops';
import { PgHistoryStore } from './pg-history-store';
import { PgMasterStore } from './pg-master-store';
import { PgProductListStore } from './pg-product-list-store';
import type { ProductListRecords } from './product-list-records';

/**
 * Master data on a PostgreSQL ledger: the SQLite worker's master-data operations (masterdata.ops.ts), with the same
 * names, answers, refusals and events. Each change runs the same rules (master-data.ts, as steps) in one transaction of
 * PgMasterStore, retried from the start when the database asks; several servers may change master data at once.
 */
export const masterDataPgOps: PgOpsFactory = (ctx): Pick<PgLedgerOps, keyof MasterDataOps> => {
  const store = new PgMasterStore(ctx.pool);
  const rules = masterDataOn(store, ctx.clock);
  const list: AnsweredLater<ProductListRecords> = new PgProductListStore(ctx.pool);
  const history = new PgHistoryStore(ctx.pool);
  const product = async (id: number) => existingProduct(await store.product(id));
  /**
   * Open windows reload after a change. SQLite's operation also resets its writer's cache of products, sites and bins
   * (ctx.ledger.poster.reset()); PostgreSQL has no such cache to reset: its posting (PgLedgerStore, postInTransaction)
   * reads the products, sites and bins it posts to inside each document's transaction, under its locks, so a change
   * another server committed is seen by the next posting on every server.
   */
  const changed = async (reason: string, result: Promise<unknown>) => {
    const done = await result;
    ctx.emit('stock.changed', { documentId: null, reason });
    return done;
  };
  return {
    ...(masterChangeOps(rules, changed) as ChangeOpsOf<PgLedgerOps>),
    'masterdata.sites': () => store.sites(),
    'masterdata.bins': ({ siteId }) => store.bins(siteId),
    // Three statements (the count, the page's ids, their rows) in one snapshot: a product another server saves
    // meanwhile is in all three or in none, so the total always counts the rows the page shows.
    'masterdata.products': ({ limit, offset, ...query }) =>
      readSnapshot(ctx.pool, async (c) => {
        const { ids, total, capped } = await new PgProductListStore(c).page(query, limit, offset);
        return { rows: await new PgMasterStore(c).products(ids), total, totalCapped: capped };
      }),
    'masterdata.product': ({ id }) => product(id),
    'masterdata.productStock': ({ productId }) => list.productStock(productId),
    'masterdata.history': (input) => runLater(recordHistory(history, input)),
    'masterdata.variants': ({ parentId }) => store.variants(parentId),
    'masterdata.groups': () => store.groups(),
  };
};
