import type { Bridge } from '../../shared/contract/transport';

declare global {
  interface Window {
    /** Exposed by the Electron preload script; absent in browser mode. */
    stockbook?: Bridge;
  }
}

/** The bridge the Electron preload put on window.stockbook, if this is the desktop app. */
export function electronBridge(): Bridge | null {
  const candidate = typeof window === 'undefined' ? undefined : window.stockbook;
  if (candidate && typeof candidate.invoke === 'function' && typeof candidate.on === 'function') return candidate;
  return null;
}
