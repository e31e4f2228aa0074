import type { ShellMenuCommand } from '../../shared/desktop';

type Role =
  | 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'selectAll' | 'quit' | 'zoomIn' | 'zoomOut' | 'resetZoom' | 'togglefullscreen'
  | 'toggleDevTools' | 'minimize' | 'close' | 'about' | 'hide' | 'hideOthers' | 'unhide' | 'front' | 'services';

/** A menu item as Electron's Menu.buildFromTemplate takes it (the subset the app uses). */
export interface MenuItemSpec {
  label?: string;
  role?: Role;
  type?: 'separator' | 'submenu';
  accelerator?: string;
  /** false: the accelerator is shown but the renderer handles the key itself (Alt+1…6, Ctrl+K, F3, ?). */
  registerAccelerator?: boolean;
  submenu?: MenuItemSpec[];
  click?: () => void;
}

/** The windows Alt+1…6 switch to, in the navigation rail's order (renderer/app/routes.ts). */
export const WINDOW_SHORTCUTS: readonly { route: string; label: string }[] = [
  { route: 'enquiry', label: 'Movement Enquiry' },
  { route: 'stock', label: 'Current Stock' },
  { route: 'operations', label: 'Stock Operations' },
  { route: 'counts', label: 'Stock Counts' },
  { route: 'posting', label: 'Financial Posting' },
  { route: 'products', label: 'Products' },
];

export interface MenuActions {
  /** Sends a command to the window through the contract's 'shell.menu' event. */
  send(command: ShellMenuCommand): void;
  print(): void;
  saveAsPdf(): void;
  showLogs(): void;
  /** Forget the remembered ledger and start again on the start screen (This computer, or a Stockbook server). */
  changeLedger(): void;
  checkForUpdates(): void;
  about(): void;
}

const separator: MenuItemSpec = { type: 'separator' };

/**
 * The application menu: File, Edit, View, Window, Help with the usual Windows accelerators (and the macOS app menu
 * there). Keys the window already handles (Alt+1…6, Ctrl+K/F3, ?) are shown but left to the renderer, and the items
 * send the same command through the contract's event, so a key press and a click do one thing once.
 */
export function buildMenuTemplate(platform: NodeJS.Platform, actions: MenuActions, options: { devTools: boolean }): MenuItemSpec[] {
  const mac = platform === 'darwin';
  const rendererKey = (accelerator: string) => ({ accelerator, registerAccelerator: false });
  const file: MenuItemSpec = {
    label: '&File',
    submenu: [
      { label: '&Print…', accelerator: 'CmdOrCtrl+P', click: actions.print },
      { label: 'Save as P&DF…', accelerator: 'CmdOrCtrl+Shift+S', click: actions.saveAsPdf },
      separator,
      { label: 'C&hange ledger…', click: actions.changeLedger },
      { label: 'Show &logs', click: actions.showLogs },
      ...(mac ? [] : [separator, { label: 'E&xit', role: 'quit' as const, accelerator: 'Alt+F4' }]),
    ],
  };
  const edit: MenuItemSpec = {
    label: '&Edit',
    submenu: [
      { role: 'undo', label: '&Undo', accelerator: 'CmdOrCtrl+Z' },
      { role: 'redo', label: '&Redo', accelerator: mac ? 'Shift+Cmd+Z' : 'Ctrl+Y' },
      separator,
      { role: 'cut', label: 'Cu&t', accelerator: 'CmdOrCtrl+X' },
      { role: 'copy', label: '&Copy', accelerator: 'CmdOrCtrl+C' },
      { role: 'paste', label: '&Paste', accelerator: 'CmdOrCtrl+V' },
      { role: 'selectAll', label: 'Select &all', accelerator: 'CmdOrCtrl+A' },
      separator,
      { label: '&Search…', ...rendererKey('CmdOrCtrl+K'), click: () => actions.send({ command: 'find' }) },
    ],
  };
  const view: MenuItemSpec = {
    label: '&View',
    submenu: [
      { role: 'zoomIn', label: 'Zoom &in', accelerator: 'CmdOrCtrl+=' },
      { role: 'zoomOut', label: 'Zoom &out', accelerator: 'CmdOrCtrl+-' },
      { role: 'resetZoom', label: '&Actual size', accelerator: 'CmdOrCtrl+0' },
      separator,
      { role: 'togglefullscreen', label: '&Full screen', accelerator: mac ? 'Ctrl+Cmd+F' : 'F11' },
      ...(options.devTools ? [separator, { role: 'toggleDevTools' as const, label: '&Developer tools', accelerator: mac ? 'Alt+Cmd+I' : 'Ctrl+Shift+I' }] : []),
    ],
  };
  const windows: MenuItemSpec = {
    label: '&Window',
    submenu: [
      ...WINDOW_SHORTCUTS.map((w, i) => ({ label: w.label, ...rendererKey(`Alt+${i + 1}`), click: () => actions.send({ command: 'navigate', route: w.route }) })),
      separator,
      { role: 'minimize', label: 'Mi&nimise', accelerator: 'CmdOrCtrl+M' },
      ...(mac ? [{ role: 'front' as const }] : []),
    ],
  };
  const help: MenuItemSpec = {
    label: '&Help',
    submenu: [
      { label: '&Keyboard shortcuts', ...rendererKey('?'), click: () => actions.send({ command: 'shortcuts' }) },
      { label: 'Show &logs', click: actions.showLogs },
      { label: '&Check for updates…', click: actions.checkForUpdates },
      ...(mac ? [] : [separator, { label: '&About Stockbook', click: actions.about }]),
    ],
  };
  const appMenu: MenuItemSpec = {
    label: 'Stockbook',
    submenu: [{ role: 'about' }, separator, { role: 'services' }, separator, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, separator, { role: 'quit', accelerator: 'Cmd+Q' }],
  };
  return [...(mac ? [appMenu] : []), file, edit, view, windows, help];
}
