import { EXTERNAL_LINKS } from '../../shared/external-links';

/**
 * The Electron window's security settings and handlers, kept free of any `electron` import so a unit test
 * can check them (electron/main.ts applies them).
 */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  spellcheck: false,
} as const;

/** Only http(s) links may leave the app (opened in the system browser), never file:, javascript: or custom schemes. */
export function isExternalLink(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** The links the app made (shared/external-links.ts), normalised by the URL parser so a case or port variant matches. */
const APP_LINKS: ReadonlySet<string> = new Set(Object.values(EXTERNAL_LINKS).map((u) => new URL(u).href));

/** An http(s) link the app made itself: exactly one of EXTERNAL_LINKS (a query, fragment or other path is not). */
export function isAppLink(url: string): boolean {
  if (!isExternalLink(url)) return false;
  return APP_LINKS.has(new URL(url).href);
}

/**
 * `will-navigate`: the window never navigates away from the app (a link or a script cannot load another page).
 * Returns true when the navigation was blocked.
 */
export function blockNavigation(event: { preventDefault(): void }, _url: string): true {
  event.preventDefault();
  return true;
}

/**
 * `setWindowOpenHandler`: no new Electron windows, ever. A link the app made (isAppLink) is handed to the system
 * browser through `openExternal` (shell.openExternal in main.ts); anything else is dropped.
 */
export function denyWindowOpen(url: string, openExternal: (url: string) => void): { action: 'deny' } {
  if (isAppLink(url)) openExternal(url);
  return { action: 'deny' };
}

/** Refuses every permission request (camera, microphone, notifications, geolocation…): a stock ledger needs none. */
export function denyPermission(_permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}

/** The frame an IPC message came from (Electron's WebFrameMain, or null once it navigated away or was destroyed). */
export interface SenderFrame {
  url: string;
  parent: unknown;
}

/**
 * The IPC handler's guard: a call is served only from the app's own page in the window's top frame — never from an
 * iframe, a page the window was somehow navigated to, or a frame that is gone. `appUrl` is what the window loaded:
 * the renderer's index.html (file:) — then the very same file — or, in development, the dev server — then its origin.
 */
export function isAppFrame(frame: SenderFrame | null | undefined, appUrl: string): boolean {
  if (!frame || frame.parent !== null) return false;
  let from: URL;
  let app: URL;
  try {
    from = new URL(frame.url);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (app.protocol === 'file:') return from.protocol === 'file:' && from.host === app.host && decodeURIComponent(from.pathname) === decodeURIComponent(app.pathname);
  return (app.protocol === 'http:' || app.protocol === 'https:') && from.origin === app.origin;
}

/** What a refused IPC call answers (the window shows it as written). */
export const FOREIGN_FRAME_REFUSAL = {
  ok: false as const,
  error: { code: 'PERMISSION' as const, message: 'Stockbook answers only its own window. Close this page and use the Stockbook window.' },
};
