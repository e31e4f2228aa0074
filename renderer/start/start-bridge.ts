import type { StartBridge } from '../../shared/ledger-start';

declare global {
  interface Window {
    /** Exposed by the Electron preload: the start screen's steps (which ledger). Absent in browser mode. */
    stockbookStart?: StartBridge;
  }
}

/** The desktop app's start steps, or null in a browser (there the page's server is the ledger). */
export function startBridge(): StartBridge | null {
  const candidate = typeof window === 'undefined' ? undefined : window.stockbookStart;
  return candidate && typeof candidate.view === 'function' && typeof candidate.connect === 'function' ? candidate : null;
}
