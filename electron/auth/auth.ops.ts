import { AppError } from '../../shared/contract/errors';
import type { AuditAction, AuditEntry, SecretKind, UserSummary } from '../../shared/auth';
import type { CreateUserInput } from '../../shared/contract/safety.schemas';
import type { WorkerContext } from '../ledger/worker-context';
import { audit, listAudit, type AuditActor } from '../safety/audit';
import { getSetting, setSetting } from '../safety/settings-store';
import { UsersStore, type UserSecrets } from './users-store';
import { actorOf, type Caller } from '../ledger/caller';
import type { MethodParsedInput } from '../../shared/contract/methods';

export const DEFAULT_IDLE_LOCK_MINUTES = 15;

/** Users, secrets (already hashed by the caller), idle-lock setting and the audit log, in the ledger worker. */
export interface AuthOps {
  'users.list'(): UserSummary[];
  authFind(username: string): UserSecrets | null;
  authOpenAccess(): boolean;
  /** `hash` null removes the secret. */
  authSetSecret(username: string, kind: SecretKind, hash: string | null, actor: AuditActor): UserSummary;
  'users.create'(input: CreateUserInput, caller: Caller): UserSummary;
  'users.setPermissions'(input: MethodParsedInput<'users.setPermissions'>, caller: Caller): UserSummary;
  authIdleMinutes(): number;
  authSetIdleMinutes(minutes: number, actor: AuditActor): number;
  authAudit(actor: AuditActor, action: AuditAction, detail: Record<string, unknown>): void;
  'audit.list'(input: { limit?: number; beforeId?: number }): AuditEntry[];
}

export function authOps(ctx: WorkerContext): AuthOps {
  const { db } = ctx.ledger;
  const users = new UsersStore(db);
  return {
    'users.list': () => users.list(),
    authFind: (username) => users.find(username),
    authOpenAccess: () => users.openAccess(),
    authSetSecret: (username, kind, hash, actor) =>
      db.transaction(() => {
        const u = users.setSecret(username, kind, hash);
        audit(db, actor, 'secret-changed', { username, kind, removed: hash === null });
        return u;
      })(),
    'users.create': (input, caller) =>
      db.transaction(() => {
        const u = users.create(input.username, input.displayName, input.permissions);
        audit(db, actorOf(caller), 'user-created', { username: u.username, permissions: u.permissions });
        return u;
      })(),
    'users.setPermissions': ({ username, permissions }, caller) =>
      db.transaction(() => {
        const { before, after } = users.setPermissions(username, permissions);
        const admins = users.list().filter((u) => u.active && u.permissions.includes('manage:users'));
        if (admins.length === 0) {
          throw new AppError('CONFLICT', `That would leave no user who can manage users. Give "manage:users" to another user first; nothing was changed.`);
        }
        audit(db, actorOf(caller), 'permissions-changed', { username, before, after: after.permissions });
        return after;
      })(),
    authIdleMinutes: () => getSetting(db, 'auth.idleLockMinutes', DEFAULT_IDLE_LOCK_MINUTES),
    authSetIdleMinutes: (minutes, actor) =>
      db.transaction(() => {
        const before = getSetting(db, 'auth.idleLockMinutes', DEFAULT_IDLE_LOCK_MINUTES);
        setSetting(db, 'auth.idleLockMinutes', minutes);
        audit(db, actor, 'setting-changed', { key: 'auth.idleLockMinutes', before, after: minutes });
        return minutes;
      })(),
    authAudit: (actor, action, detail) => audit(db, actor, action, detail),
    'audit.list': (options) => listAudit(db, options),
  };
}
