/** Whether the transport can currently reach Stockbook (only the WebSocket bridge can lose it). */
export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting';

/** Optional capability a Bridge may have, so the UI can show a lost connection. */
export interface ConnectionAware {
  connectionStatus(): ConnectionStatus;
  onConnectionStatus(listener: (status: ConnectionStatus) => void): () => void;
}

export function isConnectionAware(value: unknown): value is ConnectionAware {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<ConnectionAware>).connectionStatus === 'function' &&
    typeof (value as Partial<ConnectionAware>).onConnectionStatus === 'function'
  );
}
