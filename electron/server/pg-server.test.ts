import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CurrentStockPage, SiteInfo } from '../../shared/domain';
import type { CallOutcome } from '../../shared/contract/transport';
import { countStockLines } from '../../test/fixtures/count-stock';
import { openPgFixture, type PgFixture } from '../../test/fixtures/pg-ledger';
import { startStockbook, type Stockbook } from '../app/compose';
import { hashSecret } from '../auth/secret-hash';
import { runCli } from '../cli/stockbook';
import { openPool } from '../ledger/pg/pg-types';
import { startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';
import { connectTestClientTo } from '../web/ws-test-client';
import { startServer, type RunningServer } from './serve-command';

/**
 * `stockbook serve --store postgres`: the server on a throw-away PostgreSQL cluster. The address carries a password
 * (the cluster trusts any) so every printed line and message can be held to never show it.
 */
const PASSWORD = 'pg-server-admin-password';
const DB_PASSWORD = 'db-secret-never-shown';
let cluster: TestCluster;
let f: PgFixture;
let dir: string;
let dataDir: string;
let staticDir: string;
let url: string;
let shown: string;
const printed: string[] = [];
const result = <T>(o: CallOutcome): T => {
  if (!o.ok) throw new Error(`${o.error.code}: ${o.error.message}`);
  return o.result as T;
};

beforeAll(async () => {
  cluster = await startTestCluster();
  f = await openPgFixture(cluster);
  await f.store.post({ idempotencyKey: 'server-receipt', type: 'receipt', lines: countStockLines(f.ids) }, f.ids.admin);
  // Test-only: the administrator's password set through the users table (user management on PostgreSQL is not this test's).
  const pool = openPool(f.connection, 1);
  await pool.query('UPDATE users SET password_hash = $1 WHERE username = $2', [await hashSecret(PASSWORD), 'admin']);
  await pool.end();
  dir = mkdtempSync(join(tmpdir(), 'stockbook-pg-server-'));
  dataDir = join(dir, 'data');
  staticDir = join(dir, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Stockbook</title>');
  shown = `postgres://${f.connection.user}@${f.connection.host}:${f.connection.port}/${f.connection.database}`;
  url = `postgres://${f.connection.user}:${DB_PASSWORD}@${f.connection.host}:${f.connection.port}/${f.connection.database}`;
}, 120_000);
afterAll(async () => {
  await f?.close();
  cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the Stockbook server on PostgreSQL', () => {
  it('refuses to serve a PostgreSQL ledger where nobody has a password yet, and says how to make the first administrator', { timeout: 120_000 }, async () => {
    const fresh = cluster.createDatabase(`fresh_${process.pid}`);
    const freshUrl = `postgres://${fresh.user}@${fresh.host}:${fresh.port}/${fresh.database}`;
    const refused = await startServer({ dbPath: 'unused.db', store: 'postgres', databaseUrl: freshUrl, dataDir, migrate: true, host: '127.0.0.1', port: 0, staticDir }, () => undefined).then(
      async (s) => {
        await s.close();
        return null;
      },
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ code: 'PERMISSION', message: expect.stringContaining(`stockbook users add NAME --admin --database-url ${freshUrl}`) as unknown });
  });

  it('the composition root on PostgreSQL answers stock, sites and verify through the contract, naming the database without its password', { timeout: 120_000 }, async () => {
    const app: Stockbook = await startStockbook({ dbPath: join(dataDir, 'direct.pg'), mode: 'web', store: { kind: 'postgres', connection: { ...f.connection, password: DB_PASSWORD } } });
    try {
      expect(app.safeMode).toBeNull();
      expect(app.ledgerName).toBe(shown);
      const page = result<CurrentStockPage>(await app.dispatch('stock.current', {}, app.session));
      expect(page.rows.filter((r) => r.siteCode === 'WH1').map((r) => [r.sku, r.onHand])).toEqual([['CLARET-75', 18], ['RICE-1KG', 14_000], ['TAP-01', 4]]);
      expect(result<SiteInfo[]>(await app.dispatch('sites.list', {}, app.session)).map((s) => s.code).slice(0, 2)).toEqual(['BAR', 'WH1']);
      expect(await app.dispatch('ledger.verify', {}, app.session)).toMatchObject({ ok: true, result: { ok: true, movements: 9, mode: { kind: 'full' } } });
      const info = await app.dispatch('app.info', {}, app.session);
      // The status bar names the database server from `postgres` ("host:port/database"), never the password.
      const server = `${f.connection.host}:${f.connection.port}/${f.connection.database}`;
      expect(info).toMatchObject({ ok: true, result: { dbPath: shown, postgres: server, movementCount: 9, user: { username: 'admin' } } });
      expect(JSON.stringify(info)).not.toContain(DB_PASSWORD);
    } finally {
      await app.close();
    }
  });

  it('stockbook serve --store postgres: a TLS connection signs in and reads stock, sites and verify', { timeout: 120_000 }, async () => {
    let server: RunningServer | undefined;
    const started = await startServer({ dbPath: 'unused.db', store: 'postgres', databaseUrl: url, dataDir, host: '127.0.0.1', port: 0, staticDir }, (l) => printed.push(l)).then(
      (s) => (server = s),
      (e: unknown) => e as Error,
    );
    try {
      if (!server) throw started;
      expect(printed.join('\n')).toContain(`(TLS), ledger ${shown}`);
      expect(printed.join('\n')).not.toContain(DB_PASSWORD);
      expect(existsSync(join(dataDir, `${f.connection.database}.server-cert.pem`))).toBe(true);
      const raw = await connectTestClientTo(`wss://127.0.0.1:${server.web.port}/ipc`, { rejectUnauthorized: false });
      try {
        expect(await raw.call('stock.current', {})).toMatchObject({ ok: false, error: { code: 'PERMISSION' } });
        result(await raw.call('auth.signIn', { username: 'admin', kind: 'password', secret: PASSWORD }));
        const page = result<CurrentStockPage>(await raw.call('stock.current', {}));
        expect(page.rows.find((r) => r.sku === 'RICE-1KG' && r.siteCode === 'WH1')?.onHand).toBe(14_000);
        expect(result<SiteInfo[]>(await raw.call('sites.list', {})).map((s) => s.code).slice(0, 2)).toEqual(['BAR', 'WH1']);
        expect(result<{ ok: boolean }>(await raw.call('ledger.verify', {})).ok).toBe(true);
      } finally {
        raw.close();
      }
    } finally {
      await server?.close();
    }
  });

  it('the command line refuses --store postgres without a database, and --migrate without PostgreSQL, saying what to give', async () => {
    const env = process.env.STOCKBOOK_DATABASE_URL;
    delete process.env.STOCKBOOK_DATABASE_URL;
    try {
      await expect(runCli(['serve', '--store', 'postgres'])).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('--database-url postgres://USER@HOST:PORT/DATABASE') });
      await expect(runCli(['serve', '--store', 'mysql'])).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('--store sqlite') });
      await expect(runCli(['serve', '--migrate'])).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('for a PostgreSQL ledger') });
    } finally {
      if (env !== undefined) process.env.STOCKBOOK_DATABASE_URL = env;
    }
  });
});
