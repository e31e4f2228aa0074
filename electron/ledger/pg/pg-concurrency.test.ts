import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MovementLineInput } from '../../../shared/contract/schemas';
import { pgLedgerForFile, type PgFixture } from '../../../test/fixtures/pg-ledger';
import { settledOrWaiting, startPgServer } from '../../../test/fixtures/pg-servers';
import type { ChildOutcome, ChildPlan } from './pg-post-child';
import { openPool } from './pg-types';
import { PgReferenceStore } from './store/pg-reference-store';

let f: PgFixture;
pgLedgerForFile((fixture) => (f = fixture));

describe('two Stockbook servers on one PostgreSQL', () => {
  it('post concurrently into the same products and sites: verify holds, every document is written once, balances are the sums', async () => {
    const refs = new PgReferenceStore(f.pool);
    const products = [f.ids.bulk, await refs.addProduct({ sku: 'FLOUR', name: 'Flour' })];
    const sites = [f.ids.wh, f.ids.shop];
    const plan = (server: string, seed: number): ChildPlan => ({ connection: f.connection, server, seed, documents: 60, userId: f.ids.admin, products, sites });
    const servers = [plan('server-a', 1), plan('server-b', 2)].map(startPgServer);
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

/**
 * What a posting's rules read and another server may change meanwhile: master data refuses each change while the row
 * holds stock, checking after it has locked the row (FOR UPDATE). `broken` counts stock the change should have stopped.
 */
interface Dependency {
  what: string;
  /** a fresh row of its own, and the line posting into it */
  make(refs: PgReferenceStore): Promise<{ id: number; line: MovementLineInput }>;
  lock: string;
  hasStock: string;
  change: string;
  /** the refusal a posting meets once the change is committed */
  refusal: RegExp;
  broken: string;
}

let made = 0;
const DEPENDENCIES: Dependency[] = [
  {
    what: 'a site deactivated',
    make: async (refs) => {
      const id = await refs.addSite({ code: `S${++made}`, name: `Race site ${made}` });
      return { id, line: { productId: f.ids.bulk, siteId: id, type: 'inbound', qty: 7 } };
    },
    lock: 'SELECT id FROM sites WHERE id = $1 FOR UPDATE',
    hasStock: 'SELECT EXISTS (SELECT 1 FROM stock_levels WHERE site_id = $1 AND qty <> 0) AS yes',
    change: 'UPDATE sites SET active = false WHERE id = $1',
    refusal: /Race site \d+ is inactive/,
    broken: 'SELECT COUNT(*) AS n FROM stock_levels l JOIN sites s ON s.id = l.site_id WHERE s.id = $1 AND NOT s.active AND l.qty <> 0',
  },
  {
    what: 'a bin deactivated',
    make: async (refs) => {
      const id = await refs.addBin(f.ids.wh, `R-${++made}`);
      return { id, line: { productId: f.ids.bulk, siteId: f.ids.wh, binId: id, type: 'inbound', qty: 7 } };
    },
    lock: 'SELECT id FROM bins WHERE id = $1 FOR UPDATE',
    hasStock: 'SELECT EXISTS (SELECT 1 FROM stock_levels WHERE bin_id = $1 AND qty <> 0) AS yes',
    change: 'UPDATE bins SET active = false WHERE id = $1',
    refusal: /bin R-\d+ at Central Warehouse is inactive/,
    broken: 'SELECT COUNT(*) AS n FROM stock_levels l JOIN bins b ON b.id = l.bin_id WHERE b.id = $1 AND NOT b.active AND l.qty <> 0',
  },
  {
    what: "a product's tracking changed to serial numbers",
    make: async (refs) => {
      const id = await refs.addProduct({ sku: `RACE-${++made}`, name: `Race product ${made}` });
      return { id, line: { productId: id, siteId: f.ids.wh, type: 'inbound', qty: 7 } };
    },
    lock: 'SELECT id FROM products WHERE id = $1 FOR UPDATE',
    hasStock: 'SELECT EXISTS (SELECT 1 FROM stock_levels WHERE product_id = $1 AND qty <> 0) AS yes',
    change: "UPDATE products SET tracking = 'SERIAL' WHERE id = $1",
    refusal: /RACE-\d+ is serial-tracked; enter one serial number per unit/,
    broken: "SELECT COUNT(*) AS n FROM stock_levels l JOIN products p ON p.id = l.product_id WHERE p.id = $1 AND p.tracking = 'SERIAL' AND l.qty <> 0",
  },
];


/**
 * Master data's change as server B makes it, in one transaction, the row locked before the stock is read: either
 * `lock-first` (SELECT … FOR UPDATE, refuse while it holds stock, else UPDATE) or `update-first` (the versioned UPDATE
 * takes the lock, then the stock is read and the change rolled back if there is any).
 */
type ChangeOrder = 'lock-first' | 'update-first';
async function change(b: pg.PoolClient, dep: Dependency, id: number, order: ChangeOrder, whileLocked: () => Promise<void> = async () => undefined): Promise<'changed' | 'refused'> {
  await b.query('BEGIN');
  await b.query(order === 'lock-first' ? dep.lock : dep.change, [id]);
  await whileLocked();
  if ((await b.query<{ yes: boolean }>(dep.hasStock, [id])).rows[0]!.yes) {
    await b.query('ROLLBACK');
    return 'refused';
  }
  if (order === 'lock-first') await b.query(dep.change, [id]);
  await b.query('COMMIT');
  return 'changed';
}

describe('a posting on one server against a change of what its rules read on another', () => {
  let serverB: pg.Pool;
  beforeAll(() => {
    serverB = openPool(f.connection, 3);
  });
  afterAll(async () => {
    await serverB?.end();
  });

  for (const [dep, order] of DEPENDENCIES.flatMap((d) => (['lock-first', 'update-first'] as const).map((o) => [d, o] as const))) {
    it(`${dep.what} (${order}) while a posting into it runs: the change first makes the posting wait and refuse`, async () => {
      const { id, line } = await dep.make(new PgReferenceStore(f.pool));
      const b = await serverB.connect();
      try {
        let posting: Promise<unknown> = Promise.resolve();
        const outcome = await change(b, dep, id, order, async () => {
          // B holds the row and found no stock: A posts now, and reaches the row before B changes it.
          posting = f.store.post({ idempotencyKey: `race-change-first-${id}-${order}`, type: 'receipt', lines: [line] }, f.ids.admin);
          await settledOrWaiting(f.pool, posting, 1);
        });
        expect(outcome).toBe('changed');
        await expect(posting).rejects.toThrow(dep.refusal);
      } finally {
        b.release();
      }
      expect((await f.pool.query<{ n: number }>(dep.broken, [id])).rows[0]!.n).toBe(0);
      expect((await f.store.verify()).ok).toBe(true);
    });

    it(`${dep.what} (${order}) while a posting into it runs: the posting first makes the change wait, see the stock and refuse`, async () => {
      const { id, line } = await dep.make(new PgReferenceStore(f.pool));
      // A stock level of zero for the place, so the posting has a row to lock (and wait on, below).
      await f.store.post({ idempotencyKey: `race-in-${id}-${order}`, type: 'receipt', lines: [line] }, f.ids.admin);
      await f.store.post({ idempotencyKey: `race-out-${id}-${order}`, type: 'despatch', lines: [{ ...line, type: 'sale', qty: -line.qty }] }, f.ids.admin);
      const holder = await serverB.connect();
      const b = await serverB.connect();
      try {
        // A third party holds the place's stock level, so the posting stops after reading (and share-locking) its rows.
        await holder.query('BEGIN');
        await holder.query('SELECT id FROM stock_levels WHERE product_id = $1 AND site_id = $2 FOR UPDATE', [line.productId, line.siteId]);
        const posting = f.store.post({ idempotencyKey: `race-post-first-${id}-${order}`, type: 'receipt', lines: [line] }, f.ids.admin);
        await settledOrWaiting(f.pool, posting, 1);
        const changing = change(b, dep, id, order);
        await settledOrWaiting(f.pool, changing, 2);
        await holder.query('COMMIT');
        await expect(posting).resolves.toMatchObject({ replayed: false, movementCount: 1 });
        await expect(changing).resolves.toBe('refused');
      } finally {
        holder.release();
        b.release();
      }
      expect((await f.pool.query<{ n: number }>(dep.broken, [id])).rows[0]!.n).toBe(0);
      expect((await f.store.verify()).ok).toBe(true);
    });
  }
});
