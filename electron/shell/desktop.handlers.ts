import { AppError } from '../../shared/contract/errors';
import type { desktopMethods } from '../../shared/contract/desktop.methods';
import type { HandlersFor } from '../app/dispatcher';
import type { LedgerClient } from '../ledger/ledger-client';
import type { DesktopServices } from './desktop-services';

/** Browser mode has no native dialogs or file manager: each desktop method says what to do instead. */
export const DESKTOP_ONLY = new AppError(
  'UNAVAILABLE',
  'This works only in the Stockbook desktop app. In the browser, exports download to your Downloads folder and Print uses the browser\'s print dialog.',
);

export function createDesktopHandlers(ledger: LedgerClient, desktop: DesktopServices | null): HandlersFor<typeof desktopMethods> {
  const need = (): DesktopServices => {
    if (!desktop) throw DESKTOP_ONLY;
    return desktop;
  };
  return {
    'desktop.saveDialog': async (input) => ({ path: await need().saveDialog(input.suggestedName, input.format) }),
    'desktop.openExport': async (input) => {
      const d = need();
      // Only a finished export's own file can be opened: never a path the window names.
      const job = await ledger.call('exportsJob', input.jobId);
      if (!job || job.status !== 'done') throw new AppError('NOT_FOUND', 'That export has not finished (or was made before Stockbook restarted). Export the list again.');
      return { opened: await d.open(job.file, input.show) };
    },
    'desktop.printToPdf': async (input) => ({ path: await need().printToPdf(input.suggestedName, input.landscape) }),
    'desktop.updateSettings': async () => need().updates.state(),
    'desktop.saveUpdateSettings': async (input) => need().updates.save(input),
    'desktop.checkForUpdates': async () => need().updates.check(),
  };
}
