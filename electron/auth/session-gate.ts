import type { EventName, Events } from '../../shared/contract/events';
import { methods } from '../../shared/contract/methods';
import { isWriteMethod } from '../../shared/contract/write-methods';
import { eventVisibleTo, heardSignedOut } from './event-visibility';
import type { CallOutcome } from '../../shared/contract/transport';
import type { SafeModeInfo } from '../../shared/safety';
import type { Dispatch } from '../app/dispatcher';
import type { LedgerClient } from '../ledger/ledger-client';
import { READER_OPS } from '../ledger/reader-ops';
import type { LedgerOp } from '../ledger/ledger-protocol';
import { recheckSessionUser } from './session-recheck';
import { contextOf, SAFE_MODE_USER, type SessionStore } from './sessions';

export interface SessionCaller {
  id: string;
  call(method: string, input: unknown): Promise<CallOutcome>;
  /** Whether this session hears this event (an idle one locks here first): signed in and unlocked, with the permission the event needs (a job's events: the session that started it). */
  receives<E extends EventName>(event: E, payload: Events[E]): boolean;
  close(): void;
}

/** Methods a signed-out or locked session may call (status, sign-in): their permission is "sign:in". */
export function isSessionMethod(method: string): boolean {
  return Object.hasOwn(methods, method) && methods[method as keyof typeof methods].permission === 'sign:in';
}

/** Whether a method is answered by a reader thread beside the writer (its contract name is its ledger operation's). */
const readsBesideWriter = (method: string) => READER_OPS.has(method as LedgerOp);

/**
 * Every transport call goes through a session: the session's user (not the transport) decides the
 * permissions, an idle session locks, and a signed-out or locked session may only see its status and sign in.
 * A new session is signed in as the administrator only while no user has a password or PIN (first run).
 */
export function createSessionGate(deps: {
  dispatch: Dispatch;
  sessions: SessionStore;
  ledger: LedgerClient;
  safeMode: SafeModeInfo | null;
  /** Read the session's user again before each call (PostgreSQL: other servers may change users; session-recheck.ts). */
  recheckUser?: boolean;
}) {
  const { dispatch, sessions, ledger, safeMode } = deps;
  const recheckUser = deps.recheckUser === true && !safeMode;
  /** `network`: a Stockbook server's connection, which always signs in (never first-run open access, never safe mode's user). */
  return async function openSession(options: { network?: boolean } = {}): Promise<SessionCaller> {
    let user = null;
    let viaOpenAccess = false;
    const epoch = sessions.openAccessEpoch;
    if (options.network) user = null;
    else if (safeMode) user = SAFE_MODE_USER;
    else if (await ledger.call('authOpenAccess')) {
      user = await ledger.call('user', 'admin').catch(() => null);
      // A secret set while we asked: this session must sign in like any other.
      if (sessions.openAccessEpoch !== epoch) user = null;
      viaOpenAccess = user !== null;
    }
    const s = sessions.open(user, false, viaOpenAccess, options.network === true);
    const lockIfIdle = () => {
      if (sessions.lockIfIdle(s)) {
        void ledger.call('authAudit', { userId: s.user!.id, username: s.user!.username }, 'lock', { reason: 'idle', minutes: sessions.idleMinutes }).catch(() => undefined);
      }
    };
    /**
     * The session's calls still in flight that may write (isWriteMethod). A read answered by a reader thread waits for them first: a
     * window that sends a read right after a write, without awaiting it, must see that write (the writer and the
     * readers are separate threads, so the read could otherwise be answered before the write commits).
     */
    const writes = new Set<Promise<CallOutcome>>();
    const call = async (method: string, input: unknown): Promise<CallOutcome> => {
      lockIfIdle();
      // Open access ends as soon as any user has a secret, whoever set it (another process included).
      // (In safe mode, entered at start or since, the users table is not read: the session stays as it is.)
      if (s.viaOpenAccess && !(await ledger.call('authOpenAccess').catch(() => true))) sessions.endOpenAccess();
      if (recheckUser) {
        const refused = await recheckSessionUser(s, sessions, ledger, isSessionMethod(method));
        if (refused) return { ok: false, error: refused };
      }
      const open = s.user !== null && !s.locked;
      if (!open && !isSessionMethod(method)) {
        const why = s.signedOutBy;
        s.signedOutBy = undefined;
        return {
          ok: false,
          error: {
            code: 'PERMISSION',
            message: why ?? (s.user ? 'Stockbook is locked. Sign in again to continue.' : 'You are not signed in. Sign in to continue.'),
            details: { signIn: true },
          },
        };
      }
      if (open && method !== 'auth.status') s.lastActivity = sessions.now();
      return dispatch(method, input, contextOf(s));
    };
    return {
      id: s.id,
      close: () => sessions.close(s.id),
      receives: (event, payload) => {
        if (heardSignedOut(event)) return eventVisibleTo({ id: s.id, permissions: [] }, event, payload);
        lockIfIdle();
        return s.user !== null && !s.locked && eventVisibleTo({ id: s.id, permissions: s.user.permissions }, event, payload);
      },
      call: (method, input) => {
        if (readsBesideWriter(method)) {
          // Taken now, when the read is sent: the writes sent before it, not those sent while it waits.
          const earlier = [...writes];
          return earlier.length === 0 ? call(method, input) : Promise.allSettled(earlier).then(() => call(method, input));
        }
        const outcome = call(method, input);
        if (!isWriteMethod(method)) return outcome;
        writes.add(outcome);
        void outcome.finally(() => writes.delete(outcome)).catch(() => undefined);
        return outcome;
      },
    };
  };
}
