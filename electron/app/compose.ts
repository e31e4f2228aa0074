import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EventName, Events } from '../../shared/contract/events';
import { LedgerClient } from '../ledger/ledger-client';
import { createDispatcher, type CallContext, type Dispatch } from './dispatcher';
import { createHandlers } from './handlers';
import { APP_VERSION } from './version';

export interface Stockbook {
  dbPath: string;
  dispatch: Dispatch;
  /** The signed-in user of this session (sign-in arrives with the security issue; until then the local administrator). */
  session: CallContext;
  onEvent(listener: <E extends EventName>(event: E, payload: Events[E]) => void): () => void;
  close(): Promise<void>;
}

/** The composition root: opens the ledger in its worker and builds the services. Same for Electron and browser mode. */
export async function startStockbook(options: { dbPath: string; mode: 'electron' | 'web'; username?: string }): Promise<Stockbook> {
  mkdirSync(dirname(options.dbPath), { recursive: true });
  const ledger = await LedgerClient.start(options.dbPath);
  try {
    const user = await ledger.call('user', options.username ?? 'admin');
    const session: CallContext = { userId: user.id, username: user.username, permissions: user.permissions };
    const dispatch = createDispatcher(createHandlers(ledger, { version: APP_VERSION, mode: options.mode, dbPath: options.dbPath }));
    return {
      dbPath: options.dbPath,
      dispatch,
      session,
      onEvent: (listener) => ledger.onEvent((event, payload) => listener(event as EventName, payload as never)),
      close: () => ledger.close(),
    };
  } catch (e) {
    await ledger.close();
    throw e;
  }
}
