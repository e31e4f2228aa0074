import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPgFixture, type PgFixture } from '../../test/fixtures/pg-ledger';
import { startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';
import { DATABASE_URL_ENV } from './pg-verify-command';
import { cli } from '../../test/fixtures/cli';
import { runCli } from './stockbook';
import { recordPgAnchor } from '../ledger/pg/store/pg-anchor-store';

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

describe('stockbook verify on a PostgreSQL ledger', () => {
  it('verifies the ledger at --database and prints the same report as on a file: every invariant ok, exit 0', async () => {
    const { code, out } = await cli(['verify', '--database', url]);
    expect(out).toContain(`Verifying ${url} (2 movements)`);
    expect(out).toContain('2 movements hashed.');
    expect(out).toMatch(/ok {3}6\. each movement's hash covers its content and the previous hash/);
    expect(out).toMatch(/All invariants hold\.$/);
    expect(code).toBe(0);
  });

  it('takes the address from STOCKBOOK_DATABASE_URL, finds a movement changed around the app, and exits 1', async () => {
    await f.pool.query('ALTER TABLE movements DISABLE TRIGGER movements_no_update');
    await f.pool.query('UPDATE movements SET qty = 1999 WHERE seq = 1');
    process.env[DATABASE_URL_ENV] = url;
    const { code, out } = await cli(['verify', '--json']);
    const report = JSON.parse(out) as { ok: boolean; checks: { name: string; ok: boolean; problems: string[] }[] };
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.name === 'hash-chain')!.problems).toEqual(['movement 1: its hash does not match its content (it was changed)']);
    expect(code).toBe(1);
    const text = await cli(['verify']);
    expect(text.out).toMatch(/FAIL 1\. movements \(and the audit log and chain anchors\) are never updated or deleted[^\n]*\n\s+movements: the trigger movements_no_update is missing or disabled/);
    expect(text.out).toMatch(/The ledger is NOT consistent: see the failures above\.$/);
  });

  it('finds the newest movements removed by an anchor past the end (a backup recorded a head the chain no longer reaches)', async () => {
    await recordPgAnchor(f.pool, 'backup', null);
    await f.pool.query('ALTER TABLE movements DISABLE TRIGGER movements_no_delete; DELETE FROM movements WHERE seq = 2; ALTER TABLE movements ENABLE TRIGGER movements_no_delete');
    const { code, out } = await cli(['verify', '--database', url, '--json']);
    const report = JSON.parse(out) as { checks: { name: string; problems: string[] }[] };
    // The chain up to movement 1 is whole and its own hashes agree: only the anchor tells that movement 2 was there.
    expect(report.checks.find((c) => c.name === 'hash-chain')!.problems).toEqual([]);
    expect(report.checks.find((c) => c.name === 'chain-anchors')!.problems).toEqual([expect.stringMatching(/^chain anchor 1 \(backup.*\) recorded movement 2, but the chain ends at 1 \(movements were removed\)$/)]);
    expect(code).toBe(1);
  });

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
