import { AppError } from '../../shared/contract/errors';
import type { AuthStatus } from '../../shared/auth';
import { authMethods } from '../../shared/contract/safety.methods';
import type { SafeModeInfo } from '../../shared/safety';
import type { CallContext, HandlersFor } from '../app/dispatcher';
import { forwardToLedger } from '../app/forward-to-ledger';
import { actorOf, callerOf } from '../ledger/caller';
import type { LedgerClient } from '../ledger/ledger-client';
import { hashSecret, verifySecret } from './secret-hash';
import { disabledMessage, disabledSignInMessage } from './session-recheck';
import { signInKeys, type Session, type SessionStore } from './sessions';
import { needsPermission } from '../../shared/permission-names';

/**
 * Safe mode as a server's connection sees it: that the ledger cannot be used and who can mend it, not the checks'
 * findings (they name files and records of the server).
 */
export const networkSafeMode = (safe: SafeModeInfo): SafeModeInfo => ({
  reason: safe.reason,
  message: "The server's ledger is in safe mode: it failed a check, so nobody can work on it until it is repaired. Its administrator restores it on the server (open the ledger in Stockbook there).",
  problems: [],
});

/** A hash to compare against when the user does not exist, so a wrong name takes as long as a wrong secret. */
let decoy: Promise<string> | null = null;

