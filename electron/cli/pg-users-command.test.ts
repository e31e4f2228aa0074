import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifySecret } from '../auth/secret-hash';
import { ADMIN_PERMISSIONS } from '../auth/users-command';
import { openPool, type PgConnection } from '../ledger/pg/pg-types';
import { startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';
import { DATABASE_URL_ENV } from './pg-verify-command';
import { cli } from '../../test/fixtures/cli';

const PASSWORD = 'correct horse battery';
let cluster: TestCluster;
let connection: PgConnection;
let url: string;
beforeAll(async () => {
  cluster = await startTestCluster();
  // A new, empty database: the command brings it to the latest schema itself.
  connection = cluster.createDatabase(`users_cli_${process.pid}`);
  url = `postgres://${connection.user}@${connection.host}:${connection.port}/${connection.database}`;
});
afterAll(() => cluster?.stop());
afterEach(() => {
  delete process.env[DATABASE_URL_ENV];
  delete process.env.STOCKBOOK_PASSWORD;
});

async function rows<T>(sql: string): Promise<T[]> {
  const pool = openPool(connection, 1);
  try {
    return (await pool.query<T & Record<string, unknown>>(sql)).rows;
  } finally {
    await pool.end();
  }
}

describe('stockbook users on a PostgreSQL ledger (--database-url)', () => {
  it('refuses a short password before writing anything', async () => {
    process.env.STOCKBOOK_PASSWORD = 'short';
    await expect(cli(['users', 'add', 'boss', '--admin', '--database-url', url])).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('at least 8 characters') as unknown });
    expect(await rows("SELECT 1 FROM users WHERE username = 'boss'")).toEqual([]);
  });

  it('adds the first administrator on a new database: every permission, the password hashed, two audit entries', async () => {
    process.env.STOCKBOOK_PASSWORD = PASSWORD;
    const { code, out } = await cli(['users', 'add', 'boss', '--admin', '--display-name', 'The Boss', '--database-url', url]);
    expect(code).toBe(0);
    expect(out).toContain('Created user "boss" (administrator: every permission).');
    const [boss] = await rows<{ display_name: string; permissions: string; password_hash: string }>("SELECT display_name, permissions, password_hash FROM users WHERE username = 'boss'");
    expect(boss!.display_name).toBe('The Boss');
    expect(JSON.parse(boss!.permissions)).toEqual(ADMIN_PERMISSIONS);
    expect(boss!.password_hash).not.toContain(PASSWORD);
    expect(await verifySecret(PASSWORD, boss!.password_hash)).toBe(true);
    const audit = await rows<{ action: string; username: string }>('SELECT action, username FROM audit_log ORDER BY id');
    expect(audit).toEqual([
      { action: 'user-created', username: 'admin' },
      { action: 'secret-changed', username: 'admin' },
    ]);
  });

  it('takes the address from STOCKBOOK_DATABASE_URL, lists the users, and refuses a user who already has a password', async () => {
    process.env[DATABASE_URL_ENV] = url;
    const { code, out } = await cli(['users', 'list']);
    expect(code).toBe(0);
    expect(out).toMatch(/^admin\tAdministrator\tno password\t/m);
    expect(out).toMatch(/^boss\tThe Boss\tpassword\tread:stock /m);
    process.env.STOCKBOOK_PASSWORD = PASSWORD;
    await expect(cli(['users', 'add', 'boss'])).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('already has a password') as unknown });
  });

  it('refuses --db and --database-url together, and --database-url on another command', async () => {
    await expect(cli(['users', 'list', '--db', '/tmp/x.db', '--database-url', url])).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(cli(['info', '--database-url', url])).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('--database-url works with users') as unknown });
  });
});
