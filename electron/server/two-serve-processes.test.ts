import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallOutcome } from '../../shared/contract/transport';
import type { CurrentStockPage, PostedDocument } from '../../shared/domain';
import type { DocumentSummary } from '../../shared/operations';
import { serverLedger, type ServerLedger } from '../../test/fixtures/configured-server';
import { serveProcess } from '../../test/fixtures/serve-process';
import { clusterForConfiguredStore, STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';
import { runUsersCommand } from '../auth/users-command';
import { connectTestClientTo, signInSpaced, type TestClient } from '../web/ws-test-client';

/**
 * Issue 17: two real `stockbook serve` processes on one ledger, driven by signed-in clients through the contract (TLS,
 * WebSocket), posting at once into the same products and sites. On PostgreSQL both servers serve one database; on SQLite
 * (one writer per file) the second is refused naming the first, and the same clients all post through the first.
 * Then the real `stockbook verify` holds, every document is there once, no balance is negative and each equals the sum
 * of the accepted documents, and the accepted documents' movements tile one chain 1…N.
 */
const CLI = fileURLToPath(new URL('../../bin/stockbook.mjs', import.meta.url));
const PASSWORD = 'two-servers-admin-password';
const CLIENTS_PER_SERVER = 3;
const STEPS = 8;
const cluster = clusterForConfiguredStore();
const children = new Set<ChildProcess>();
const clients: TestClient[] = [];
let dir: string;
let ledger: ServerLedger;

const result = <T>(o: CallOutcome): T => {
  if (!o.ok) throw new Error(`${o.error.code}: ${o.error.message}`);
  return o.result as T;
};

/** `stockbook serve` on the test's ledger, its certificate and log in a data folder of its own. */
function serve(name: string): Promise<{ child: ChildProcess; port: number }> {
  const dataDir = join(dir, name);
  mkdirSync(dataDir, { recursive: true });
  const { dbPath, store, databaseUrl } = ledger.serve;
  const on = store === 'postgres' ? ['--store', 'postgres', '--database-url', databaseUrl!, '--data-dir', dataDir] : ['--db', dbPath];
  return serveProcess([...on, '--host', '127.0.0.1', '--port', '0', '--static-dir', join(dir, 'renderer')], children, { ...process.env, STOCKBOOK_NO_DAILY_BACKUP: '1' });
}

async function signedIn(port: number): Promise<TestClient> {
  const c = await connectTestClientTo(`wss://127.0.0.1:${port}/ipc`, { rejectUnauthorized: false });
  clients.push(c);
  await signInSpaced(c, 'boss', PASSWORD);
  return c;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-two-servers-'));
  // What the servers serve besides the contract (the built renderer is not this test's).
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Stockbook</title>');
  ledger = await serverLedger(cluster(), dir, 'office');
  expect(await runUsersCommand('add', ledger.users, { name: 'boss', admin: true }, async () => PASSWORD, () => undefined)).toBe(0);
}, 120_000);
afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all([...children].map((child) => new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  })));
  rmSync(dir, { recursive: true, force: true });
});

/** One document a client sends: the call, and what it does to each product/site balance if it is accepted. */
interface Step {
  reference: string;
  method: 'operations.receive' | 'operations.despatch' | 'operations.transfer';
  input: Record<string, unknown>;
  effects: { productId: number; siteId: number; qty: number }[];
}

interface Place {
  wh: number;
  shop: number;
  oil: number;
  flour: number;
}

/**
 * Client `k`'s documents (the same list for the k-th client of each server): receipts, sales bigger than what the
 * receipts bring (so some must be refused, and would oversell on a stale balance), transfers between the two sites,
 * and one receipt under a key the k-th client of the other server sends at the same step.
 */
