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
