import type { PoolClient, QueryResultRow } from 'pg';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import type { StockAtDateResult, StockBalanceReport } from '../../shared/enquiry';
import { PG_TIME_ZONE_READ, pgTimeZoneOf } from '../company/pg-time-zone-store';
import type { PgLedgerOps, PgOpsFactory } from '../ledger/pg/pg-ops';
import { inlined, readSnapshot, readSnapshotOpening } from '../ledger/pg/store/pg-read-snapshot';
import { runLater } from '../ledger/steps';
import { batchJourney } from './batch-journey';
import { refineCount, refinedCountMessage } from './count-refine';
import { readDashboard } from './dashboard';
import { PgBatchJourneyStore } from './pg/pg-batch-journey-store';
import { PgDashboardStore } from './pg/pg-dashboard-store';
import { PgLookupStore } from './pg/pg-lookup-store';
import { PgMovementQuery } from './pg/pg-movement-query';
import { PgMovementStore, resolvingStatements } from './pg/pg-movement-store';
import { PgProductDetailsStore } from './pg/pg-product-details-store';
import { PgStockBalanceStore } from './pg/pg-stock-balance-store';
import { PgStockEnquiry } from './pg/pg-stock-enquiry';
import { PgStockStore } from './pg/pg-stock-store';
import { productDetails } from './product-details';
import { ReportPages } from './report-pages';
import { stockBalance } from './stock-balance';

/** The Enquiry window's operations that PostgreSQL answers here (its movement exports are exports.pg-ops.ts's, beside the other exports). */
type EnquiryPgOps = Pick<
  PgLedgerOps,
  | 'enquiry.movements' | 'enquiry.count' | 'enquiry.countRefine' | 'enquiry.batchJourney' | 'enquiry.productDetails' | 'enquiry.stockAt'
  | 'enquiry.lowStock' | 'enquiry.lookups' | 'enquiry.dashboard' | 'enquiry.stockBalance' | 'enquiry.rebuildSnapshots' | 'enquirySnapshotsTick'
>;

/**
 * Stock enquiry on a PostgreSQL ledger (issue 17): the SQLite worker's names, arguments and answers (enquiry.ops.ts),
 * the rules shared with it (batch-journey.ts, product-details.ts, dashboard.ts, stock-balance.ts, stock-enquiry.ts,
 * report-pages.ts, count-refine.ts), the SQL PostgreSQL's own (enquiry/pg/). An answer read by several statements is
 * read from one snapshot (readSnapshot), so another server's posting never shows half in it; an answer shown in the
 * business time zone reads it with the snapshot's BEGIN, in one round trip (readSnapshotOpening).
 *
 * Stock at a date on PostgreSQL sums the movements in one statement (pg-stock-store.ts) and keeps no daily snapshots,
 * so the snapshot rebuild and the snapshot tick have nothing to do here, and say so: no snapshot built, nothing behind.
 */
export const enquiryPgOps: PgOpsFactory = (ctx): EnquiryPgOps => {
  const { pool } = ctx;
  const movements = new PgMovementStore(pool);
  const stockAtPages = new ReportPages<StockAtDateResult>();
  const balancePages = new ReportPages<StockBalanceReport>();
  /**
   * `work` on a read snapshot whose BEGIN round trip also reads `first` (statements of no parameters) and resolves the
   * filter's id sets (resolvingStatements, inlined): a page or a count then waits for one more round trip, not one per set.
   */
  const filtered = <T>(filter: MovementFilter, first: readonly string[], work: (c: PoolClient, query: PgMovementQuery, opened: QueryResultRow[][]) => Promise<T>): Promise<T> =>
    readSnapshotOpening(pool, [...first, ...resolvingStatements(filter).map(inlined)], (c, opened) =>
      work(c, PgMovementQuery.resolved(new PgMovementStore(c), filter, opened.slice(first.length)), opened.slice(0, first.length)));

  return {
    // The time zone and the filter's id sets read with the BEGIN, in its round trip.
    'enquiry.movements': (q) =>
      filtered(q.filter, [PG_TIME_ZONE_READ], (_c, query, [zone]) =>
        query.page(q.order, q.limit, pgTimeZoneOf(zone!), q.after, q.before, { balanceOnDate: q.balanceOnDate })),
    'enquiry.count': ({ filter, cap }) => filtered(filter, [], (c, query) => query.count(cap, () => new PgStockStore(c).head())),
    // The search's id sets (a broad document set's too) and the head from one snapshot (a product and its first
    // movements saved meanwhile are in both or in neither); the slices then read only movements up to that head, which
    // are committed and never change, so the job reads them on the pool, holding no snapshot while it counts.
    'enquiry.countRefine': async (jobId, { filter }) => {
      const { query, head } = await filtered(filter, [], async (c, query) => {
        await query.resolveDocuments();
        return { query, head: await new PgStockStore(c).head() };
      });
      const slices = query.on(movements);
      ctx.startJob(jobId, 'movement count', async (signal, progress) => refinedCountMessage(await refineCount(slices, head, signal, progress)));
      return { jobId };
    },
    'enquiry.batchJourney': ({ batchId }) =>
      readSnapshotOpening(pool, [PG_TIME_ZONE_READ], (c, [zone]) => runLater(batchJourney(new PgBatchJourneyStore(c), batchId, pgTimeZoneOf(zone!)))),
    'enquiry.productDetails': ({ productId }) => readSnapshot(pool, (c) => runLater(productDetails(new PgProductDetailsStore(c), productId))),
    'enquiry.stockAt': (q) => readSnapshotOpening(pool, [PG_TIME_ZONE_READ], (c, [zone]) => new PgStockEnquiry(c, stockAtPages).stockAt(q, pgTimeZoneOf(zone!))),
    // The same enquiry object as stock at a date (its rules tested as production runs them), on a read snapshot's client.
    'enquiry.lowStock': (q) => readSnapshot(pool, (c) => new PgStockEnquiry(c, stockAtPages).lowStock(q)),
    'enquiry.lookups': ({ search }) => readSnapshot(pool, (c) => new PgLookupStore(c).lookups(search)),
    'enquiry.dashboard': ({ days }) =>
      readSnapshotOpening(pool, [PG_TIME_ZONE_READ], (c, [zone]) => runLater(readDashboard(new PgDashboardStore(c), days, ctx.clock(), pgTimeZoneOf(zone!)))),
    'enquiry.stockBalance': ({ offset, limit, ...q }) =>
      readSnapshot(pool, async (c) => {
        const state = await new PgStockStore(c).reportState();
        return balancePages.pageAsync(state, JSON.stringify(q), () => runLater(stockBalance(new PgStockBalanceStore(c), q)), offset, limit);
      }),
    'enquiry.rebuildSnapshots': () => Promise.resolve({ snapshots: 0 }),
    enquirySnapshotsTick: () => Promise.resolve('current' as const),
  };
};
