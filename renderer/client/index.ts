export { ClientProvider, useClient, useClientEvent, useConnectionStatus } from './client-context';
export type { ConnectionStatus } from './connection-status';
export { pickBridge } from './pick-bridge';
export { createClient } from './typed-client';
