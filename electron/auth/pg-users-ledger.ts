import { AppError } from '../../shared/contract/errors';
import { methods, type MethodName } from '../../shared/contract/methods';
import { describeInvalid } from '../app/invalid-request';
import { parseDatabaseUrl, shownAddress } from '../cli/pg-verify-command';
import { actorOf, type Caller } from '../ledger/caller';
import { appliedPgMigrations } from '../ledger/pg/store/pg-schema-store';
import { pgStartupCheck } from '../safety/pg-startup-check';
import { openPool } from '../ledger/pg/pg-types';
import { createPgWorkerContext } from '../ledger/pg/pg-worker-context';
import { authPgOps } from './auth.pg-ops';
import { hashSecret } from './secret-hash';
import type { UsersLedger } from './users-command';

/** A contract method's input checked as the dispatcher checks it (the same refusal for a bad user name). */
function checked<N extends MethodName>(name: N, input: unknown): unknown {
  const parsed = methods[name].input.safeParse(input);
  if (!parsed.success) {
    const e = describeInvalid(methods[name].description, parsed.error);
    throw new AppError(e.code, e.message, e.details);
  }
  return parsed.data;
}

/**
 * A PostgreSQL ledger for `stockbook users`: a new, empty database is set up (so the first administrator can be made
 * before any server starts); one holding a ledger must already be at this version, then the users' PostgreSQL operations (auth.pg-ops.ts) act as
 * the administrator "admin", as the command does in the app on a ledger file. The password is hashed here.
 */
export async function openPgUsersLedger(url: string): Promise<UsersLedger> {
  const connection = parseDatabaseUrl(url);
  const pool = openPool(connection, 1);
  try {
    // A database with no ledger yet is set up here (the first administrator comes before any server); one that holds a
    // ledger is never migrated behind its servers' backs: it must be at this version (the servers' own start-up check).
    const fresh = await appliedPgMigrations(pool).then(
      (applied) => applied.length === 0,
      (e: unknown) => {
        throw new AppError('UNAVAILABLE', `Could not open the PostgreSQL ledger at ${shownAddress(connection)}: ${(e as Error).message}. Check the address, that the server runs, and the user's rights on the database.`);
      },
    );
    const { safeMode } = await pgStartupCheck(pool, connection, { migrate: fresh });
    if (safeMode) throw new AppError('UNAVAILABLE', safeMode.message);
  } catch (e) {
    await pool.end();
    throw e;
  }
  const ops = authPgOps(createPgWorkerContext(pool, connection, () => undefined));
  try {
    const admin = await ops.authFind!('admin');
    const caller: Caller = { userId: admin?.id ?? 0, username: 'admin', permissions: admin?.permissions ?? [] };
    return {
      list: () => ops['users.list']!(),
      create: (input) => ops['users.create']!(checked('users.create', input) as Parameters<NonNullable<typeof ops['users.create']>>[0], caller),
      setPermissions: (input) => ops['users.setPermissions']!(checked('users.setPermissions', input) as Parameters<NonNullable<typeof ops['users.setPermissions']>>[0], caller),
      setPassword: async (username, secret) => ops['users.setSecret']!(username, 'password', await hashSecret(secret), actorOf(caller)),
      close: () => pool.end(),
    };
  } catch (e) {
    await pool.end();
    throw e;
  }
}