export function createAuthHandlers(ledger: LedgerClient, sessions: SessionStore, safeMode: SafeModeInfo | null): HandlersFor<typeof authMethods> {
  const sessionOf = (ctx: CallContext): Session => {
    const s = sessions.get(ctx.sessionId);
    if (!s) throw new AppError('PERMISSION', 'This call has no sign-in session (it did not come through a window). Open Stockbook and sign in.');
    return s;
  };
  const status = async (s: Session): Promise<AuthStatus> => {
    // The ledger worker may have entered safe mode since start (the full check in the background failed).
    const safe = safeMode ?? (await ledger.call('safetyStatus'));
    // Over the network the names are typed: a connection sees only its own user (none while signed out).
    const shown = (u: { username: string }) => !s.network || u.username === s.user?.username;
    const users = safe ? [] : (await ledger.call('users.list')).filter((u) => u.active && shown(u));
    const open = s.user !== null && !s.locked;
    return {
      signedIn: s.user !== null,
      locked: s.locked,
      user: open ? s.user : s.user ? { ...s.user, permissions: [] } : null,
      openAccess: safe ? false : await ledger.call('authOpenAccess'),
      idleLockMinutes: sessions.idleMinutes,
      users: users.map((u) => ({ username: u.username, displayName: u.displayName, hasPassword: u.hasPassword, hasPin: u.hasPin })),
      network: s.network,
      safeMode: safe && s.network ? networkSafeMode(safe) : safe,
    };
  };
  const noSafeMode = (s: Session | undefined) => {
    if (safeMode) throw new AppError('UNAVAILABLE', `Stockbook is in safe mode: ${s?.network ? networkSafeMode(safeMode).message : safeMode.message}`);
  };
  // Hand-written: sign-in, lock and the session's state live in the main process (its sessions); secrets are hashed and
  // checked here, and a change to a user's permissions or secret reaches that user's open sessions. The rest forward.
  return forwardToLedger(authMethods, ledger, {
    'auth.status': (_input, ctx) => status(sessionOf(ctx)),
    'auth.signIn': async (input, ctx) => {
      const s = sessionOf(ctx);
      noSafeMode(s);
      const u = await ledger.call('authFind', input.username);
      const known = u && u.active ? u : null;
      // A disabled user's own secret is checked too: whoever knows it is told the user is disabled (what to do), not that
      // the secret is wrong; a wrong secret gets the same answer as for any other user.
      const disabled = u && !u.active ? u : null;
      // Counted before the secret is checked: of a burst sent at once, only the first few reach verifySecret.
      const keys = signInKeys(s.id, input.username);
      const wait = sessions.signInThrottle.admit(keys);
      if (wait > 0) throw new AppError('PERMISSION', `Too many wrong attempts. Wait ${Math.ceil(wait / 1000)} seconds and try again.`, { retryAfterMs: wait });
      if (s.locked && s.user && s.user.username !== input.username) {
        // Another user may take over a locked session: the first user's session ends.
        await ledger.call('authAudit', { userId: s.user.id, username: s.user.username }, 'sign-out', { reason: 'taken over while locked' });
      }
      const whose = known ?? disabled;
      const stored = whose ? (input.kind === 'pin' ? whose.pinHash : whose.passwordHash) : null;
      decoy ??= hashSecret('decoy-secret');
      const ok = stored ? await verifySecret(input.secret, stored) : (await verifySecret(input.secret, await decoy), false);
      if (disabled && ok) {
        await ledger.call('authAudit', { userId: disabled.id, username: disabled.username }, 'sign-in-failed', { kind: input.kind, reason: 'user disabled' });
        throw new AppError('PERMISSION', disabledSignInMessage(disabled.username));
      }
      if (!known || !ok) {
        await ledger.call('authAudit', { userId: u?.id ?? null, username: input.username }, 'sign-in-failed', { kind: input.kind });
        throw new AppError('PERMISSION', `The user name or ${input.kind === 'pin' ? 'PIN' : 'password'} is not right. Check it and try again.`);
      }
      sessions.signInThrottle.clear(keys);
      s.user = { id: known.id, username: known.username, displayName: known.displayName, permissions: known.permissions };
      s.signedOutBy = undefined;
      s.locked = false;
      s.lockable = known.hasPassword || known.hasPin;
      s.lastActivity = sessions.now();
      await ledger.call('authAudit', { userId: known.id, username: known.username }, 'sign-in', { kind: input.kind });
      return status(s);
    },
    'auth.signOut': async (_input, ctx) => {
      const s = sessionOf(ctx);
      if (s.user && s.lockable && !safeMode) {
        await ledger.call('authAudit', { userId: s.user.id, username: s.user.username }, 'sign-out', {});
        s.user = null;
        s.locked = false;
      }
      return status(s);
    },
    'auth.lock': async (_input, ctx) => {
      const s = sessionOf(ctx);
      if (s.user && s.lockable && !s.locked) {
        s.locked = true;
        await ledger.call('authAudit', { userId: s.user.id, username: s.user.username }, 'lock', { reason: 'asked' });
      }
      return status(s);
    },
    'auth.configure': async (input, ctx) => {
      noSafeMode(sessions.get(ctx.sessionId));
      sessions.idleMinutes = await ledger.call('auth.configure', input.idleLockMinutes, actorOf(ctx));
      return status(sessionOf(ctx));
    },
    'users.setPermissions': async (input, ctx) => {
      const u = await ledger.call('users.setPermissions', input, callerOf(ctx));
      sessions.updateUser(u.username, { permissions: u.permissions });
      return u;
    },
    // The user's sessions in this process are signed out now (another server's find out at their next call, as the
    // session's user is read again there: session-recheck.ts); each one's next call is told why.
    'users.setDisabled': async (input, ctx) => {
      const u = await ledger.call('users.setDisabled', input, callerOf(ctx));
      if (!u.active) {
        for (const _ of sessions.signOutUser(u.username, disabledMessage(u.username))) {
          void ledger.call('authAudit', { userId: u.id, username: u.username }, 'sign-out', { reason: 'user disabled' }).catch(() => undefined);
        }
      }
      return u;
    },
    'users.setSecret': async (input, ctx) => {
      noSafeMode(sessions.get(ctx.sessionId));
      if (ctx.userId <= 0) throw new AppError('PERMISSION', 'Sign in first, then change the password or PIN.');
      const admin = ctx.permissions.includes('manage:users');
      if (input.username !== ctx.username && !admin) {
        throw new AppError('PERMISSION', needsPermission(`${ctx.username} may change only their own password or PIN: another user's`, 'manage:users'));
      }
      const target = await ledger.call('authFind', input.username);
      if (!target) throw new AppError('NOT_FOUND', `There is no user "${input.username}".`);
      const current = input.kind === 'pin' ? target.pinHash : target.passwordHash;
      if (!admin && current && !(await verifySecret(input.currentSecret ?? '', current))) {
        throw new AppError('PERMISSION', `The current ${input.kind === 'pin' ? 'PIN' : 'password'} is not right; nothing was changed.`);
      }
      const u = await ledger.call('users.setSecret', input.username, input.kind, await hashSecret(input.secret), actorOf(ctx));
      // Open access is over: every other session it let in must now sign in.
      sessions.endOpenAccess(ctx.sessionId);
      sessions.updateUser(u.username, { lockable: true });
      return u;
    },
    'users.clearSecret': async (input, ctx) => {
      noSafeMode(sessions.get(ctx.sessionId));
      const u = await ledger.call('users.clearSecret', input.username, input.kind, actorOf(ctx));
      sessions.updateUser(u.username, { lockable: u.hasPassword || u.hasPin });
      return u;
    },
  });
}
