import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, session, shell } from 'electron';
import { startStockbook, type Stockbook } from './app/compose';
import { defaultDbPath } from './app/paths';
import { SECURITY_HEADERS } from './web/static-files';
import { blockNavigation, denyPermission, denyWindowOpen, SECURE_WEB_PREFERENCES } from './app/window-security';

/** Electron lifecycle and windows; wires IPC to the services. No SQL here: the ledger lives in its worker. */
let stockbook: Stockbook | null = null;
const here = fileURLToPath(new URL('.', import.meta.url));


function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Stockbook',
    show: false,
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: join(here, '../preload/preload.cjs') },
  });
  win.once('ready-to-show', () => win.show());
  // The settings and handlers live in app/window-security.ts (unit-tested there).
  win.webContents.on('will-navigate', blockNavigation);
  win.webContents.on('will-redirect', blockNavigation);
  win.webContents.setWindowOpenHandler(({ url }) => denyWindowOpen(url, (u) => void shell.openExternal(u)));
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(join(here, '../renderer/index.html'));
  return win;
}

app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => denyPermission(permission, callback));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [SECURITY_HEADERS['Content-Security-Policy']!] } });
  });
  stockbook = await startStockbook({ dbPath: process.env.STOCKBOOK_DB ?? defaultDbPath(), mode: 'electron' });
  const sb = stockbook;
  // The window's calls go through a sign-in session (electron/auth): its user's permissions, idle lock.
  const windowSession = await sb.openSession();
  ipcMain.handle('stockbook:invoke', (_event, method: unknown, input: unknown) => windowSession.call(typeof method === 'string' ? method : '', input));
  sb.onEvent((event, payload) => {
    if (!windowSession.receivesEvents()) return; // signed out or locked: the window hears nothing
    for (const w of BrowserWindow.getAllWindows()) w.webContents.send('stockbook:event', event, payload);
  });
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}).catch((e: unknown) => {
  console.error('Stockbook could not start:', e);
  // E.g. the ledger is in use by another program: the message names it and says what to do.
  dialog.showErrorBox('Stockbook could not start', e instanceof Error ? e.message : String(e));
  app.exit(1);
});

app.on('window-all-closed', () => {
  void stockbook?.close().finally(() => app.quit());
});
