import { postingMethods } from '../../shared/contract/posting.methods';
import type { HandlersFor } from '../app/dispatcher';
import { forwardToLedger } from '../app/forward-to-ledger';
import type { LedgerClient } from '../ledger/ledger-client';
import { newJobId } from '../jobs/job-owners';

/** Posting methods forward to the worker operation of their name, but one. */
export function createPostingHandlers(ledger: LedgerClient): HandlersFor<typeof postingMethods> {
  return forwardToLedger(postingMethods, ledger, {
    // Hand-written: the job id is made here, where the caller's session is known, so the run's progress goes to that session.
    'posting.start': async (input, ctx) => {
      const jobId = newJobId('posting', ctx);
      await ledger.call('posting.start', jobId, input, ctx.userId);
      return { jobId };
    },
  });
}
