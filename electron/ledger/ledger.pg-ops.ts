import { AppError } from '../../shared/contract/errors';
import { PgUsersStore } from '../auth/pg-users-store';
import { PgStockStore } from '../enquiry/pg/pg-stock-store';
import { ledgerUser, type CountsRecords, type SiteListRecords } from './core-reads';
import type { PgOpsFactory } from './pg/pg-ops';
import { PgCoreStore } from './pg/store/pg-core-store';
import { PgSiteList } from './pg/store/pg-site-list';
import { verifyPg } from './pg/store/pg-verify-store';
import { runLater } from './steps';
import type { AnsweredLater } from './store-answers';

/** What the user is told for demo data on a PostgreSQL ledger: where demo data is made instead. */
export const DEMO_NOT_ON_POSTGRES =
  'Demo data loads only into a new SQLite ledger file, not into a PostgreSQL ledger (a shared database is no place for made-up stock). Nothing was changed. Make a demo file with: stockbook demo --db NEW.db';

/**
 * The core ledger's operations on PostgreSQL (the twins of ledger.ops.ts's coreOps): counts, sites, the current stock
 * page, the signed-in user, job cancel and the full verify. Demo data is refused (see DEMO_NOT_ON_POSTGRES).
 */
export const corePgOps: PgOpsFactory = (ctx) => {
  const core: AnsweredLater<CountsRecords> = new PgCoreStore(ctx.pool);
  const sites: AnsweredLater<SiteListRecords> = new PgSiteList(ctx.pool);
  const users = new PgUsersStore(ctx.pool);
  const stock = new PgStockStore(ctx.pool);
  return {
    counts: () => core.counts(),
    'sites.list': () => sites.list(),
    'stock.current': (q) => stock.current(q),
    user: (username) => runLater(ledgerUser(users, username)),
    'demo.load': () => Promise.reject(new AppError('UNAVAILABLE', DEMO_NOT_ON_POSTGRES)),
    'jobs.cancel': async ({ jobId }) => ({ cancelled: ctx.cancelJob(jobId) }),
    // Always a full pass in one snapshot: every movement hashed and held to every anchor (pg-verify-store.ts).
    'ledger.verify': async () => ({ ...(await verifyPg(ctx.pool)), mode: { kind: 'full' } }),
  };
};