function stepsOf(server: number, k: number, p: Place): Step[] {
  const steps: Step[] = [];
  for (let i = 0; i < STEPS; i++) {
    const reference = `TWO-${server}-${k}-${i}`;
    const key = `two-servers-${server}-${k}-${i}`;
    const product = (k + i) % 2 ? p.oil : p.flour;
    if (i === 4) {
      const shared = { productId: p.oil, siteId: p.wh, qty: 5 };
      steps.push({
        reference: `SHARED-${k}`,
        method: 'operations.receive',
        input: { idempotencyKey: `two-servers-shared-${k}`, kind: 'stock_receipt', siteId: p.wh, reference: `SHARED-${k}`, lines: [{ productId: p.oil, qty: 5, unitCost: 1_000 }] },
        effects: [shared],
      });
    } else if (i % 4 === 0) {
      const siteId = k % 2 ? p.shop : p.wh;
      steps.push({ reference, method: 'operations.receive', input: { idempotencyKey: key, kind: 'stock_receipt', siteId, reference, lines: [{ productId: product, qty: 3, unitCost: 1_000 }] }, effects: [{ productId: product, siteId, qty: 3 }] });
    } else if (i % 4 === 1 || i % 4 === 3) {
      const siteId = i % 4 === 1 ? p.wh : p.shop;
      steps.push({ reference, method: 'operations.despatch', input: { idempotencyKey: key, kind: 'sale', siteId, reference, lines: [{ productId: product, qty: 4 }] }, effects: [{ productId: product, siteId, qty: -4 }] });
    } else {
      steps.push({
        reference,
        method: 'operations.transfer',
        input: { idempotencyKey: key, fromSiteId: p.wh, toSiteId: p.shop, reference, lines: [{ productId: product, qty: 2 }] },
        effects: [{ productId: product, siteId: p.wh, qty: -2 }, { productId: product, siteId: p.shop, qty: 2 }],
      });
    }
  }
  return steps;
}

interface Answer {
  server: number;
  step: Step;
  outcome: CallOutcome;
}

