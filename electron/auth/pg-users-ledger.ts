import { AppError } from '../../shared/contract/errors';
import { methods, type MethodName } from '../../shared/contract/methods';
import { describeInvalid } from '../app/invalid-request';
import { parseDatabaseUrl, shownAddress } from '../cli/pg-verify-command';
import { actorOf, type Caller } from '../ledger/caller';
import { migratePg } from '../ledger/pg/pg-data-source';
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
 * A PostgreSQL ledger for `stockbook users`: the database is brought to the latest schema (so the first administrator
 * can be made on a new one, before any server starts), then the users' PostgreSQL operations (auth.pg-ops.ts) act as
 * the administrator "admin", as the command does in the app on a ledger file. The password is hashed here.
 */
export async function openPgUsersLedger(url: string): Promise<UsersLedger> {
  const connection = parseDatabaseUrl(url);
  await migratePg(connection).catch((e: unknown) => {
    throw new AppError('UNAVAILABLE', `Could not open the PostgreSQL ledger at ${shownAddress(connection)}: ${(e as Error).message}. Check the address, that the server runs, and the user's rights on the database.`);
  });
  const pool = openPool(connection, 1);
  const ops = authPgOps(createPgWorkerContext(pool, connection, () => undefined));
  try {
    const admin = await ops.authFind!('admin');
    const caller: Caller = { userId: admin?.id ?? 0, username: 'admin', permissions: admin?.permissions ?? [] };
    return {
      list: () => ops['users.list']!(),
      create: (input) => ops['users.create']!(checked('users.create', input) as Parameters<NonNullable<typeof ops['users.create']>>[0], caller),
      setPermissions: (input) => ops['users.setPermissions']!(checked('users.setPermissions', input) as Parameters<NonNullable<typeof ops['users.setPermissions']>>[0], caller),
      setPassword: async (username, secret) => ops.authSetSecret!(username, 'password', await hashSecret(secret), actorOf(caller)),
      close: () => pool.end(),
    };
  } catch (e) {
    await pool.end();
    throw e;
  }
}
