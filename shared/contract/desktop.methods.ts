import type { DesktopUpdateSettings, DesktopUpdateState } from '../desktop';
import { method, returns } from './define-method';
import { openExportSchema, printPdfSchema, saveDialogSchema, updateSettingsSchema } from './exports.schemas';
import { emptySchema } from './schemas';

/** What only the desktop app can do (native dialogs, the file manager, printToPDF, updates); browser mode refuses each with a reason. */
export const desktopMethods = {
  'desktop.saveDialog': method({
    input: saveDialogSchema,
    result: returns<{ path: string | null }>(),
    permission: 'read:stock',
    description: 'Ask where to save a file',
  }),
  'desktop.openExport': method({
    input: openExportSchema,
    result: returns<{ opened: boolean }>(),
    permission: 'read:stock',
    description: 'Open a finished export or its folder',
  }),
  'desktop.printToPdf': method({
    input: printPdfSchema,
    result: returns<{ path: string | null }>(),
    permission: 'read:stock',
    description: 'Save the window as a PDF',
  }),
  'desktop.updateSettings': method({
    input: emptySchema,
    result: returns<DesktopUpdateSettings & DesktopUpdateState>(),
    permission: 'read:stock',
    description: 'Show the update settings',
  }),
  'desktop.saveUpdateSettings': method({
    input: updateSettingsSchema,
    result: returns<DesktopUpdateSettings & DesktopUpdateState>(),
    permission: 'manage:settings',
    description: 'Change the update settings',
  }),
  'desktop.checkForUpdates': method({
    input: emptySchema,
    result: returns<DesktopUpdateState>(),
    permission: 'manage:settings',
    description: 'Check for a new version (it is installed only when you agree)',
  }),
} as const;
