import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallOutcome } from '../../shared/contract/transport';
import type { DocumentSummary } from '../../shared/operations';
import { runUsersCommand } from '../auth/users-command';
import { connectTestClientTo, signInSpaced, type TestClient } from '../web/ws-test-client';
import { serverLedger, type ServerLedger } from '../../test/fixtures/configured-server';
import { serveProcess } from '../../test/fixtures/serve-process';
import { clusterForConfiguredStore, STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';

/**
 * kill -9 of `stockbook serve` under load (npm run test:crash): several clients post receipts, the server process is
 * killed mid-stream, restarted, and every document whose post was acknowledged is there exactly once, and verify holds.
 * On the configured store: a SQLite file (vitest.crash.config.ts), and a PostgreSQL database of a throw-away cluster
 * (vitest.crash.pg.config.ts), where the killed server's open transactions die with its connections.
 */
const CLI = fileURLToPath(new URL('../../bin/stockbook.mjs', import.meta.url));
const PASSWORD = 'server-admin-password';
const PORT = Number(process.env.STOCKBOOK_CRASH_PORT ?? 5860);
const CLIENTS = 4;
const POSTS_PER_CLIENT = 40;
const cluster = clusterForConfiguredStore();
let dir: string;
let ledger: ServerLedger;
const children = new Set<ChildProcess>();

const result = <T>(o: CallOutcome): T => {
  if (!o.ok) throw new Error(`${o.error.code}: ${o.error.message}`);
  return o.result as T;
};

/** `stockbook serve` in its own process; resolves once it listens. */
async function serve(): Promise<ChildProcess> {
  const { dbPath, databaseUrl } = ledger.serve;
  const dataDir = join(dir, 'server');
  mkdirSync(dataDir, { recursive: true });
  const on = STORE_UNDER_TEST === 'postgres' ? ['--store', 'postgres', '--database-url', databaseUrl!, '--data-dir', dataDir] : ['--db', dbPath];
  return (await serveProcess([...on, '--host', '127.0.0.1', '--port', String(PORT)], children, { ...process.env, STOCKBOOK_NO_DAILY_BACKUP: '1' })).child;
}

async function signedIn(): Promise<TestClient> {
  const c = await connectTestClientTo(`wss://127.0.0.1:${PORT}/ipc`, { rejectUnauthorized: false });
  await signInSpaced(c, 'boss', PASSWORD);
  return c;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-serve-kill-'));
  ledger = await serverLedger(cluster(), dir, 'office');
  expect(await runUsersCommand('add', ledger.users, { name: 'boss', admin: true }, async () => PASSWORD, () => undefined)).toBe(0);
}, 120_000);
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe(`stockbook serve killed with SIGKILL under load (${STORE_UNDER_TEST})`, () => {
  it('loses no acknowledged document and doubles none; verify holds after the restart', async () => {
    let server = await serve();
    const admin = await signedIn();
    const site = result<{ id: number }>(await admin.call('masterdata.siteCreate', { code: 'WH', name: 'Warehouse', kind: 'warehouse', allowNegative: false }));
    const product = result<{ id: number }>(
      await admin.call('masterdata.productCreate', { sku: 'OIL', name: 'Olive oil', unit: 'l', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null, active: true }),
    );
    admin.close();

    // Each client posts one receipt after another; an acknowledged one is a reply with ok.
    const acknowledged: string[] = [];
    const unanswered: string[] = [];
    const clients: TestClient[] = [];
    for (let k = 0; k < CLIENTS; k++) clients.push(await signedIn());
    const killAfter = Math.floor((CLIENTS * POSTS_PER_CLIENT) / 3);
    let killed = false;
    const loads = clients.map(async (c, k) => {
      const closed = new Promise<null>((r) => c.ws.once('close', () => r(null)));
      for (let i = 0; i < POSTS_PER_CLIENT; i++) {
        const reference = `KILL-${k}-${String(i).padStart(3, '0')}`;
        const answer = c.call('operations.receive', { idempotencyKey: `kill-key-${k}-${i}`, kind: 'stock_receipt', siteId: site.id, reference, lines: [{ productId: product.id, qty: 1, unitCost: 10_000 }] });
        const outcome = await Promise.race([answer, closed]);
        if (outcome === null) {
          unanswered.push(reference);
          return;
        }
        if (!outcome.ok) throw new Error(`${reference}: ${outcome.error.message}`);
        acknowledged.push(reference);
        if (!killed && acknowledged.length >= killAfter) {
          killed = true;
          server.kill('SIGKILL');
        }
      }
    });
    await Promise.all(loads);
    expect(killed).toBe(true);
    expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter);

    server = await serve();
    const after = await signedIn();
    const docs = result<DocumentSummary[]>(await after.call('operations.recentDocuments', { limit: 200 }));
    const found = new Map<string, number>();
    for (const d of docs) if (d.reference?.startsWith('KILL-')) found.set(d.reference, (found.get(d.reference) ?? 0) + 1);
    // Every acknowledged post is there, exactly once; one in flight at the kill is there once or not at all.
    for (const reference of acknowledged) expect(found.get(reference), reference).toBe(1);
    for (const [reference, n] of found) expect(n, reference).toBe(1);
    expect([...found.keys()].every((r) => acknowledged.includes(r) || unanswered.includes(r))).toBe(true);
    after.close();
    server.kill('SIGKILL');
    await new Promise<void>((r) => (server.exitCode !== null ? r() : server.once('exit', () => r())));

    const on = STORE_UNDER_TEST === 'postgres' ? ['--database', ledger.serve.databaseUrl!] : ['--db', ledger.serve.dbPath];
    const verify = spawnSync(process.execPath, [CLI, 'verify', ...on], { encoding: 'utf8' });
    expect(verify.status, `${verify.stdout}\n${verify.stderr}`).toBe(0);
    console.log(`serve kill -9 (${STORE_UNDER_TEST}): ${CLIENTS} clients, ${acknowledged.length} acknowledged before/around the kill, ${unanswered.length} unanswered at the kill; all acknowledged found once; verify ok`);
  });
});
