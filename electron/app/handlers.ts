import { randomUUID } from 'node:crypto';
import type { LedgerClient } from '../ledger/ledger-client';
import type { Handlers } from './dispatcher';

/** The contract's handlers: thin, each forwards to the ledger worker. */
export function createHandlers(ledger: LedgerClient, info: { version: string; mode: 'electron' | 'web'; dbPath: string }): Handlers {
  return {
    'app.info': async (_input, ctx) => {
      const [counts, user] = await Promise.all([ledger.call('counts'), ledger.call('user', ctx.username)]);
      return {
        ...info,
        productCount: counts.products,
        movementCount: counts.movements,
        siteCount: counts.sites,
        user,
      };
    },
    'sites.list': () => ledger.call('sites'),
    'stock.current': (input) => ledger.call('currentStock', input),
    'ledger.postDocument': (input, ctx) => ledger.call('postDocument', input, ctx.userId),
    'demo.load': async (input) => {
      const jobId = `demo-${randomUUID()}`;
      await ledger.call('startDemo', jobId, input);
      return { jobId };
    },
    'jobs.cancel': (input) => ledger.call('cancelJob', input.jobId),
  };
}
