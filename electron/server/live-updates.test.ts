import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerChange } from '../../shared/contract/events';
import type { CallOutcome } from '../../shared/contract/transport';
import type { PostedDocument } from '../../shared/domain';
import { serverLedger } from '../../test/fixtures/configured-server';
import { clusterForConfiguredStore, STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';
import { runUsersCommand } from '../auth/users-command';
import { connectTestClientTo, type TestClient } from '../web/ws-test-client';
import { startServer, type RunningServer } from './serve-command';

const PASSWORD = 'server-admin-password';
const cluster = clusterForConfiguredStore();
let dir: string;
let server: RunningServer;
const open: TestClient[] = [];

const result = <T>(o: CallOutcome): T => {
  if (!o.ok) throw new Error(`${o.error.code}: ${o.error.message}`);
  return o.result as T;
};
async function connect(username?: string, secret = PASSWORD): Promise<TestClient> {
  const c = await connectTestClientTo(`wss://127.0.0.1:${server.web.port}/ipc`, { rejectUnauthorized: false });
  open.push(c);
  if (username) result(await c.call('auth.signIn', { username, kind: 'password', secret }));
  return c;
}
const changes = (c: TestClient) => c.events.filter((e) => e.event === 'ledger.changed').map((e) => e.payload as LedgerChange);
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
}
/** A reply is sent after every event the server sent this socket before it: once it is here, nothing else is on its way. */
const drained = async (c: TestClient) => void (await c.call('auth.status', {}));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-live-'));
  const staticDir = join(dir, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Stockbook</title>');
  const ledger = await serverLedger(cluster(), dir, 'office');
  expect(await runUsersCommand('add', ledger.users, { name: 'boss', admin: true }, async () => PASSWORD, () => undefined)).toBe(0);
  server = await startServer({ ...ledger.serve, host: '127.0.0.1', port: 0, staticDir }, () => undefined);
  const boss = await connect('boss');
  // A clerk who may see stock, and a counter who may count but not look at stock levels.
  for (const [username, permissions] of [['clerk', ['read:stock']], ['counter', ['create:stock-count']]] as const) {
    result(await boss.call('users.create', { username, displayName: username, permissions: [...permissions] }));
    result(await boss.call('users.setSecret', { username, kind: 'password', secret: PASSWORD }));
  }
}, 240_000);
afterAll(async () => {
  for (const c of open) c.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`live updates from a Stockbook server (${STORE_UNDER_TEST})`, () => {
  it('when A posts a receipt, B hears one ledger.changed naming the product, site and document; a signed-out or unpermitted connection hears nothing', { timeout: 60_000 }, async () => {
    const a = await connect('boss');
    const b = await connect('clerk');
    const signedOut = await connect();
    const counter = await connect('counter');
    const site = result<{ id: number }>(await a.call('masterdata.siteCreate', { code: 'WH', name: 'Warehouse', kind: 'warehouse', allowNegative: false }));
    const product = result<{ id: number }>(
      await a.call('masterdata.productCreate', { sku: 'OIL', name: 'Olive oil', unit: 'l', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null }),
    );
    // Master data names no products: anything may have changed.
    await until(() => changes(b).some((c) => c.products === null && c.reasons.includes('product')));

    const posted = result<PostedDocument>(await a.call('operations.receive', { idempotencyKey: 'live-key-0001', kind: 'stock_receipt', siteId: site.id, reference: 'LIVE-0001', lines: [{ productId: product.id, qty: 7, unitCost: 10_000 }] }));
    await until(() => changes(b).some((c) => c.documents.includes(posted.documentId!)));
    const heard = changes(b).find((c) => c.documents.includes(posted.documentId!))!;
    expect(heard).toMatchObject({ products: [product.id], sites: [site.id], counts: [] });
    expect(heard.reasons).toContain('stock_receipt');
    // B can read what changed: the new level is there.
    const stock = result<{ rows: { productId: number; onHand: number }[] }>(await b.call('stock.current', {}));
    expect(stock.rows.find((r) => r.productId === product.id)?.onHand).toBe(7);

    await drained(signedOut);
    await drained(counter);
    expect(signedOut.events).toEqual([]);
    expect(counter.events.filter((e) => e.event === 'ledger.changed' || e.event === 'stock.changed')).toEqual([]);
    // The worker's per-write report never leaves the server.
    expect(b.events.filter((e) => e.event === 'stock.changed')).toEqual([]);
  });

  it('a burst of posts reaches another client as a few coalesced events, every document named once', { timeout: 60_000 }, async () => {
    const a = await connect('boss');
    const b = await connect('clerk');
    const sites = result<{ id: number; code: string }[]>(await a.call('sites.list', {}));
    const site = sites.find((s) => s.code === 'WH')!;
    const products = result<{ rows: { productId: number }[] }>(await a.call('stock.current', {}));
    const productId = products.rows[0]!.productId;
    const posts = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        a.call('operations.receive', { idempotencyKey: `burst-key-${i}`, kind: 'stock_receipt', siteId: site.id, reference: `BURST-${String(i).padStart(4, '0')}`, lines: [{ productId, qty: 1, unitCost: 10_000 }] }),
      ),
    );
    const ids = posts.map((p) => result<PostedDocument>(p).documentId!);
    await until(() => ids.every((id) => changes(b).some((c) => c.documents.includes(id))));
    const named = changes(b).flatMap((c) => c.documents).filter((d) => ids.includes(d));
    expect(named.sort((x, y) => x - y)).toEqual([...ids].sort((x, y) => x - y));
    // Fewer events than posts only where the posts commit within the merge window of each other: SQLite's one worker
    // does. PostgreSQL's writers take the chain lock one after another, and on a loaded machine commit further apart
    // than the window, so how many events they make says how fast the machine is (the merging itself: ledger-changes.test.ts).
    if (STORE_UNDER_TEST === 'sqlite') expect(changes(b).length).toBeLessThan(ids.length);
  });

  // Every kind of job a client starts: the ones whose id the worker used to make (a movements export, an exact count) included.
  // A backup is a SQLite ledger's own job: a PostgreSQL ledger refuses it (the database server's own backups keep it).
  const jobs = [
    ['backups.run', {}, 'backup'],
    ['enquiry.exportStart', { format: 'csv' }, 'export'],
    ['enquiry.countRefine', {}, 'movement count'],
  ] as const;
  it.each(STORE_UNDER_TEST === 'sqlite' ? jobs : jobs.filter(([method]) => method !== 'backups.run'))("a job's progress and result go only to the session that started it (%s)", { timeout: 60_000 }, async (method, input, kind) => {
    const a = await connect('boss');
    const sameUserElsewhere = await connect('boss');
    const { jobId } = result<{ jobId: string }>(await a.call(method, input));
    const ofJob = (c: TestClient) => c.events.filter((e) => (e.event === 'job.progress' || e.event === 'job.finished') && (e.payload as { jobId: string }).jobId === jobId);
    await until(() => ofJob(a).some((e) => e.event === 'job.finished'));
    expect(ofJob(a).at(-1)?.payload).toMatchObject({ jobId, kind, ok: true });
    await drained(sameUserElsewhere);
    expect(ofJob(sameUserElsewhere)).toEqual([]);
  });

  it('a count line counted on one client names its count session to the others', { timeout: 60_000 }, async () => {
    const a = await connect('boss');
    const b = await connect('clerk');
    const site = result<{ id: number; code: string }[]>(await a.call('sites.list', {})).find((s) => s.code === 'WH')!;
    const count = result<{ id: number }>(await a.call('counts.create', { siteId: site.id, notes: 'Live count' }));
    const sheet = result<{ lines: { id: number }[] }>(await a.call('counts.get', { sessionId: count.id }));
    const before = changes(b).length;
    result(await a.call('counts.setCounted', { sessionId: count.id, lineId: sheet.lines[0]!.id, countedQty: 3 }));
    await until(() => changes(b).slice(before).some((c) => c.counts.includes(count.id) && c.reasons.includes('count-line')));
    // A count line moves no stock: views of stock do not refetch for it.
    expect(changes(b).slice(before).find((c) => c.reasons.includes('count-line'))).toMatchObject({ products: [], documents: [] });
  });
});
