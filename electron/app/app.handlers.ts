import type { appMethods } from '../../shared/contract/app.methods';
import type { LedgerClient } from '../ledger/ledger-client';
import type { HandlersFor } from './dispatcher';
import { newJobId } from '../jobs/job-owners';

export interface AppFacts {
  version: string;
  mode: 'electron' | 'web';
  dbPath: string;
}

export function createAppHandlers(ledger: LedgerClient, facts: AppFacts): HandlersFor<typeof appMethods> {
  return {
    'app.info': async (_input, ctx) => {
      const [counts, user] = await Promise.all([ledger.call('counts'), ledger.call('user', ctx.username)]);
      return { ...facts, productCount: counts.products, movementCount: counts.movements, siteCount: counts.sites, user };
    },
    'demo.load': async (input, ctx) => {
      const jobId = newJobId('demo', ctx);
      await ledger.call('startDemo', jobId, input);
      return { jobId };
    },
    'jobs.cancel': (input) => ledger.call('cancelJob', input.jobId),
  };
}
