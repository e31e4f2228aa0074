import { AppError } from '../../shared/contract/errors';
import type { desktopMethods } from '../../shared/contract/desktop.methods';
import type { HandlersFor } from '../app/dispatcher';
import type { ExportJobInfo } from '../../shared/enquiry';
import type { DesktopServices } from './desktop-services';

/** Browser mode has no native dialogs or file manager: each desktop method says what to do instead. */
export const DESKTOP_ONLY = new AppError(
  'UNAVAILABLE',
  'This works only in the Stockbook desktop app. In the browser, exports download to your Downloads folder and Print uses the browser\'s print dialog.',
);

/**
 * `exportJob` finds an export made for this desktop: the ledger's own job record on this computer; on a Stockbook
 * server, the desktop's record of the file that came down to it (electron/remote/remote-desktop.ts).
 */
export function createDesktopHandlers(
  exportJob: (jobId: string) => Promise<Pick<ExportJobInfo, 'status' | 'file'> | null>,
  desktop: DesktopServices | null,
): HandlersFor<typeof desktopMethods> {
  const need = (): DesktopServices => {
    if (!desktop) throw DESKTOP_ONLY;
    return desktop;
  };
  return {
    'desktop.saveDialog': async (input) => ({ path: await need().saveDialog(input.suggestedName, input.format) }),
    'desktop.openExport': async (input) => {
      const d = need();
      // Only a finished export's own file can be opened: never a path the window names.
      const job = await exportJob(input.jobId);
      if (!job || job.status !== 'done') throw new AppError('NOT_FOUND', 'That export has not finished (or was made before Stockbook restarted). Export the list again.');
      return { opened: await d.open(job.file, input.show) };
    },
    'desktop.printToPdf': async (input) => ({ path: await need().printToPdf(input.suggestedName, input.landscape) }),
    'desktop.updateSettings': async () => need().updates.state(),
    'desktop.saveUpdateSettings': async (input) => need().updates.save(input),
    'desktop.checkForUpdates': async () => need().updates.check(),
  };
}
