import { createContext, useCallback, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { EventName, Events } from '../../shared/contract/events';
import type { Bridge, StockbookClient } from '../../shared/contract/transport';
import { isConnectionAware, type ConnectionStatus } from './connection-status';

interface ClientContextValue {
  client: StockbookClient;
  bridge: Bridge;
}

const ClientContext = createContext<ClientContextValue | null>(null);

export function ClientProvider({ client, bridge, children }: ClientContextValue & { children: ReactNode }) {
  const [value] = useState<ClientContextValue>(() => ({ client, bridge }));
  return <ClientContext.Provider value={value}>{children}</ClientContext.Provider>;
}

function useClientContext(): ClientContextValue {
  const value = useContext(ClientContext);
  if (!value) throw new Error('useClient() must be used inside <ClientProvider>');
  return value;
}

/** The typed Stockbook client for the current window. */
export function useClient(): StockbookClient {
  return useClientContext().client;
}

/** Subscribes to a pushed event for the component's lifetime; the latest listener is always used. */
export function useClientEvent<E extends EventName>(event: E, listener: (payload: Events[E]) => void): void {
  const client = useClient();
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => client.on(event, (payload) => latest.current(payload)), [client, event]);
}

/** 'open' for Electron; for the WebSocket bridge, whether the socket is up. */
export function useConnectionStatus(): ConnectionStatus {
  const { bridge } = useClientContext();
  const subscribe = useCallback(
    (onChange: () => void) => (isConnectionAware(bridge) ? bridge.onConnectionStatus(onChange) : () => undefined),
    [bridge],
  );
  const snapshot = useCallback((): ConnectionStatus => (isConnectionAware(bridge) ? bridge.connectionStatus() : 'open'), [bridge]);
  return useSyncExternalStore(subscribe, snapshot);
}
