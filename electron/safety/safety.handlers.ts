import { safetyMethods } from '../../shared/contract/safety.methods';
import type { HandlersFor } from '../app/dispatcher';
import { forwardToLedger } from '../app/forward-to-ledger';
import { actorOf } from '../ledger/caller';
import type { LedgerClient } from '../ledger/ledger-client';
import { newJobId } from '../jobs/job-owners';

/** Backup methods forward to the worker operation of their name, but one. */
export function createSafetyHandlers(ledger: LedgerClient): HandlersFor<typeof safetyMethods> {
  return forwardToLedger(safetyMethods, ledger, {
    // Hand-written: the job id is made here, where the caller's session is known, so the backup's progress goes to that session.
    'backups.run': async (input, ctx) => {
      const jobId = newJobId('backup', ctx);
      await ledger.call('backups.run', jobId, input, actorOf(ctx));
      return { jobId };
    },
  });
}
