import { randomUUID } from 'node:crypto';
import type { SessionUser } from '../../shared/auth';
import type { CallContext } from '../app/dispatcher';
import { DEFAULT_IDLE_LOCK_MINUTES } from './auth.ops';
import { SignInThrottle } from './sign-in-throttle';

export interface Session {
  id: string;
  user: SessionUser | null;
  locked: boolean;
  /** Only a user with a password or PIN can be locked out (and back in). */
  lockable: boolean;
  lastActivity: number;
  /** Signed in by first-run open access (no user had a secret), not by a password or PIN. */
  viaOpenAccess: boolean;
  /** A Stockbook server's connection: signed out, it learns nothing of the ledger (not even who its users are). */
  network: boolean;
  /** Why an administrator signed this session out (its user was disabled): the answer to its next call, told once. */
  signedOutBy?: string;
}

/** The sessions of this process (one per Electron app, one per browser-mode connection), held in main, never in the renderer. */
export class SessionStore {
  idleMinutes = DEFAULT_IDLE_LOCK_MINUTES;
  private readonly sessions = new Map<string, Session>();
  /** Sign-in attempts, counted per connection and per user name before they are checked. */
  readonly signInThrottle: SignInThrottle;

  constructor(readonly now: () => number = Date.now) {
    this.signInThrottle = new SignInThrottle(now);
  }

  /** Bumped whenever open access ends, so a session being opened meanwhile is not let in by a stale answer. */
  openAccessEpoch = 0;

  open(user: SessionUser | null, lockable: boolean, viaOpenAccess = false, network = false): Session {
    const s: Session = { id: randomUUID(), user, locked: false, lockable, lastActivity: this.now(), viaOpenAccess, network };
    this.sessions.set(s.id, s);
    return s;
  }

  get(id: string | undefined): Session | undefined {
    return id === undefined ? undefined : this.sessions.get(id);
  }

  /** The sessions signed in now (locked or not). */
  signedIn(): Session[] {
    return [...this.sessions.values()].filter((s) => s.user !== null);
  }

  close(id: string): void {
    this.sessions.delete(id);
    this.signInThrottle.clear([signInKeyOfSession(id)]);
  }

  /** Locks the session when it has been idle longer than the setting; returns true if it locked now. */
  lockIfIdle(s: Session): boolean {
    if (!s.user || s.locked || !s.lockable) return false;
    if (this.now() - s.lastActivity <= this.idleMinutes * 60_000) return false;
    s.locked = true;
    return true;
  }

  /**
   * A secret now exists, so open access is over: every session that was let in by open access must sign in,
   * except `keepId`, the session that set the secret (it has just shown it knows it).
   */
  endOpenAccess(keepId?: string): void {
    this.openAccessEpoch++;
    for (const s of this.sessions.values()) {
      if (!s.viaOpenAccess) continue;
      s.viaOpenAccess = false;
      if (s.id === keepId) continue;
      s.user = null;
      s.locked = false;
      s.lockable = false;
    }
  }

  /** Applies a permission change to the live sessions of that user. */
  /** Signs out every session of `username` (the user was disabled); each one's next call is answered with `why`. */
  signOutUser(username: string, why: string): Session[] {
    const out = [...this.sessions.values()].filter((s) => s.user?.username === username);
    for (const s of out) this.signOut(s, why, true);
    return out;
  }

  /**
   * Signs `s` out by the server's decision (its user was disabled), telling the onSignedOut listeners (the app sends
   * session.signedOut to that session's window at once); `answerNextCall`: its next call is refused with `why`, once.
   */
  signOut(s: Session, why: string, answerNextCall: boolean): void {
    Object.assign(s, { user: null, locked: false, lockable: false, signedOutBy: answerNextCall ? why : undefined });
    for (const l of this.signedOutListeners) l(s, why);
  }

  private readonly signedOutListeners = new Set<(s: Session, why: string) => void>();
  /** Called for each session signed out by the server (signOut); returns the unsubscribe. */
  onSignedOut(listener: (s: Session, why: string) => void): () => void {
    this.signedOutListeners.add(listener);
    return () => this.signedOutListeners.delete(listener);
  }

  updateUser(username: string, patch: Partial<SessionUser> & { lockable?: boolean }): void {
    for (const s of this.sessions.values()) {
      if (s.user?.username !== username) continue;
      const { lockable, ...user } = patch;
      s.user = { ...s.user, ...user };
      if (lockable !== undefined) s.lockable = lockable;
    }
  }
}

/** How many name keys the throttle keeps at most: names are counted in this many buckets. */
export const NAME_BUCKETS = 4096;

/** FNV-1a of the name, in NAME_BUCKETS buckets: the same for a user's name and for a name that is nobody's. */
export function nameBucket(username: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < username.length; i++) h = Math.imul(h ^ username.charCodeAt(i), 0x01000193) >>> 0;
  return h % NAME_BUCKETS;
}

/**
 * The throttle keys of a sign-in attempt: its connection, and the name typed. The name's key does not depend on whether
 * it is a user's (one shared key for unknown names would answer "too many attempts" for names that are nobody's and
 * "not right" for real ones: a way to find the users' names over the network); buckets keep the table bounded.
 */
export const signInKeyOfSession = (sessionId: string) => `session:${sessionId}`;
export const signInKeys = (sessionId: string, username: string) => [signInKeyOfSession(sessionId), `name:${nameBucket(username)}`];

export const SIGNED_OUT_USERNAME = 'signed-out';

/** The call context of a session: its user's permissions plus "sign:in", or only "sign:in" when signed out or locked. */
export function contextOf(s: Session): CallContext {
  if (s.user && !s.locked) return { userId: s.user.id, username: s.user.username, permissions: [...s.user.permissions, 'sign:in'], sessionId: s.id };
  return { userId: 0, username: SIGNED_OUT_USERNAME, permissions: ['sign:in'], sessionId: s.id };
}

/** Safe mode has no trustworthy user table: whoever runs Stockbook may restore or export, nothing else. */
export const SAFE_MODE_USER: SessionUser = { id: 0, username: 'safe-mode', displayName: 'Safe mode', permissions: ['read:stock', 'manage:data'] };
