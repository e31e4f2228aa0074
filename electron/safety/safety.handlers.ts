import type { safetyMethods } from '../../shared/contract/safety.methods';
import type { HandlersFor } from '../app/dispatcher';
import { actorOf } from '../auth/auth.handlers';
import type { LedgerClient } from '../ledger/ledger-client';
import { newJobId } from '../jobs/job-owners';

export function createSafetyHandlers(ledger: LedgerClient): HandlersFor<typeof safetyMethods> {
  return {
    'backups.status': () => ledger.call('backupsStatus'),
    'backups.run': async (input, ctx) => {
      const jobId = newJobId('backup', ctx);
      await ledger.call('backupsRun', jobId, input, actorOf(ctx));
      return { jobId };
    },
    'backups.configure': (input, ctx) => ledger.call('backupsConfigure', input, actorOf(ctx)),
    'backups.files': () => ledger.call('backupsFiles'),
    'backups.restore': (input, ctx) => ledger.call('backupsRestore', input, actorOf(ctx)),
  };
}