describe(`two stockbook serve processes on one ledger (${STORE_UNDER_TEST})`, () => {
  it('clients of both post at once into the same products and sites: verify holds, every document is there once, balances are the sums and never negative', { timeout: 300_000 }, async () => {
    let ports: number[];
    if (STORE_UNDER_TEST === 'postgres') ports = (await Promise.all([serve('server-a'), serve('server-b')])).map((s) => s.port);
    else {
      ports = [(await serve('server-a')).port];
      await expect(serve('server-b')).rejects.toThrow(/is in use by .*Only one program at a time may change a ledger/s);
    }

    const admin = await signedIn(ports[0]!);
    const site = (code: string) => admin.call('masterdata.siteCreate', { code, name: `Site ${code}`, kind: 'warehouse', allowNegative: false });
    const product = (sku: string) =>
      admin.call('masterdata.productCreate', { sku, name: `Product ${sku}`, unit: 'pcs', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null });
    const p: Place = {
      wh: result<{ id: number }>(await site('WH')).id,
      shop: result<{ id: number }>(await site('SHOP')).id,
      oil: result<{ id: number }>(await product('OIL')).id,
      flour: result<{ id: number }>(await product('FLOUR')).id,
    };
    const opening: Step = {
      reference: 'OPENING',
      method: 'operations.receive',
      input: { idempotencyKey: 'two-servers-opening', kind: 'stock_receipt', siteId: p.wh, reference: 'OPENING', lines: [{ productId: p.oil, qty: 10, unitCost: 1_000 }, { productId: p.flour, qty: 10, unitCost: 1_000 }] },
      effects: [{ productId: p.oil, siteId: p.wh, qty: 10 }, { productId: p.flour, siteId: p.wh, qty: 10 }],
    };
    const answers: Answer[] = [{ server: 0, step: opening, outcome: await admin.call(opening.method, opening.input) }];

    // Every client is signed in before any posts; the k-th client of each server runs the same list (2 servers on
    // PostgreSQL; on SQLite both lists go through the one server).
    const runners: { server: number; k: number; client: TestClient }[] = [];
    for (const server of [0, 1]) {
      for (let k = 0; k < CLIENTS_PER_SERVER; k++) runners.push({ server, k, client: await signedIn(ports[server] ?? ports[0]!) });
    }
    await Promise.all(
      runners.map(async ({ server, k, client }) => {
        for (const step of stepsOf(server, k, p)) answers.push({ server, step, outcome: await client.call(step.method, step.input) });
      }),
    );

    // The only refusal the mix can meet is a sale or transfer of stock that is not there.
    for (const a of answers) if (!a.outcome.ok) expect(a.outcome.error.code, `${a.step.reference}: ${a.outcome.error.message}`).toBe('NEGATIVE_STOCK');
    const accepted = answers.filter((a) => a.outcome.ok).map((a) => ({ ...a, posted: a.outcome.ok ? (a.outcome.result as PostedDocument) : undefined! }));
    expect(accepted.length).toBeGreaterThan(answers.length / 2);
    expect(accepted.length).toBeLessThan(answers.length);

    // One key sent through both servers at once: one document, the other answer its replay.
    for (let k = 0; k < CLIENTS_PER_SERVER; k++) {
      const both = accepted.filter((a) => a.step.reference === `SHARED-${k}`);
      expect(both.map((a) => a.server).sort()).toEqual([0, 1]);
      expect(both[0]!.posted.documentId).toBe(both[1]!.posted.documentId);
      expect(both.map((a) => a.posted.replayed).sort()).toEqual([false, true]);
    }
    const written = accepted.filter((a) => !a.posted.replayed);

    // Every accepted document is in the ledger once, under its own id; nothing refused is.
    const docs = result<DocumentSummary[]>(await admin.call('operations.recentDocuments', { limit: 200 }));
    const refs = docs.map((d) => d.reference).filter((r) => r?.startsWith('TWO-') || r?.startsWith('SHARED-') || r === 'OPENING');
    expect(refs.sort()).toEqual(written.map((a) => a.step.reference).sort());
    expect(new Set(written.map((a) => a.posted.documentId)).size).toBe(written.length);

    // The accepted documents' movements tile one chain: seq 1…N, each document's run contiguous, none shared.
    const runs = written.map((a) => [a.posted.firstSeq!, a.posted.lastSeq!] as const).sort((x, y) => x[0] - y[0]);
    let next = 1;
    for (const [from, to] of runs) {
      expect(from).toBe(next);
      next = to + 1;
    }
    const movements = next - 1;
    expect(written.reduce((n, a) => n + a.posted.movementCount, 0)).toBe(movements);
    if (STORE_UNDER_TEST === 'postgres') {
      // Both servers wrote into the one chain while the other did: a document of server B lies between two of A's.
      const order = written.filter((a) => a.step.reference !== 'OPENING').sort((x, y) => x.posted.firstSeq! - y.posted.firstSeq!).map((a) => a.server);
      expect(order.indexOf(1)).toBeLessThan(order.lastIndexOf(0));
    }

    // Every balance is the sum of what the accepted documents moved, and none is negative.
    const expected = new Map<string, number>();
    for (const a of written) for (const e of a.step.effects) expected.set(`${e.productId}:${e.siteId}`, (expected.get(`${e.productId}:${e.siteId}`) ?? 0) + e.qty);
    const stock = result<CurrentStockPage>(await admin.call('stock.current', {}));
    for (const productId of [p.oil, p.flour]) {
      for (const siteId of [p.wh, p.shop]) {
        const onHand = stock.rows.find((r) => r.productId === productId && r.siteId === siteId)?.onHand ?? 0;
        expect(onHand, `product ${productId} at site ${siteId}`).toBe(expected.get(`${productId}:${siteId}`) ?? 0);
        expect(onHand).toBeGreaterThanOrEqual(0);
      }
    }

    // The real `stockbook verify`, beside the running servers (read-only).
    const on = STORE_UNDER_TEST === 'postgres' ? ['--database', ledger.serve.databaseUrl!] : ['--db', ledger.serve.dbPath];
    const verify = spawnSync(process.execPath, [CLI, 'verify', ...on, '--json'], { encoding: 'utf8' });
    expect(verify.status, `${verify.stdout}\n${verify.stderr}`).toBe(0);
    const report = JSON.parse(verify.stdout) as { ok: boolean; movements: number; checks: { ok: boolean; invariant: string }[] };
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.movements).toBe(movements);
  });
});
