import { rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, screen, session, shell } from 'electron';
import log from 'electron-log/main';
import { autoUpdater } from 'electron-updater';
import { startStockbook, type Stockbook } from './app/compose';
import { deliverTo, type EventSink } from './auth/event-delivery';
import { appDataDir, defaultDbPath } from './app/paths';
import { APP_VERSION } from './app/version';
import { SECURITY_HEADERS } from './web/static-files';
import { blockNavigation, denyPermission, denyWindowOpen, FOREIGN_FRAME_REFUSAL, isAppFrame, SECURE_WEB_PREFERENCES } from './app/window-security';
import { RunningJobs } from './jobs/running-jobs';
import { buildMenuTemplate } from './shell/app-menu';
import { createDesktopServices } from './shell/desktop-services';
import { configureLog } from './shell/log-setup';
import { updateSettingsFile } from './shell/shell-settings';
import { claimSingleInstance } from './shell/single-instance';
import { createUpdateController } from './shell/update-controller';
import { loadWindowState, MIN_SIZE, saveWindowState } from './shell/window-state';
import { argsWithoutChoice, choiceFromArgs, ledgerChoiceFile } from './remote/desktop-ledger';
import { KnownServers } from './remote/known-servers';
import { createLedgerStart } from './remote/ledger-start';
import { downloadPinned } from './remote/pinned-tls';
import type { RemoteClient } from './remote/remote-client';
import { remoteDesktopWindow } from './remote/remote-desktop';
import type { StartBridge } from '../shared/ledger-start';

/**
 * Electron lifecycle and windows; wires IPC to the services. No SQL here: the ledger lives in its worker.
 * The shell's rules live in plain modules (electron/shell, electron/app/window-security.ts) that take Electron's
 * pieces as parameters and are unit-tested with a fake; this file only passes the real ones in.
 */
let stockbook: Stockbook | null = null;
let mainWindow: BrowserWindow | null = null;
const here = fileURLToPath(new URL('.', import.meta.url));
const appData = appDataDir();
const logFile = configureLog(log, appData, { console });
const windowStateFile = join(appData, 'window-state.json');
const rendererFile = join(here, '../renderer/index.html');
/** What the window loads; the IPC handler serves only this page in the window's top frame. */
const appUrl = process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(rendererFile).href;
const jobs = new RunningJobs();

const ask = async (q: { message: string; detail: string; yes: string; no: string }): Promise<boolean> => {
  const options = { type: 'question' as const, title: 'Stockbook', message: q.message, detail: q.detail, buttons: [q.yes, q.no], defaultId: 0, cancelId: 1 };
  const r = mainWindow ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options);
  return r.response === 0;
};

const updates = createUpdateController({
  updater: () => autoUpdater,
  currentVersion: APP_VERSION,
  settings: updateSettingsFile(join(appData, 'desktop.json')),
  ask,
  jobs,
});

const desktop = createDesktopServices({
  dialog,
  shell,
  window: () => mainWindow,
  documentsDir: app.getPath('documents'),
  writeFile: (path, data) => writeFile(path, data),
  updates,
});

function createWindow(): BrowserWindow {
  const state = loadWindowState(windowStateFile, screen);
  const win = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Stockbook',
    show: false,
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: join(here, '../preload/preload.cjs') },
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => {
    try {
      saveWindowState(windowStateFile, win);
    } catch (e) {
      log.warn('Could not remember the window position:', e);
    }
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  // The settings and handlers live in app/window-security.ts (unit-tested there).
  win.webContents.on('will-navigate', blockNavigation);
  win.webContents.on('will-redirect', blockNavigation);
  win.webContents.setWindowOpenHandler(({ url }) => denyWindowOpen(url, (u) => void shell.openExternal(u)));
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(rendererFile);
  mainWindow = win;
  return win;
}

function showMessage(message: string, detail = ''): void {
  const options = { type: 'info' as const, title: 'Stockbook', message, detail, buttons: ['OK'] };
  void (mainWindow ? dialog.showMessageBox(mainWindow, options) : dialog.showMessageBox(options));
}

