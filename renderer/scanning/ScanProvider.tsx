import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ScannerConfig } from '../../shared/contract/scanner.schemas';
import type { ScanEvent } from '../../shared/scanning/scan-types';
import { useClient, useClientEvent } from '../client';
import { ScanContext, type ScanContextValue, type ScanHandler, type ScanOutcome } from './scan-context';
import { ScanNotice, type Notice } from './ScanNotice';
import { ScannedProductDialog } from './ScannedProductDialog';
import { useKeyboardWedge } from './use-keyboard-wedge';

const newId = () => (typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`);

/**
 * Scanning for one window: keyboard-wedge capture (submitted to the main-process queue), and routing of the
 * queue's scan.received events — one at a time, in queue order — to the window in focus: the latest mounted
 * scan target; with none, the scanned product is shown; an unknown code is said so with an offer to attach it.
 */
export function ScanProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const [origin] = useState(newId);
  const [config, setConfig] = useState<ScannerConfig | null>(null);
  const targets = useRef<{ current: ScanHandler }[]>([]);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const lastSeq = useRef(0);
  const pending = useRef<ScanEvent | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [log, setLog] = useState<{ seq: number; code: string; outcome: string }[]>([]);
  const [shown, setShown] = useState<ScanEvent | null>(null);
  /** Windows opening now, and the scans waiting for them to open. */
  const opening = useRef(0);
  const waitingForWindow = useRef<(() => void)[]>([]);
  const holdForWindow = useCallback(() => {
    opening.current += 1;
    return () => {
      opening.current -= 1;
      // After this commit's effects: the window that replaced "Opening…" has registered its scan target by then.
      setTimeout(() => {
        if (opening.current) return;
        const waiting = waitingForWindow.current;
        waitingForWindow.current = [];
        for (const go of waiting) go();
      }, 0);
    };
  }, []);

  const reloadConfig = useCallback(() => {
    client.call('scanner.status', {}).then(
      (r) => setConfig(r.config),
      () => undefined,
    );
  }, [client]);
  useEffect(reloadConfig, [reloadConfig]);

  const deliver = useCallback(async (scan: ScanEvent) => {
    if (opening.current) await new Promise<void>((go) => waitingForWindow.current.push(go));
    const target = targets.current[targets.current.length - 1];
    let result: ScanOutcome;
    try {
      result = target ? await target.current(scan) : { outcome: 'unhandled' };
    } catch (e) {
      result = { outcome: 'handled', intent: 'error', message: e instanceof Error ? e.message : String(e) };
    }
    const code = scan.parsed.data;
    setLog((l) => [...l.slice(-49), { seq: scan.seq, code, outcome: result.outcome }]);
    if (result.outcome === 'unhandled') {
      if (scan.resolution.product) {
        setShown(scan);
        setNotice({ scan, intent: 'info', text: scan.resolution.message, unknown: false });
        return;
      }
      setNotice({ scan, intent: 'warning', text: scan.resolution.message, unknown: true });
      return;
    }
    if (result.outcome === 'unknown') {
      setNotice({ scan, intent: 'warning', text: result.message ?? scan.resolution.message, unknown: true });
      return;
    }
    setNotice({ scan, intent: result.intent ?? 'success', text: result.message ?? scan.resolution.message, unknown: false });
  }, []);

  const route = useCallback(
    (scan: ScanEvent) => {
      if (scan.source === 'test' || scan.seq <= lastSeq.current) return;
      if (scan.origin !== null ? scan.origin !== origin : !document.hasFocus()) return;
      lastSeq.current = scan.seq;
      chain.current = chain.current.then(() => deliver(scan));
    },
    [deliver, origin],
  );
  useClientEvent('scan.received', route);

  const wedge = config && config.mode !== 'hid' ? config.wedge : null;
  useKeyboardWedge(wedge, (code) => {
    client.call('scanner.submit', { code, scanId: newId(), origin, source: 'wedge' }).then(
      // The reply carries the same event: route it if the push was missed (e.g. a reconnect); seq keeps it once.
      route,
      (e: unknown) => setNotice({ scan: null, intent: 'error', text: e instanceof Error ? e.message : String(e), unknown: false }),
    );
  });

  const value = useMemo<ScanContextValue>(
    () => ({
      register: (handler) => {
        targets.current.push(handler);
        const waiting = pending.current;
        if (waiting) {
          pending.current = null;
          chain.current = chain.current.then(() => deliver(waiting));
        }
        return () => {
          targets.current = targets.current.filter((t) => t !== handler);
        };
      },
      config,
      reloadConfig,
      origin,
      holdForWindow,
    }),
    [config, reloadConfig, origin, deliver, holdForWindow],
  );

  return (
    <ScanContext.Provider value={value}>
      <ScanNotice notice={notice} log={log} onDismiss={() => setNotice(null)} />
      {children}
      <ScannedProductDialog
        scan={shown}
        onClose={() => setShown(null)}
        onOpenInEnquiry={(scan) => {
          setShown(null);
          pending.current = scan;
          location.hash = '#/enquiry';
        }}
      />
    </ScanContext.Provider>
  );
}
