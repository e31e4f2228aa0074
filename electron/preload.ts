import { contextBridge, ipcRenderer } from 'electron';
import type { Bridge, CallOutcome } from '../shared/contract/transport';
import type { StartBridge, StartView } from '../shared/ledger-start';

type Status = 'connecting' | 'open' | 'reconnecting';
let status: Status = 'open';
const statusListeners = new Set<(s: Status) => void>();
// On a Stockbook server, main tells the window when the connection is lost and back (renderer/client/connection-status.ts).
ipcRenderer.on('stockbook:connection', (_e, s: Status) => {
  status = s;
  for (const l of [...statusListeners]) l(s);
});

/** Exposes the typed contract's transport and the connection's state, nothing else. */
const bridge: Bridge & { connectionStatus(): Status; onConnectionStatus(l: (s: Status) => void): () => void } = {
  connectionStatus: () => status,
  onConnectionStatus: (listener) => {
    statusListeners.add(listener);
    return () => statusListeners.delete(listener);
  },
  invoke: (method, input) => ipcRenderer.invoke('stockbook:invoke', method, input) as Promise<CallOutcome>,
  on: (event, listener) => {
    const handler = (_e: unknown, name: string, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on('stockbook:event', handler);
    return () => ipcRenderer.off('stockbook:event', handler);
  },
};

contextBridge.exposeInMainWorld('stockbook', bridge);

/** The start screen's steps (renderer/start): which ledger, a new server's fingerprint, a changed one refused. */
const start = (op: keyof StartBridge, ...args: string[]) => ipcRenderer.invoke('stockbook:start', op, ...args) as Promise<StartView>;
const startBridge: StartBridge = {
  view: () => start('view'),
  chooseLocal: () => start('chooseLocal'),
  connect: (address) => start('connect', address),
  trust: (address, fingerprint) => start('trust', address, fingerprint),
  back: () => start('back'),
};
contextBridge.exposeInMainWorld('stockbookStart', startBridge);
