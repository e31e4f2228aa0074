import { randomUUID } from 'node:crypto';
import type { SessionUser } from '../../shared/auth';
import type { CallContext } from '../app/dispatcher';
import { DEFAULT_IDLE_LOCK_MINUTES } from './auth.ops';

export interface Session {
  id: string;
  user: SessionUser | null;
  locked: boolean;
  /** Only a user with a password or PIN can be locked out (and back in). */
  lockable: boolean;
  lastActivity: number;
}

const MAX_FAILURES = 5;
const THROTTLE_MS = 30_000;

/** The sessions of this process (one per Electron app, one per browser-mode connection), held in main, never in the renderer. */
export class SessionStore {
  idleMinutes = DEFAULT_IDLE_LOCK_MINUTES;
  private readonly sessions = new Map<string, Session>();
  private readonly failures = new Map<string, { count: number; until: number }>();

  constructor(readonly now: () => number = Date.now) {}

  open(user: SessionUser | null, lockable: boolean): Session {
    const s: Session = { id: randomUUID(), user, locked: false, lockable, lastActivity: this.now() };
    this.sessions.set(s.id, s);
    return s;
  }

  get(id: string | undefined): Session | undefined {
    return id === undefined ? undefined : this.sessions.get(id);
  }

  close(id: string): void {
    this.sessions.delete(id);
  }

  /** Locks the session when it has been idle longer than the setting; returns true if it locked now. */
  lockIfIdle(s: Session): boolean {
    if (!s.user || s.locked || !s.lockable) return false;
    if (this.now() - s.lastActivity <= this.idleMinutes * 60_000) return false;
    s.locked = true;
    return true;
  }

  /** Milliseconds until this user name may try again (after 5 wrong attempts, 30 s). */
  waitFor(username: string): number {
    const f = this.failures.get(username);
    return f && f.until > this.now() ? f.until - this.now() : 0;
  }

  noteFailure(username: string): void {
    const f = this.failures.get(username) ?? { count: 0, until: 0 };
    f.count++;
    if (f.count >= MAX_FAILURES) {
      f.until = this.now() + THROTTLE_MS;
      f.count = 0;
    }
    this.failures.set(username, f);
  }

  clearFailures(username: string): void {
    this.failures.delete(username);
  }

  /** Applies a permission change to the live sessions of that user. */
  updateUser(username: string, patch: Partial<SessionUser> & { lockable?: boolean }): void {
    for (const s of this.sessions.values()) {
      if (s.user?.username !== username) continue;
      const { lockable, ...user } = patch;
      s.user = { ...s.user, ...user };
      if (lockable !== undefined) s.lockable = lockable;
    }
  }
}

export const SIGNED_OUT_USERNAME = 'signed-out';

/** The call context of a session: its user's permissions plus "sign:in", or only "sign:in" when signed out or locked. */
export function contextOf(s: Session): CallContext {
  if (s.user && !s.locked) return { userId: s.user.id, username: s.user.username, permissions: [...s.user.permissions, 'sign:in'], sessionId: s.id };
  return { userId: 0, username: SIGNED_OUT_USERNAME, permissions: ['sign:in'], sessionId: s.id };
}

/** Safe mode has no trustworthy user table: whoever runs Stockbook may restore or export, nothing else. */
export const SAFE_MODE_USER: SessionUser = { id: 0, username: 'safe-mode', displayName: 'Safe mode', permissions: ['read:stock', 'manage:data'] };
