import { appMethods } from '../../shared/contract/app.methods';
import type { LedgerClient } from '../ledger/ledger-client';
import type { HandlersFor } from './dispatcher';
import { forwardToLedger } from './forward-to-ledger';
import { newJobId } from '../jobs/job-owners';

export interface AppFacts {
  version: string;
  mode: 'electron' | 'web';
  dbPath: string;
  /** A PostgreSQL ledger's "host:port/database" (AppInfo.postgres); absent on a ledger file. */
  postgres?: string;
}

export function createAppHandlers(ledger: LedgerClient, facts: AppFacts): HandlersFor<typeof appMethods> {
  return forwardToLedger(appMethods, ledger, {
    // Hand-written: the app's own facts (version, mode, file) join the ledger's counts and the caller's user.
    'app.info': async (_input, ctx) => {
      const [counts, user] = await Promise.all([ledger.call('counts'), ledger.call('user', ctx.username)]);
      return { ...facts, productCount: counts.products, movementCount: counts.movements, siteCount: counts.sites, user };
    },
    // Hand-written: the job id is made for the caller's session, so the demo's progress goes to that session.
    'demo.load': async (input, ctx) => {
      const jobId = newJobId('demo', ctx);
      await ledger.call('demo.load', jobId, input);
      return { jobId };
    },
  });
}