async function start(): Promise<void> {
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => denyPermission(permission, callback));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [SECURITY_HEADERS['Content-Security-Policy']!] } });
  });
  log.info(`Stockbook ${APP_VERSION} starting`);
  const toWindows = (event: string, payload: unknown) => {
    for (const w of BrowserWindow.getAllWindows()) w.webContents.send('stockbook:event', event, payload);
  };
  // Until a ledger is chosen on the start screen (renderer/start), the window's calls have nothing to go to.
  let call: (method: string, input: unknown) => Promise<unknown> = async () => ({
    ok: false,
    error: { code: 'UNAVAILABLE', message: 'Choose a ledger first: this computer, or a Stockbook server.' },
  });
  let toWindow: EventSink = () => undefined;
  let ledgerName = '(none chosen yet)';
  const choiceFile = join(appData, 'ledger-choice.json');
  const knownServers = new KnownServers(join(appData, 'known-servers.json'));
  // The start steps are plain logic (electron/remote/ledger-start.ts); here only Electron's pieces are passed in.
  const ledgerStart = createLedgerStart({
    choices: ledgerChoiceFile(choiceFile),
    knownServers,
    openLocal: async () => {
      stockbook = await startStockbook({ dbPath: process.env.STOCKBOOK_DB ?? defaultDbPath(), mode: 'electron', desktop });
      const sb = stockbook;
      // The window's calls go through a sign-in session (electron/auth): its user's permissions, idle lock.
      const windowSession = await sb.openSession();
      call = (method, input) => windowSession.call(method, input);
      // The window hears what its session may hear, by the server's rules (signed in, unlocked, permitted: auth/event-delivery.ts).
      toWindow = deliverTo(windowSession, toWindows);
      sb.onEvent((event, payload) => {
        jobs.observe(event, payload); // updates wait while a posting runs
        toWindow(event, payload);
      });
      ledgerName = sb.dbPath;
      return sb.dbPath;
    },
    onServer: (remote: RemoteClient) => {
      // A client of the server: ledger calls and events pass through (the server checks sign-in and permissions);
      // desktop.* (dialogs, Open, printToPDF) runs here, and exports come down into the file chosen here.
      log.info(`Connected to the Stockbook server ${remote.address.label}`);
      const fingerprint = knownServers.pinned(remote.address) ?? '';
      const windowCalls = remoteDesktopWindow({
        server: remote,
        desktop,
        download: (path, file) => downloadPinned(remote.address, fingerprint, path, file),
        toWindow: (event, payload) => {
          jobs.observe(event as never, payload as never);
          toWindows(event, payload);
        },
      });
      call = windowCalls.call;
      toWindow = toWindows;
      remote.onStatus((status) => {
        for (const w of BrowserWindow.getAllWindows()) w.webContents.send('stockbook:connection', status === 'refused' ? 'reconnecting' : status);
        if (status === 'refused') showMessage('The Stockbook server refused the connection.', remote.refusedBecause()?.message ?? '');
      });
      ledgerName = `Stockbook server ${remote.address.label}`;
      app.on('before-quit', () => remote.close());
    },
  });
  const startOps: Record<keyof StartBridge, (...args: string[]) => Promise<unknown>> = {
    view: () => ledgerStart.view(),
    chooseLocal: () => ledgerStart.chooseLocal(),
    connect: (address) => ledgerStart.connect(address),
    trust: (address, fingerprint) => ledgerStart.trust(address, fingerprint),
    back: () => ledgerStart.back(),
  };
  ipcMain.handle('stockbook:start', (event, op: unknown, ...args: unknown[]) => {
    if (!isAppFrame(event.senderFrame, appUrl) || typeof op !== 'string' || !Object.hasOwn(startOps, op) || args.some((a) => typeof a !== 'string' || a.length > 500)) {
      return FOREIGN_FRAME_REFUSAL;
    }
    return startOps[op as keyof StartBridge](...(args as string[]));
  });
  ipcMain.handle('stockbook:invoke', (event, method: unknown, input: unknown) => {
    if (!isAppFrame(event.senderFrame, appUrl)) {
      log.warn('Refused a call from a frame that is not the Stockbook window:', event.senderFrame?.url ?? '(gone)');
      return FOREIGN_FRAME_REFUSAL;
    }
    return call(typeof method === 'string' ? method : '', input);
  });
  const template = buildMenuTemplate(
    process.platform,
    {
      send: (command) => toWindow('shell.menu', command),
      print: () => mainWindow?.webContents.print({ printBackground: false }),
      saveAsPdf: () => {
        desktop.printToPdf(`stockbook-${new Date().toISOString().slice(0, 10)}`, false).then(
          (path) => path && shell.showItemInFolder(path),
          (e: unknown) => showMessage('The PDF could not be saved.', `${e instanceof Error ? e.message : String(e)}\n\nChoose another folder and try again.`),
        );
      },
      showLogs: () => shell.showItemInFolder(logFile),
      changeLedger: () => {
        rmSync(choiceFile, { force: true });
        app.relaunch({ args: argsWithoutChoice(process.argv.slice(1)) });
        app.exit(0);
      },
      checkForUpdates: () => {
        void updates.check().then((s) => {
          if (s.phase === 'off' || s.phase === 'none' || s.phase === 'failed' || s.phase === 'deferred') showMessage(s.message);
        });
      },
      about: () => showMessage(`Stockbook ${APP_VERSION}`, `Ledger: ${ledgerName}\nLogs: ${logFile}`),
    },
    { devTools: !app.isPackaged },
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  const win = createWindow();
  // --local / --server ADDRESS, else the remembered choice; none (or a server that cannot be reached): the start screen.
  void ledgerStart.start(choiceFromArgs(process.argv) ?? ledgerChoiceFile(choiceFile).load());
  // Turning updates on in Settings is the consent to look for them; installing is asked for each time.
  win.once('ready-to-show', () => {
    if (updates.state().enabled) void updates.check();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

// One Stockbook per user: a second launch brings this window to the front and quits (electron/shell/single-instance.ts).
if (claimSingleInstance(app, () => mainWindow)) {
  app.whenReady().then(start).catch((e: unknown) => {
    log.error('Stockbook could not start:', e);
    // E.g. the ledger is in use by another program: the message names it and says what to do.
    dialog.showErrorBox('Stockbook could not start', e instanceof Error ? e.message : String(e));
    app.exit(1);
  });
}

app.on('window-all-closed', () => {
  void (stockbook?.close() ?? Promise.resolve()).finally(() => app.quit());
});
