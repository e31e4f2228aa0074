import { AppError, type WireError } from '../../shared/contract/errors';
import type { LedgerClient } from '../ledger/ledger-client';
import type { Session, SessionStore } from './sessions';

/**
 * How often, at most, a session that makes no calls has its user read again (recheckSignedIn): the events a window hears
 * (ledger.changed needs read:stock) follow a change made on another server within this time.
 */
export const RECHECK_IDLE_SESSIONS_MS = 30_000;

/** What the session's next call is told when its user was disabled (or removed) since it signed in. */
export const disabledMessage = (username: string) =>
  `You were signed out because an administrator disabled the user ${username}. Ask an administrator to enable ${username} again, or sign in as another user.`;

/** What a disabled user is told when they sign in with their own (right) password or PIN. */
export const disabledSignInMessage = (username: string) =>
  `The user ${username} is disabled, so it cannot sign in. Ask an administrator to enable ${username} again, or sign in as another user.`;

/**
 * Where several Stockbook servers share one PostgreSQL database, an administrator may change a user on another server:
 * before each call the session's user is read again (one look-up by name), so the call runs with the user's permissions
 * of now, never those of sign-in. A user disabled (or gone) since is signed out here: the answer is that refusal, or,
 * for a call a signed-out session may make (status, sign-in), nothing and the call goes on signed out. When the user
 * cannot be read (the database is unreachable), a call that needs a permission is refused with that error, never run
 * on the old permissions.
 */
export async function recheckSessionUser(s: Session, sessions: SessionStore, ledger: LedgerClient, sessionMethod: boolean): Promise<WireError | null> {
  const was = s.user;
  if (!was || s.locked || was.id <= 0) return null;
  const reads = readsOf(s);
  const mine = ++reads.issued;
  let now;
  try {
    now = await ledger.call('authFind', was.username);
  } catch (e) {
    if (sessionMethod) return null;
    return e instanceof AppError ? e.toWire() : { code: 'UNAVAILABLE', message: `Your permissions could not be checked (${String(e)}). Nothing was done; try again.` };
  }
  if (s.user?.id !== was.id) return null; // signed in or out meanwhile: that answer stands
  // Two calls' reads may finish in either order: only a read newer than the one applied last may set the rights (an
  // older one would give back a permission the newer read found removed); the call then runs on the newest applied.
  if (mine < reads.applied) return null;
  reads.applied = mine;
  if (!now || !now.active || now.id !== was.id) {
    // the answer below tells this call; the session's window hears session.signedOut at once (sessions.signOut)
    sessions.signOut(s, disabledMessage(was.username), false);
    void ledger.call('authAudit', { userId: was.id, username: was.username }, 'sign-out', { reason: 'user disabled' }).catch(() => undefined);
    return signedOutAnswer(was.username, sessionMethod);
  }
  s.user = { ...s.user, displayName: now.displayName, permissions: now.permissions };
  s.lockable = now.hasPassword || now.hasPin;
  return null;
}

/** Per session: how many reads of its user were started, and which of them was applied last. */
const userReads = new WeakMap<Session, { issued: number; applied: number }>();
function readsOf(s: Session): { issued: number; applied: number } {
  let r = userReads.get(s);
  if (!r) userReads.set(s, (r = { issued: 0, applied: 0 }));
  return r;
}

const signedOutAnswer = (username: string, sessionMethod: boolean): WireError | null =>
  sessionMethod ? null : { code: 'PERMISSION', message: disabledMessage(username), details: { signIn: true } };

/** Reads every signed-in session's user again (RECHECK_IDLE_SESSIONS_MS): a disabled user's windows stop hearing events. */
export async function recheckSignedIn(sessions: SessionStore, ledger: LedgerClient): Promise<void> {
  for (const s of sessions.signedIn()) await recheckSessionUser(s, sessions, ledger, true);
}

/** Runs recheckSignedIn every RECHECK_IDLE_SESSIONS_MS until stopped (never two at once; a failure waits for the next). */
export function recheckSignedInEvery(sessions: SessionStore, ledger: LedgerClient, ms = RECHECK_IDLE_SESSIONS_MS): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void recheckSignedIn(sessions, ledger).finally(() => (running = false));
  }, ms);
  timer.unref?.();
  return () => clearInterval(timer);
}
