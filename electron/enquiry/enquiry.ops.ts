import { join } from 'node:path';
import type { MovementFilter, MovementPageQueryParsed, StockAtDateQuery, StockBalanceQuery } from '../../shared/contract/enquiry.schemas';
import type { EnquiryLookups } from '../../shared/contract/enquiry.methods';
import type { CurrentStockPage } from '../../shared/domain';
import type {
  BatchJourney, DashboardData, StockBalanceReport, ExportJobInfo, MovementCount, MovementPage, ProductDetails, StockAtDateResult,
} from '../../shared/enquiry';
import { appDataDir } from '../app/paths';
import { businessFileStyle, businessTimeZone } from '../company/business-time-zone';
import type { WorkerContext } from '../ledger/worker-context';
import { runNow } from '../ledger/steps';
import type { AnsweredNow } from '../ledger/store-answers';
import { batchJourney } from './batch-journey';
import { BatchJourneyStore } from './batch-journey-store';
import { refineCount, refinedCountMessage } from './count-refine';
import { Dashboard } from './dashboard';
import { exportFileName, exportJobsOf } from '../exports/export-jobs';
import { MovementQuery, StatementCache } from './movement-query';
import { MovementStore } from './movement-store';
import type { EnquiryLookupRecords } from './enquiry-lookup-records';
import { EnquiryLookupStore } from './enquiry-lookup-store';
import { productDetails } from './product-details';
import { ProductDetailsStore } from './product-details-store';
import { ReportPages } from './report-pages';
import { stockBalance } from './stock-balance';
import { StockBalanceStore } from './stock-balance-store';
import { SnapshotTickStep } from './snapshot-tick-step';
import { StockSnapshots } from './stock-snapshots';
import type { LowStockQuery } from './stock-enquiry';
import { SqliteStockEnquiry, sqliteStockRecords } from './sqlite-stock-enquiry';
import type { MethodParsedInput } from '../../shared/contract/methods';


/**
 * What a snapshot tick did: nothing (close enough), a refresh on the writer (all of it, or one time-budgeted step of it with
 * more to fold: 'catching-up', so the worker ticks again soon), or a rebuild started (or running) as a job.
 */
export type SnapshotTick = 'current' | 'refreshed' | 'catching-up' | 'rebuilding';
/** A tick leaves the snapshots alone while they lack fewer movements than this (the balance column uses them up to 2,000 behind). */
export const SNAPSHOT_TICK_UNSEEN = 1_000;
/** Above this many unseen movements the tick rebuilds in a job thread instead of folding them in on the writer. */
export const SNAPSHOT_TICK_WRITER_LIMIT = 20_000;

/** Stock enquiry in the ledger worker: movements, counts, batch journey, product details, stock at a date, exports. */
export interface EnquiryOps {
  'enquiry.movements'(q: MovementPageQueryParsed): MovementPage;
  'enquiry.count'(input: MethodParsedInput<'enquiry.count'>): MovementCount;
  'enquiry.batchJourney'(input: MethodParsedInput<'enquiry.batchJourney'>): BatchJourney;
  'enquiry.productDetails'(input: MethodParsedInput<'enquiry.productDetails'>): ProductDetails;
  'enquiry.stockAt'(q: StockAtDateQuery): StockAtDateResult;
  'enquiry.lowStock'(q: LowStockQuery): CurrentStockPage;
  'enquiry.lookups'(input: MethodParsedInput<'enquiry.lookups'>): EnquiryLookups;
  'enquiry.rebuildSnapshots'(): Promise<{ snapshots: number }>;
  /** Keeps the daily snapshots near the ledger's head (the worker's timer calls it; no contract method reaches it). */
  enquirySnapshotsTick(): SnapshotTick;
  /** enquiry.exportStart: the job id is made in the main process for the caller's session (its progress goes there only). */
  'enquiry.exportStart'(jobId: string, input: MethodParsedInput<'enquiry.exportStart'>): ExportJobInfo;
  'enquiry.exports'(): ExportJobInfo[];
  'enquiry.dashboard'(input: MethodParsedInput<'enquiry.dashboard'>): Promise<DashboardData>;
  'enquiry.stockBalance'(q: StockBalanceQuery): StockBalanceReport;
  /**
   * enquiry.countRefine: starts a background exact count under the job id the main process made for the caller's session;
   * job.finished's message starts with the count ("1,234,567 movements …").
   */
  'enquiry.countRefine'(jobId: string, input: MethodParsedInput<'enquiry.countRefine'>): { jobId: string };
}

export interface EnquiryOptions {
  exportsDir?: string;
  snapshotSpacing?: number;
}

