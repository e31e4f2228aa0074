import { AppError } from '../../shared/contract/errors';
import { exportsMethods } from '../../shared/contract/exports.methods';
import { methods } from '../../shared/contract/methods';
import type { HandlersFor } from '../app/dispatcher';
import { forwardToLedger } from '../app/forward-to-ledger';
import type { LedgerClient } from '../ledger/ledger-client';
import type { DesktopServices } from '../shell/desktop-services';
import type { DownloadTickets } from './download-tickets';
import { newJobId } from '../jobs/job-owners';
import { needsPermission } from '../../shared/permission-names';

export function createExportsHandlers(ledger: LedgerClient, desktop: DesktopServices | null, downloads: DownloadTickets): HandlersFor<typeof exportsMethods> {
  return forwardToLedger(exportsMethods, ledger, {
    // Hand-written: the job id is made for the caller's session, and a file is written only where this desktop's Save dialog chose.
    'exports.start': async (input, ctx) => {
      // The trial balance is finance data: exporting it needs what showing it needs.
      const needs = input.what.list === 'trialBalance' ? methods['posting.trialBalance'].permission : null;
      if (needs && !ctx.permissions.includes(needs)) {
        throw new AppError('PERMISSION', needsPermission(`${ctx.username} may not export the trial balance: that`, needs));
      }
      let file: string | null = null;
      if (input.saveTo !== undefined) {
        if (!desktop?.takeChosenPath(input.saveTo)) {
          throw new AppError('VALIDATION', 'Stockbook saves an export only where you chose in the Save dialog. Choose Export again and pick where to save it.', {
            issues: [{ path: 'saveTo', message: 'not chosen in the Save dialog' }],
          });
        }
        file = input.saveTo;
      }
      return ledger.call('exports.start', newJobId('export', ctx), input.what, input.format, input.summary, file);
    },
    // Hand-written: a download ticket is issued by this process's web server.
    'exports.download': async (input) => {
      const job = await ledger.call('exports.job', input);
      if (!job || job.status !== 'done') throw new AppError('NOT_FOUND', 'That export has not finished (or was made before Stockbook restarted). Export the list again.');
      return downloads.issue(job.file);
    },
  });
}
