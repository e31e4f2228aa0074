import { AppError } from '../../shared/contract/errors';
import type { AuditAction, SecretKind, UserSummary } from '../../shared/auth';
import type { CreateUserInput, SetDisabledInput, SetPermissionsInput } from '../../shared/contract/safety.schemas';
import type { AuditActor } from '../safety/audit';
import { value, type Awaitable, type Steps } from '../ledger/steps';
import type { EntityRecord } from '../ledger/entities/columns';
import type { UserEntity } from '../ledger/entities/user.entity';
import { toSummary, type UserSecrets } from './user-secrets';

export const DEFAULT_IDLE_LOCK_MINUTES = 15;
/** The settings key the idle-lock minutes are stored under (both databases' settings table). */
export const IDLE_LOCK_KEY = 'auth.idleLockMinutes';

/** An active user as the ledger's operations act for it ('system' included): its permissions still JSON text. */
export type ActiveUserRow = Pick<EntityRecord<typeof UserEntity>, 'id' | 'username' | 'displayName' | 'permissions'>;

/**
 * What the users' rules ask of a store: SQLite's UsersStore (users-store.ts) answers at once, PostgreSQL's
 * PgUsersStore (pg-users-store.ts) later. SQL only; the rules below are written once for both (ledger/steps.ts).
 * 'system' is the ledger's own actor: list and find leave it out, `taken` does not.
 */
export interface UserRecords {
  list(): Awaitable<UserSummary[]>;
  find(username: string): Awaitable<UserSecrets | null>;
  /** A user by id ('system' left out, as by name). */
  byId(id: number): Awaitable<UserSecrets | null>;
  taken(username: string): Awaitable<boolean>;
  insert(username: string, displayName: string, permissions: string[], now: number): Awaitable<void>;
  saveSecret(username: string, kind: SecretKind, hash: string | null): Awaitable<void>;
  savePermissions(username: string, permissions: string[]): Awaitable<void>;
  saveActive(id: number, active: boolean): Awaitable<void>;
  /** An active user by name, 'system' included (the ledger's operations act for it: core-reads.ts's ledgerUser). */
  activeUser(username: string): Awaitable<ActiveUserRow | undefined>;
}

/** The users, the settings and the audit log, as the sign-in operations change them in one transaction. */
export interface AuthRecords {
  users: UserRecords;
  setting<T>(key: string, fallback: T): Awaitable<T>;
  saveSetting(key: string, value: unknown, now: number): Awaitable<void>;
  audit(actor: AuditActor, action: AuditAction, detail: Record<string, unknown>, now: number): Awaitable<void>;
}

export function* userNamed(users: UserRecords, username: string): Steps<UserSecrets> {
  const u = yield* value(users.find(username));
  if (!u) throw new AppError('NOT_FOUND', `There is no user "${username}". Check the name, or create the user in Settings.`);
  return u;
}

/** Sets (or, with `hash` null, removes) a user's password or PIN hash. */
export function* saveSecretSteps(users: UserRecords, username: string, kind: SecretKind, hash: string | null): Steps<UserSummary> {
  yield* userNamed(users, username);
  yield* value(users.saveSecret(username, kind, hash));
  return toSummary(yield* userNamed(users, username));
}

export function* insertUserSteps(users: UserRecords, username: string, displayName: string, permissions: string[], now: number): Steps<UserSummary> {
  if (yield* value(users.taken(username))) throw new AppError('CONFLICT', `A user "${username}" already exists. Choose another name.`);
  yield* value(users.insert(username, displayName, permissions, now));
  return toSummary(yield* userNamed(users, username));
}

export function* savePermissionsSteps(users: UserRecords, username: string, permissions: string[]): Steps<{ before: string[]; after: UserSummary }> {
  const before = (yield* userNamed(users, username)).permissions;
  yield* value(users.savePermissions(username, permissions));
  return { before, after: toSummary(yield* userNamed(users, username)) };
}

// The operations: each change and its audit entry, run by the caller in one transaction.

export function* setSecret(r: AuthRecords, username: string, kind: SecretKind, hash: string | null, actor: AuditActor, now: number): Steps<UserSummary> {
  const u = yield* saveSecretSteps(r.users, username, kind, hash);
  yield* userManagersKept(r.users, null, (manager) =>
    hash === null
      ? `Without this ${kind === 'pin' ? 'PIN' : 'password'}, no active user who may manage users could sign in, while others must. Give another user manager a password or PIN first; nothing was changed.`
      : `${username} ${manager ? 'is disabled' : 'may not manage users'}, and the first password or PIN makes everyone sign in: nobody could then give the others theirs or change a permission. Set a password or PIN for an active user who may manage users (an administrator) first; nothing was changed.`,
  username);
  yield* value(r.audit(actor, 'secret-changed', { username, kind, removed: hash === null }, now));
  return u;
}

