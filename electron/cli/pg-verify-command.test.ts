import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPgFixture, type PgFixture } from '../../test/fixtures/pg-ledger';
import { startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';
import { DATABASE_URL_ENV } from './pg-verify-command';
import { cli } from '../../test/fixtures/cli';
import { runCli } from './stockbook';

let cluster: TestCluster;
let f: PgFixture;
let url: string;
beforeAll(async () => {
  cluster = await startTestCluster();
});
afterAll(() => cluster?.stop());
beforeEach(async () => {
  f = await openPgFixture(cluster);
  url = `postgres://${f.connection.user}@${f.connection.host}:${f.connection.port}/${f.connection.database}`;
  await f.store.post({ idempotencyKey: 'v-1', type: 'receipt', lines: [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'inbound', qty: 2_000 }] }, f.ids.admin);
  await f.store.post({ idempotencyKey: 'v-2', type: 'despatch', lines: [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'sale', qty: -500 }] }, f.ids.admin);
});
afterEach(async () => {
  await f.close();
  delete process.env[DATABASE_URL_ENV];
});

/**
 * `stockbook verify --database` on what is PostgreSQL's own: its TRUNCATE and row triggers by name, and the address it is
 * given. What it finds on both stores (the report, a changed movement, an anchor past the end): verify-command.test.ts.
 */
describe('stockbook verify on a PostgreSQL ledger', () => {
  it('fails the append-only check, naming the trigger, when a TRUNCATE or row trigger is dropped or disabled, and passes again once it is back', async () => {
    const appendOnly = async () => {
      const { code, out } = await cli(['verify', '--database', url, '--json']);
      return { code, problems: (JSON.parse(out) as { checks: { name: string; problems: string[] }[] }).checks.find((c) => c.name === 'append-only')!.problems };
    };
    expect(await appendOnly()).toEqual({ code: 0, problems: [] });
    await f.pool.query('ALTER TABLE documents DISABLE TRIGGER documents_no_truncate');
    await f.pool.query('DROP TRIGGER movements_no_truncate ON movements');
    await f.pool.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_delete');
    expect(await appendOnly()).toEqual({
      code: 1,
      problems: ['audit_log: the trigger audit_log_no_delete is missing or disabled', 'movements: the trigger movements_no_truncate is missing or disabled', 'documents: the trigger documents_no_truncate is missing or disabled'],
    });
    // A trigger of the right name that does not fire on TRUNCATE (here: a row trigger on DELETE) does not count.
    await f.pool.query('CREATE TRIGGER movements_no_truncate BEFORE DELETE ON movements FOR EACH ROW EXECUTE FUNCTION stockbook_no_truncate()');
    expect((await appendOnly()).problems).toContain('movements: the trigger movements_no_truncate is missing or disabled');
    await f.pool.query('DROP TRIGGER movements_no_truncate ON movements');
    await f.pool.query('CREATE TRIGGER movements_no_truncate BEFORE TRUNCATE ON movements FOR EACH STATEMENT EXECUTE FUNCTION stockbook_no_truncate()');
    await f.pool.query('ALTER TABLE documents ENABLE TRIGGER documents_no_truncate');
    await f.pool.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_delete');
    expect(await appendOnly()).toEqual({ code: 0, problems: [] });
  });

  it('refuses an address that is not postgres://USER@HOST:PORT/DATABASE, or two ledgers at once, saying what to give', async () => {
    await expect(runCli(['verify', '--database', 'mysql://me@host/db'])).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('Give it as postgres://USER@HOST:PORT/DATABASE') });
    await expect(runCli(['verify', '--database', url, '--db', '/tmp/x.db'])).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('Give one ledger to verify') });
    await expect(runCli(['info', '--database', url])).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('--database works with verify') });
  });

  it('says which database it could not reach, without a password', async () => {
    await expect(runCli(['verify', '--database', `postgres://${f.connection.user}:secret@${f.connection.host}:${f.connection.port}/no_such_db`])).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(new RegExp(`^Could not verify the PostgreSQL ledger at postgres://${f.connection.user}@${f.connection.host}:${f.connection.port}/no_such_db: .*no_such_db`)),
    });
  });
});