export function enquiryOps(ctx: WorkerContext, options: EnquiryOptions = {}): EnquiryOps {
  const db = ctx.ledger.db;
  const cache = new StatementCache(db);
  const snapshots = new StockSnapshots(db, { spacing: options.snapshotSpacing });
  const exportsDir = options.exportsDir ?? join(appDataDir(), 'exports');
  const exportJobs = exportJobsOf(ctx);
  let rebuilding: Promise<unknown> | null = null;
  const tickStep = new SnapshotTickStep(SNAPSHOT_TICK_WRITER_LIMIT);
  const rebuildSnapshots = () => ctx.jobs.run('snapshotRebuild', { spacing: options.snapshotSpacing }, { signal: new AbortController().signal, progress: () => {} });
  const dashboard = new Dashboard(db);
  const balances = new StockBalanceStore(db, snapshots);
  const movements = new MovementStore(db, cache);
  const head = () => movements.head();
  const lookups: AnsweredNow<EnquiryLookupRecords> = new EnquiryLookupStore(db);
  const reportState = () => movements.reportState();
  const balancePages = new ReportPages<StockBalanceReport>(reportState);
  const stock = new SqliteStockEnquiry(sqliteStockRecords(snapshots, movements, ctx.ledger.queries));
  // The last few plans, keyed by filter and ledger head: infinite scroll reuses the plan and resolved search sets.
  const plans = new Map<string, MovementQuery>();
  const queryFor = (filter: MovementFilter): MovementQuery => {
    const key = `${head()}:${JSON.stringify(filter)}`;
    let q = plans.get(key);
    if (!q) {
      q = new MovementQuery(db, filter, cache);
      if (plans.size >= 20) plans.delete(plans.keys().next().value!);
      plans.set(key, q);
    }
    return q;
  };

  return {
    'enquiry.movements': (q) => queryFor(q.filter).page(q.order, q.limit, q.after, q.before, { balanceOnDate: q.balanceOnDate }),
    'enquiry.count': ({ filter, cap }) => queryFor(filter).count(cap),
    'enquiry.batchJourney': ({ batchId }) => runNow(batchJourney(BatchJourneyStore.of(db), batchId, businessTimeZone(db))),
    'enquiry.productDetails': ({ productId }) => runNow(productDetails(ProductDetailsStore.of(db), productId)),
    'enquiry.stockAt': (q) => stock.stockAt(q, businessTimeZone(db)),
    'enquiry.lowStock': (q) => stock.lowStock(q),
    'enquiry.lookups': ({ search }) => lookups.lookups(search),
    // Computed in a job thread off one read snapshot; the writer only swaps the rows in.
    'enquiry.rebuildSnapshots': async () => ({ snapshots: await rebuildSnapshots() }),
    enquirySnapshotsTick: () => {
      if (rebuilding) return 'rebuilding';
      const { unseen, cheap } = snapshots.lag(SNAPSHOT_TICK_WRITER_LIMIT);
      if (unseen < SNAPSHOT_TICK_UNSEEN) return 'current';
      if (cheap) {
        // One step at a time, sized to a few milliseconds: a clerk's commit waits behind a tick, never behind a long fold.
        const from = performance.now();
        const { folded, behind } = snapshots.refresh(tickStep.next());
        tickStep.record(folded, performance.now() - from);
        return behind >= SNAPSHOT_TICK_UNSEEN ? 'catching-up' : 'refreshed';
      }
      // A big catch-up (a first build on a large ledger, a large import): computed in a job thread, swapped in by one write.
      const run = rebuildSnapshots()
        .catch((e: unknown) => console.warn(`Stockbook: the stock snapshots could not be brought up to date (${e instanceof Error ? e.message : String(e)}); the next tick tries again.`))
        .finally(() => {
          if (rebuilding === run) rebuilding = null;
        });
      rebuilding = run;
      return 'rebuilding';
    },
    'enquiry.exportStart': (jobId, { filter, format, summary }) => {
      /** The business time zone the file's dates are written in (the company setting; the machine's until saved). */
      const { timeZone, separator } = businessFileStyle(db);
      const file = join(exportsDir, exportFileName('movements', jobId, format, timeZone));
      return exportJobs.start({ jobId, format, file, summary, noun: 'movements' }, (to, signal, progress) => ctx.jobs.run('movementExport', { format, filter, file: to, timeZone, separator }, { signal, progress }));
    },
    'enquiry.exports': () => exportJobs.exports(),
    'enquiry.dashboard': async ({ days }) => {
      await dashboard.refresh();
      return dashboard.read(days, ctx.ledger.clock());
    },
    'enquiry.stockBalance': ({ offset, limit, ...q }) => balancePages.page(JSON.stringify(q), () => runNow(stockBalance(balances, q)), offset, limit),
    'enquiry.countRefine': (jobId, { filter }) => {
      const query = new MovementQuery(db, filter, cache);
      ctx.startJob(jobId, 'movement count', async (signal, progress) => {
        return refinedCountMessage(await refineCount(query, head(), signal, progress));
      });
      return { jobId };
    },
  };
}
