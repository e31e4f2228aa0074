import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EventName, Events, StockChange } from '../../shared/contract/events';
import { LedgerChanges } from './ledger-changes';
import { jobEnded } from '../jobs/job-owners';
import { LedgerClient } from '../ledger/ledger-client';
import { ScannerService } from '../scanner/scanner-service';
import { createDispatcher, type CallContext, type Dispatch } from './dispatcher';
import { createRefusalAudit } from './refusal-audit';
import { createHandlers } from './handlers';
import { APP_VERSION } from './version';
import { createSessionGate, type SessionCaller } from '../auth/session-gate';
import { recheckSignedInEvery } from '../auth/session-recheck';
import { SAFE_MODE_USER, SessionStore } from '../auth/sessions';
import type { SafeModeInfo } from '../../shared/safety';
import { DownloadTickets } from '../exports/download-tickets';
import type { DesktopServices } from '../shell/desktop-services';
import { databaseServerOf, shownAddress } from '../cli/pg-verify-command';
import { isNotOnPostgres } from '../ledger/pg/pg-ops';
import type { PgConnection } from '../ledger/pg/pg-types';

/**
 * Where the ledger is: a SQLite file (the default: one desktop, or a server on one machine), or a PostgreSQL database
 * (a Stockbook server on a database server; ledger/pg/pg-host.ts). `migrate`: run the migrations this version adds.
 */
export type LedgerStore = { kind: 'sqlite' } | { kind: 'postgres'; connection: PgConnection; migrate?: boolean };

export interface Stockbook {
  /** The ledger file; on PostgreSQL, the path the side files (scanner settings, certificate, logs) are named after. */
  dbPath: string;
  /** What the ledger is, as shown to the user: the file, or the database's address (never its password). */
  ledgerName: string;
  dispatch: Dispatch;
  /**
   * The local administrator's context, for in-process callers (tests, tools) that use `dispatch` directly.
   * Transports (Electron IPC, browser-mode WebSocket) never use it: they call through `openSession()`.
   */
  session: CallContext;
  /** A sign-in session for one window or connection: its user's permissions, idle lock, sign-in (electron/auth). */
  openSession(options?: { network?: boolean }): Promise<SessionCaller>;
  /** Set when the start-up checks failed: the ledger is read-only and only restore/export work. */
  safeMode: SafeModeInfo | null;
  /** Browser mode: one-time addresses of finished exports (exports.download), served by the web server. */
  downloads: DownloadTickets;
  onEvent(listener: <E extends EventName>(event: E, payload: Events[E]) => void): () => void;
  close(): Promise<void>;
}

/** The composition root: opens the ledger in its worker and builds the services. Same for Electron and browser mode. */
export async function startStockbook(options: {
  dbPath: string;
  mode: 'electron' | 'web';
  username?: string;
  /** The sessions' clock (idle lock, sign-in delays); tests pass their own. */
  now?: () => number;
  /** The desktop shell's native services (electron/main.ts); absent in browser mode. */
  desktop?: DesktopServices;
  /** Default SQLite at dbPath. */
  store?: LedgerStore;
}): Promise<Stockbook> {
  mkdirSync(dirname(options.dbPath), { recursive: true });
  const store = options.store ?? { kind: 'sqlite' };
  const ledger = store.kind === 'postgres'
    ? await LedgerClient.startPostgres(store.connection, { migrate: store.migrate })
    : await LedgerClient.start(options.dbPath, options.mode === 'web' ? 'the Stockbook browser-mode server' : 'the Stockbook app');
  const ledgerName = store.kind === 'postgres' ? shownAddress(store.connection) : options.dbPath;
  try {
    // Start-up checks ran in the ledger worker (electron/safety/startup-check.ts); on a problem it is in safe mode.
    const safeMode = await ledger.call('safetyStatus');
    const user = safeMode ? SAFE_MODE_USER : await ledger.call('user', options.username ?? 'admin');
    const session: CallContext = { userId: user.id, username: user.username, permissions: user.permissions };
    const sessions = new SessionStore(options.now);
    // Until sign-in settings come to PostgreSQL, a PostgreSQL ledger keeps the sessions' default idle lock.
    if (!safeMode) sessions.idleMinutes = await ledger.call('authIdleMinutes').catch((e: unknown) => (isNotOnPostgres(e) ? sessions.idleMinutes : Promise.reject(e)));
    const scanner = await ScannerService.start({ dbPath: options.dbPath, resolve: (scan) => ledger.call('scannerResolve', scan) });
    // Permission refusals go to the audit log, at most one entry per user and method a minute (with a count).
    const refusals = createRefusalAudit((actor, detail) => {
      ledger.call('authAudit', actor, 'permission-refused', { ...detail }).catch(() => undefined);
    });
    const downloads = new DownloadTickets();
    const shell = { desktop: options.desktop ?? null, downloads };
    const dispatch = createDispatcher(createHandlers(ledger, { version: APP_VERSION, mode: options.mode, dbPath: ledgerName, ...(store.kind === 'postgres' ? { postgres: databaseServerOf(store.connection) } : {}) }, scanner, { sessions, safeMode }, shell), {
      onRefused: (ctx, method, permission) => refusals.refused(ctx, method, permission),
    });
    // Every window and connection hears the same events: the worker's per-write stock.changed, coalesced into ledger.changed.
    type Listener = <E extends EventName>(event: E, payload: Events[E]) => void;
    const listeners = new Set<Listener>();
    const send = <E extends EventName>(event: E, payload: Events[E]) => {
      for (const l of listeners) l(event, payload);
      // Every window and connection has been told: the job's owner is no longer needed.
      if (event === 'job.finished') jobEnded((payload as Events['job.finished']).jobId);
    };
    const changes = new LedgerChanges((change) => send('ledger.changed', change));
    const offLedger = ledger.onEvent((event, payload) => {
      if (event === 'stock.changed') changes.add(payload as StockChange);
      else send(event as EventName, payload as never);
    });
    const offScanner = scanner.onEvent((event, payload) => send(event, payload as never));
    // A session the server signs out (its user disabled) is told at once: its window shows the sign-in screen with why.
    const offSignedOut = sessions.onSignedOut((s, message) => send('session.signedOut', { sessionId: s.id, message }));
    // The app is up (its windows and connections hear the check's progress from here on): the whole ledger is checked now.
    if (!safeMode) await ledger.call('safetyStartFullCheck');
    // On PostgreSQL a session that makes no calls has its user read again now and then too (session-recheck.ts).
    const stopRecheck = store.kind === 'postgres' && !safeMode ? recheckSignedInEvery(sessions, ledger) : () => undefined;
    return {
      dbPath: options.dbPath,
      ledgerName,
      dispatch,
      session,
      safeMode,
      downloads,
      // On PostgreSQL other servers may change a user at any time: each call reads the session's user again.
      openSession: createSessionGate({ dispatch, sessions, ledger, safeMode, recheckUser: store.kind === 'postgres' }),
      onEvent: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      close: async () => {
        refusals.flush();
        stopRecheck();
        changes.close();
        offLedger();
        offScanner();
        offSignedOut();
        await scanner.close();
        await ledger.close();
      },
    };
  } catch (e) {
    await ledger.close();
    throw e;
  }
}
