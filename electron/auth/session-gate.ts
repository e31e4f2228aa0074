import type { EventName, Events } from '../../shared/contract/events';
import { methods } from '../../shared/contract/methods';
import { eventVisibleTo } from './event-visibility';
import type { CallOutcome } from '../../shared/contract/transport';
import type { SafeModeInfo } from '../../shared/safety';
import type { Dispatch } from '../app/dispatcher';
import type { LedgerClient } from '../ledger/ledger-client';
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

/**
 * Every transport call goes through a session: the session's user (not the transport) decides the
 * permissions, an idle session locks, and a signed-out or locked session may only see its status and sign in.
 * A new session is signed in as the administrator only while no user has a password or PIN (first run).
 */
export function createSessionGate(deps: { dispatch: Dispatch; sessions: SessionStore; ledger: LedgerClient; safeMode: SafeModeInfo | null }) {
  const { dispatch, sessions, ledger, safeMode } = deps;
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
    return {
      id: s.id,
      close: () => sessions.close(s.id),
      receives: (event, payload) => {
        lockIfIdle();
        return s.user !== null && !s.locked && eventVisibleTo({ id: s.id, permissions: s.user.permissions }, event, payload);
      },
      call: async (method, input) => {
        lockIfIdle();
        // Open access ends as soon as any user has a secret, whoever set it (another process included).
        // (In safe mode, entered at start or since, the users table is not read: the session stays as it is.)
        if (s.viaOpenAccess && !(await ledger.call('authOpenAccess').catch(() => true))) sessions.endOpenAccess();
        const open = s.user !== null && !s.locked;
        if (!open && !isSessionMethod(method)) {
          return {
            ok: false,
            error: {
              code: 'PERMISSION',
              message: s.user ? 'Stockbook is locked. Sign in again to continue.' : 'You are not signed in. Sign in to continue.',
              details: { signIn: true },
            },
          };
        }
        if (open && method !== 'auth.status') s.lastActivity = sessions.now();
        return dispatch(method, input, contextOf(s));
      },
    };
  };
}
