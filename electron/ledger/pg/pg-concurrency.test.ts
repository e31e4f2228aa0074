import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgFixture, type PgFixture } from '../../../test/fixtures/pg-ledger';
import type { ChildOutcome, ChildPlan } from './pg-post-child';
import { PgReferenceStore } from './store/pg-reference-store';
import { startTestCluster, type TestCluster } from './test-cluster';

const root = join(import.meta.dirname, '..', '..', '..');

let cluster: TestCluster;
let f: PgFixture;
beforeAll(async () => {
  cluster = await startTestCluster();
  f = await openPgFixture(cluster);
});
afterAll(async () => {
  await f?.close();
  cluster?.stop();
});

/** A child process posting as one server: ready once it has connected, done with its outcomes after "go". */
function startServer(child: string, plan: ChildPlan): { ready: Promise<void>; go: () => void; done: Promise<ChildOutcome[]> } {
  const p = spawn(process.execPath, ['--import', 'tsx', child, JSON.stringify(plan)], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  p.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.startsWith('ready\n')) onReady();
  });
  p.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const done = new Promise<ChildOutcome[]>((resolve, reject) =>
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.slice('ready\n'.length)) as ChildOutcome[]) : reject(new Error(`${plan.server} exited ${code}: ${err}`)))),
  );
  done.catch(() => onReady());
  return { ready, go: () => p.stdin.end('go\n'), done };
}

describe('two Stockbook servers on one PostgreSQL', () => {
  it('post concurrently into the same products and sites: verify holds, every document is written once, balances are the sums', async () => {
    const refs = new PgReferenceStore(f.pool);
    const products = [f.ids.bulk, await refs.createProduct({ sku: 'FLOUR', name: 'Flour' })];
    const sites = [f.ids.wh, f.ids.shop];
    const plan = (server: string, seed: number): ChildPlan => ({ connection: f.connection, server, seed, documents: 60, userId: f.ids.admin, products, sites });
    const child = join(root, 'electron/ledger/pg/pg-post-child.ts');
    const servers = [plan('server-a', 1), plan('server-b', 2)].map((p) => startServer(child, p));
    // Both are connected before either posts: then "go" to both.
    await Promise.all(servers.map((s) => s.ready));
    for (const s of servers) s.go();
    const [a, b] = await Promise.all(servers.map((s) => s.done));
    const outcomes = [...a!, ...b!];
    expect(outcomes).toHaveLength(120);
    // The only refusal the mix can meet is a sale or transfer out of stock that is not there (yet).
    expect(new Set(outcomes.filter((o) => o.refused).map((o) => o.refused))).toEqual(new Set(outcomes.some((o) => o.refused) ? ['NEGATIVE_STOCK'] : []));

    // Every accepted key is one document; a key both servers posted has one document id and one first write.
    const accepted = new Map<string, ChildOutcome[]>();
    for (const o of outcomes) if (o.result) accepted.set(o.key, [...(accepted.get(o.key) ?? []), o]);
    const written = (await f.pool.query<{ idempotency_key: string; id: number }>('SELECT idempotency_key, id FROM documents')).rows;
    expect(written.map((d) => d.idempotency_key).sort()).toEqual([...accepted.keys()].sort());
    const shared = [...accepted].filter(([k]) => k.startsWith('shared-'));
    expect(shared).toHaveLength(12);
    for (const [key, both] of shared) {
      expect(both, key).toHaveLength(2);
      expect(both[0]!.result!.documentId).toBe(both[1]!.result!.documentId);
      expect(both.filter((o) => !o.result!.replayed), key).toHaveLength(1);
    }

    // Balances equal the sums of the accepted documents' lines (each key counted once), and none is negative.
    const expected = new Map<string, number>();
    for (const [, [o]] of accepted) for (const l of o!.lines) expected.set(`${l.productId}:${l.siteId}`, (expected.get(`${l.productId}:${l.siteId}`) ?? 0) + l.qty);
    for (const p of products) {
      for (const s of sites) {
        const balance = await f.store.balance(p, s);
        expect(balance, `product ${p} site ${s}`).toBe(expected.get(`${p}:${s}`) ?? 0);
        expect(balance).toBeGreaterThanOrEqual(0);
      }
    }
    const report = await f.store.verify();
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    const movements = [...accepted.values()].reduce((n, [o]) => n + o!.lines.length, 0);
    expect(report.movements).toBe(movements);
    // Both servers' documents interleave in the one chain (neither ran all of its documents before the other started).
    const order = (await f.pool.query<{ key: string }>('SELECT d.idempotency_key AS key FROM movements m JOIN documents d ON d.id = m.document_id ORDER BY m.seq')).rows.map((r) => r.key);
    const firstB = order.findIndex((k) => k.startsWith('server-b'));
    const lastA = order.findLastIndex((k) => k.startsWith('server-a'));
    expect(firstB).toBeLessThan(lastA);
  });
});
