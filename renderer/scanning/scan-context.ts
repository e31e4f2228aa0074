import { createContext, useContext, useEffect, useRef } from 'react';
import type { ScannerConfig } from '../../shared/contract/scanner.schemas';
import type { ScanEvent } from '../../shared/scanning/scan-types';

/** What a window did with a scan: handled; the code is unknown (offer to attach it); or not for this window. */
export interface ScanOutcome {
  outcome: 'handled' | 'unknown' | 'unhandled';
  message?: string;
  intent?: 'success' | 'warning' | 'error';
}
export type ScanHandler = (scan: ScanEvent) => ScanOutcome | Promise<ScanOutcome>;

export interface ScanContextValue {
  register(handler: { current: ScanHandler }): () => void;
  config: ScannerConfig | null;
  reloadConfig(): void;
  /** This window's id: its own wedge scans come back with it as origin. */
  origin: string;
  /** A window is opening (its script loads): scans wait and go to it once it is open. Returns the release. */
  holdForWindow(): () => void;
}

export const ScanContext = createContext<ScanContextValue | null>(null);

export function useScanning(): ScanContextValue {
  const v = useContext(ScanContext);
  if (!v) throw new Error('useScanning() must be used inside <ScanProvider>');
  return v;
}

/**
 * Makes the calling window the one that gets scans while it is mounted (the latest mounted wins).
 * Pass null to take no scans (e.g. a read-only view).
 */
export function useScanTarget(handler: ScanHandler | null): void {
  const ctx = useContext(ScanContext);
  const latest = useRef<ScanHandler>(() => ({ outcome: 'unhandled' }));
  useEffect(() => {
    latest.current = handler ?? (() => ({ outcome: 'unhandled' }));
  });
  const enabled = handler !== null;
  useEffect(() => (ctx && enabled ? ctx.register(latest) : undefined), [ctx, enabled]);
}

/** Called by the "Opening…" placeholder: a scan made while the window opens goes to that window, not to nothing. */
export function useScansWaitForWindow(): void {
  const ctx = useContext(ScanContext);
  useEffect(() => ctx?.holdForWindow(), [ctx]);
}