export function* createUser(r: AuthRecords, input: CreateUserInput, actor: AuditActor, now: number): Steps<UserSummary> {
  const u = yield* insertUserSteps(r.users, input.username, input.displayName, input.permissions, now);
  yield* value(r.audit(actor, 'user-created', { username: u.username, permissions: u.permissions }, now));
  return u;
}

/**
 * Refuses (the caller's transaction is then rolled back) a change that leaves users nobody can manage, reading the users
 * once: `noManager` when no active user may manage users (null: not checked); `noneSignsIn` when someone has a password
 * or PIN (so everyone must sign in) but no active user manager has one, so nobody could give out passwords or change a
 * permission again. It is told whether `username` may manage users.
 */
function* userManagersKept(users: UserRecords, noManager: string | null, noneSignsIn: (managesUsers: boolean) => string, username: string): Steps<void> {
  const all = yield* value(users.list());
  const active = all.filter((u) => u.active);
  const manages = (u: UserSummary) => u.permissions.includes('manage:users');
  const signsIn = (u: UserSummary) => u.hasPassword || u.hasPin;
  if (noManager !== null && !active.some(manages)) throw new AppError('CONFLICT', noManager);
  if (!active.some(signsIn) || active.some((u) => signsIn(u) && manages(u))) return;
  throw new AppError('CONFLICT', noneSignsIn(all.some((u) => u.username === username && manages(u))));
}

/** Changes a user's permissions, refusing a change that would leave no active user who can manage users. */
export function* setPermissions(r: AuthRecords, { username, permissions }: SetPermissionsInput, actor: AuditActor, now: number): Steps<UserSummary> {
  const { before, after } = yield* savePermissionsSteps(r.users, username, permissions);
  yield* userManagersKept(
    r.users,
    `That would leave no user who can manage users. Give "manage:users" to another user first; nothing was changed.`,
    () => `That would leave no user who can manage users and sign in (a password or PIN). Give "manage:users" to a user with one first; nothing was changed.`,
    username,
  );
  yield* value(r.audit(actor, 'permissions-changed', { username, before, after: after.permissions }, now));
  return after;
}

/**
 * Disables a user (their sessions are signed out by the caller; they cannot sign in) or enables them again. Refused for
 * the caller's own user and when no other active user could manage users; a user already so is answered as is.
 */
export function* setDisabled(r: AuthRecords, { userId, disabled }: SetDisabledInput, actor: AuditActor, now: number): Steps<UserSummary> {
  const u = yield* value(r.users.byId(userId));
  if (!u) throw new AppError('NOT_FOUND', `There is no user with id ${userId}. Reload the list of users and pick one from it.`);
  if (u.active === !disabled) return toSummary(u);
  if (disabled && userId === actor.userId) {
    throw new AppError('CONFLICT', `You cannot disable your own user (${u.username}): you would be signed out at once. Ask another administrator to do it; nothing was changed.`);
  }
  yield* value(r.users.saveActive(userId, !disabled));
  yield* userManagersKept(
    r.users,
    `${u.username} is the last active user who can manage users, so they cannot be disabled. Give "manage:users" to another user first; nothing was changed.`,
    () => `${u.username} is the last active user who can manage users and sign in, so they cannot be disabled. Give another user manager a password or PIN first; nothing was changed.`,
    u.username,
  );
  yield* value(r.audit(actor, disabled ? 'user-disabled' : 'user-enabled', { username: u.username }, now));
  return toSummary((yield* value(r.users.byId(userId)))!);
}

export function* idleMinutes(r: AuthRecords): Steps<number> {
  return yield* value(r.setting(IDLE_LOCK_KEY, DEFAULT_IDLE_LOCK_MINUTES));
}

export function* setIdleMinutes(r: AuthRecords, minutes: number, actor: AuditActor, now: number): Steps<number> {
  const before = yield* idleMinutes(r);
  yield* value(r.saveSetting(IDLE_LOCK_KEY, minutes, now));
  yield* value(r.audit(actor, 'setting-changed', { key: IDLE_LOCK_KEY, before, after: minutes }, now));
  return minutes;
}
