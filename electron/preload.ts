import { contextBridge, ipcRenderer } from 'electron';
import type { Bridge, CallOutcome } from '../shared/contract/transport';

/** Exposes the typed contract's transport, nothing else. */
const bridge: Bridge = {
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
