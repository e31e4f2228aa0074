import type { AuditAction, AuditEntry, SecretKind, UserSummary } from '../../shared/auth';
import type { CreateUserInput } from '../../shared/contract/safety.schemas';
import type { WorkerContext } from '../ledger/worker-context';
import { audit, listAudit, type AuditActor } from '../safety/audit';
import { getSetting, setSetting } from '../safety/settings-store';
import { runNow } from '../ledger/steps';
import { UsersStore, type UserSecrets } from './users-store';
import { createUser, idleMinutes, setDisabled, setIdleMinutes, setPermissions, setSecret, type AuthRecords } from './user-rules';
import { actorOf, type Caller } from '../ledger/caller';
import type { MethodParsedInput } from '../../shared/contract/methods';

export { DEFAULT_IDLE_LOCK_MINUTES } from './user-rules';

/** Users, secrets (already hashed by the caller), idle-lock setting and the audit log, in the ledger worker. */
export interface AuthOps {
  'users.list'(): UserSummary[];
  authFind(username: string): UserSecrets | null;
  authOpenAccess(): boolean;
  /** The secret comes hashed (the main process hashes it, auth.handlers.ts). */
  'users.setSecret'(username: string, kind: SecretKind, hash: string, actor: AuditActor): UserSummary;
  'users.clearSecret'(username: string, kind: SecretKind, actor: AuditActor): UserSummary;
  'users.create'(input: CreateUserInput, caller: Caller): UserSummary;
  'users.setPermissions'(input: MethodParsedInput<'users.setPermissions'>, caller: Caller): UserSummary;
  'users.setDisabled'(input: MethodParsedInput<'users.setDisabled'>, caller: Caller): UserSummary;
  authIdleMinutes(): number;
  'auth.configure'(minutes: number, actor: AuditActor): number;
  authAudit(actor: AuditActor, action: AuditAction, detail: Record<string, unknown>): void;
  'audit.list'(input: { limit?: number; beforeId?: number }): AuditEntry[];
}

/** The rules (user-rules.ts) on SQLite: each write and its audit entry in one better-sqlite3 transaction. */
export function authOps(ctx: WorkerContext): AuthOps {
  const { db } = ctx.ledger;
  const users = new UsersStore(db);
  const records: AuthRecords = {
    users,
    setting: (key, fallback) => getSetting(db, key, fallback),
    saveSetting: (key, v, now) => setSetting(db, key, v, now),
    audit: (actor, action, detail, now) => audit(db, actor, action, detail, now),
  };
  const write = <T>(fn: () => T): T => db.transaction(fn)();
  return {
    'users.list': () => users.list(),
    authFind: (username) => users.find(username),
    authOpenAccess: () => users.openAccess(),
    'users.setSecret': (username, kind, hash, actor) => write(() => runNow(setSecret(records, username, kind, hash, actor, Date.now()))),
    'users.clearSecret': (username, kind, actor) => write(() => runNow(setSecret(records, username, kind, null, actor, Date.now()))),
    'users.create': (input, caller) => write(() => runNow(createUser(records, input, actorOf(caller), Date.now()))),
    'users.setPermissions': (input, caller) => write(() => runNow(setPermissions(records, input, actorOf(caller), Date.now()))),
    'users.setDisabled': (input, caller) => write(() => runNow(setDisabled(records, input, actorOf(caller), Date.now()))),
    authIdleMinutes: () => runNow(idleMinutes(records)),
    'auth.configure': (minutes, actor) => write(() => runNow(setIdleMinutes(records, minutes, actor, Date.now()))),
    authAudit: (actor, action, detail) => audit(db, actor, action, detail),
    'audit.list': (options) => listAudit(db, options),
  };
}
