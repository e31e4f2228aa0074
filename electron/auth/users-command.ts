import { AppError } from '../../shared/contract/errors';
import type { UserSummary } from '../../shared/auth';
import { PERMISSIONS } from '../../shared/domain';
import type { CreateUserInput, SetPermissionsInput } from '../../shared/contract/safety.schemas';
import type { CallOutcome } from '../../shared/contract/transport';
import { startStockbook } from '../app/compose';
import { openPgUsersLedger } from './pg-users-ledger';

/** Every permission a user can hold: what `--admin` gives. */
export const ADMIN_PERMISSIONS = PERMISSIONS.filter((p) => p !== 'sign:in');
/** A user made without --admin may look at stock and nothing more until an administrator gives more in Settings. */
const DEFAULT_PERMISSIONS = ['read:stock'];

/** What the users command asks of a ledger, on this machine's file or on a PostgreSQL database. */
export interface UsersLedger {
  list(): Promise<UserSummary[]>;
  create(input: CreateUserInput): Promise<unknown>;
  setPermissions(input: SetPermissionsInput): Promise<unknown>;
  /** Sets the user's password (hashed on the way: the ledger stores only the hash). */
  setPassword(username: string, secret: string): Promise<unknown>;
  close(): Promise<void>;
}

/** A ledger file (its path), or a PostgreSQL ledger (`postgres://…`, migrated to the latest schema first). */
export type UsersLedgerAt = string | { databaseUrl: string };

const result = <T>(o: CallOutcome): T => {
  if (!o.ok) throw new AppError(o.error.code, o.error.message, o.error.details);
  return o.result as T;
};

/** The ledger file through the app's own dispatch, as the administrator "admin" in this process. */
async function openFileUsersLedger(dbPath: string): Promise<UsersLedger> {
  const app = await startStockbook({ dbPath, mode: 'web' });
  return {
    list: async () => result<UserSummary[]>(await app.dispatch('users.list', {}, app.session)),
    create: async (input) => result(await app.dispatch('users.create', input, app.session)),
    setPermissions: async (input) => result(await app.dispatch('users.setPermissions', input, app.session)),
    // The administrator's in-process context, as a session has it (setting a secret is a sign-in matter).
    setPassword: async (username, secret) =>
      result(await app.dispatch('users.setSecret', { username, kind: 'password', secret }, { ...app.session, permissions: [...app.session.permissions, 'sign:in'] })),
    close: () => app.close(),
  };
}

/**
 * `stockbook users add NAME [--admin] [--display-name TEXT]` and `stockbook users list`, on this machine's ledger file
 * or a PostgreSQL ledger (--database-url): how the first administrator of a server is made. A user who exists without
 * a password or PIN (the first-run administrator "admin") gets the password; a user who has one is refused (change it
 * in Settings).
 */
export async function runUsersCommand(
  sub: string | undefined,
  at: UsersLedgerAt,
  o: { name?: string; admin?: boolean; displayName?: string },
  password: () => Promise<string>,
  out: (line: string) => void = (l) => console.log(l),
): Promise<number> {
  if (sub !== 'add' && sub !== 'list') throw new AppError('VALIDATION', `Unknown users command "${sub ?? ''}". Use "stockbook users add NAME [--admin]" or "stockbook users list".`);
  if (sub === 'add' && !o.name) throw new AppError('VALIDATION', 'Give the user name: stockbook users add NAME [--admin].');
  const ledger = typeof at === 'string' ? await openFileUsersLedger(at) : await openPgUsersLedger(at.databaseUrl);
  try {
    const users = await ledger.list();
    if (sub === 'list') {
      for (const u of users) out(`${u.username}\t${u.displayName}\t${u.active ? '' : '(inactive) '}${u.hasPassword ? 'password' : u.hasPin ? 'PIN' : 'no password'}\t${u.permissions.join(' ')}`);
      return 0;
    }
    const name = o.name!;
    const existing = users.find((u) => u.username === name);
    if (existing && (existing.hasPassword || existing.hasPin)) {
      throw new AppError('CONFLICT', `The user "${name}" already has a password or PIN; nothing was changed. To change it, sign in to Stockbook and use Settings → Users.`);
    }
    const secret = await password();
    // Checked before anything is written, so a short password leaves no user behind.
    if (secret.length < 8) throw new AppError('VALIDATION', 'A password has at least 8 characters; nothing was changed. Run the command again with a longer one.');
    const permissions = (o.admin ? ADMIN_PERMISSIONS : DEFAULT_PERMISSIONS) as CreateUserInput['permissions'];
    // The first password makes everyone sign in, so it goes to a user manager (the ledger refuses it otherwise): said
    // here, before the user is made, so a refused clerk is not left behind without a password.
    const managesUsers = (p: readonly string[]) => p.includes('manage:users');
    const managerSignsIn = users.some((u) => u.active && managesUsers(u.permissions) && (u.hasPassword || u.hasPin));
    if (!managerSignsIn && !managesUsers(o.admin ? permissions : (existing?.permissions ?? permissions))) {
      throw new AppError('CONFLICT', `No user who may manage users has a password or PIN yet, and the first one makes everyone sign in: ${name} could not give the others theirs. Make the administrator first (stockbook users add NAME --admin), then ${name}; nothing was changed.`);
    }
    if (!existing) {
      await ledger.create({ username: name, displayName: o.displayName ?? name, permissions });
    } else if (o.admin) {
      await ledger.setPermissions({ username: name, permissions });
    }
    await ledger.setPassword(name, secret);
    out(`${existing ? 'Set the password of' : 'Created'} user "${name}"${o.admin ? ' (administrator: every permission)' : ''}. ${name} signs in with that password; a server may now be started on this ledger.`);
    return 0;
  } finally {
    await ledger.close();
  }
}
