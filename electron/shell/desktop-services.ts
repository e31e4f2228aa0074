import { dirname, extname, join } from 'node:path';
import type { DesktopUpdateSettings, DesktopUpdateState } from '../../shared/desktop';
import type { MessageBoxLike, SaveDialogLike, ShellLike, WindowLike } from './electron-seam';

export type SaveFormat = 'csv' | 'xlsx' | 'pdf';

/**
 * What only the desktop shell can do, handed to the composition root by electron/main.ts (browser mode has none).
 * createDesktopServices builds it from Electron's pieces, passed in (a fake in the unit tests).
 */
export interface DesktopServices {
  /** The native Save dialog; the chosen path, or null when the user cancelled. */
  saveDialog(suggestedName: string, format: SaveFormat): Promise<string | null>;
  /** True once for a path the Save dialog returned: an export may only be written where the user chose. */
  takeChosenPath(path: string): boolean;
  /** Opens a file with its program, or shows it in its folder. */
  open(file: string, show: 'file' | 'folder'): Promise<boolean>;
  /** Saves the window as a PDF where the user chooses; null when cancelled. */
  printToPdf(suggestedName: string, landscape: boolean): Promise<string | null>;
  updates: DesktopUpdates;
}

export interface DesktopUpdates {
  state(): DesktopUpdateSettings & DesktopUpdateState;
  save(settings: DesktopUpdateSettings): DesktopUpdateSettings & DesktopUpdateState;
  check(): Promise<DesktopUpdateState>;
}

const FILTERS: Record<SaveFormat, { name: string; extensions: string[] }> = {
  csv: { name: 'CSV (comma separated)', extensions: ['csv'] },
  xlsx: { name: 'Excel workbook', extensions: ['xlsx'] },
  pdf: { name: 'PDF document', extensions: ['pdf'] },
};

export interface DesktopDeps {
  dialog: SaveDialogLike & MessageBoxLike;
  shell: ShellLike;
  /** The app's window (dialogs are modal to it; printToPDF prints it). */
  window(): WindowLike | null;
  /** Where the first Save dialog opens (the user's Documents). */
  documentsDir: string;
  writeFile(path: string, data: Uint8Array): Promise<void>;
  updates: DesktopUpdates;
}

export function createDesktopServices(deps: DesktopDeps): DesktopServices {
  const chosen = new Set<string>();
  let folder = deps.documentsDir;
  const modal = () => deps.window() as never;

  const saveDialog = async (suggestedName: string, format: SaveFormat): Promise<string | null> => {
    const name = extname(suggestedName).toLowerCase() === `.${format}` ? suggestedName : `${suggestedName}.${format}`;
    const r = await deps.dialog.showSaveDialog(modal(), { title: 'Save as', defaultPath: join(folder, name), buttonLabel: 'Save', filters: [FILTERS[format]] });
    if (r.canceled || !r.filePath) return null;
    const path = extname(r.filePath) ? r.filePath : `${r.filePath}.${format}`;
    folder = dirname(path);
    return path;
  };

  return {
    saveDialog: async (suggestedName, format) => {
      const path = await saveDialog(suggestedName, format);
      if (path) chosen.add(path);
      return path;
    },
    takeChosenPath: (path) => chosen.delete(path),
    open: async (file, show) => {
      if (show === 'folder') {
        deps.shell.showItemInFolder(file);
        return true;
      }
      const problem = await deps.shell.openPath(file);
      if (problem) {
        await deps.dialog.showMessageBox(modal(), { type: 'warning', title: 'Stockbook', message: 'The file could not be opened.', detail: `${problem}\n\nIt is saved at ${file}; open it from there.` });
        return false;
      }
      return true;
    },
    printToPdf: async (suggestedName, landscape) => {
      const win = deps.window();
      if (!win) return null;
      const path = await saveDialog(suggestedName, 'pdf');
      if (!path) return null;
      // The page's @media print rules apply: only the report sheet is printed, on white.
      const pdf = await win.webContents.printToPDF({ landscape, printBackground: false, pageSize: 'A4', generateTaggedPDF: true });
      await deps.writeFile(path, pdf);
      return path;
    },
    updates: deps.updates,
  };
}
