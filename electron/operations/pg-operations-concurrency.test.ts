import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import type { OperationResult } from '../../shared/operations';
import { openPgFixture, type PgFixture } from '../../test/fixtures/pg-ledger';
import { openPool } from '../ledger/pg/pg-types';
import { startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';
import { PgOperations } from './pg-operations';

let cluster: TestCluster;
let f: PgFixture;
beforeAll(async () => {
  cluster = await startTestCluster();
  // the fixture's risotto is 120 g of rice a unit: despatches of the recipe explode into rice
  f = await openPgFixture(cluster);
});
afterAll(async () => {
  await f?.close();
  cluster?.stop();
});

type Outcome = { key: string; server: string; result?: OperationResult; refused?: string };

describe('two Stockbook servers posting operations on one PostgreSQL', () => {
  it('receive, despatch (recipes too) and transfer into the same products and sites at once: verify holds, balances are the sums, each key one document', async () => {
    const servers = ['a', 'b'].map((name) => ({ name, pool: openPool(f.connection, 4) }));
    const { wh, shop, bulk, lot, recipe, admin, binA } = f.ids;
    /** The plan of one server: a mix of operations, with keys of its own and keys both servers send. */
    const plan = (server: string) =>
      Array.from({ length: 48 }, (_, i) => {
        const own = `${server}-${i}`;
        const site = i % 2 === 0 ? wh : shop;
        switch (i % 6) {
          case 0:
            return { key: own, run: (o: PgOperations) => o.post('receive', { idempotencyKey: own, kind: 'cash_purchase', siteId: site, dutyPaid: false, lines: [{ productId: bulk, qty: 3_000, unitCost: 20_000 + i }] }, admin) };
          case 1:
            return { key: own, run: (o: PgOperations) => o.post('despatch', { idempotencyKey: own, kind: 'sale', siteId: site, lines: [{ productId: bulk, qty: 700 }, { productId: recipe, qty: 2 }] }, admin) };
          case 2:
            return { key: own, run: (o: PgOperations) => o.post('transfer', { idempotencyKey: own, fromSiteId: site, toSiteId: site === wh ? shop : wh, lines: [{ productId: bulk, qty: 900 }] }, admin) };
          case 3: {
            // The same key and input from both servers: one document, the other a replay of it.
            const shared = `shared-${i}`;
            return { key: shared, run: (o: PgOperations) => o.post('receive', { idempotencyKey: shared, kind: 'supplier_order', siteId: wh, dutyPaid: false, lines: [{ productId: lot, qty: 5, binId: binA, batch: { code: `B${i % 4}`, expiry: `2030-0${(i % 4) + 1}-01` }, unitCost: 70_000 }] }, admin) };
          }
          case 4: {
            // The same key with other input on each server: one is posted, the other is an idempotency conflict.
            const clash = `clash-${i}`;
            return { key: clash, run: (o: PgOperations) => o.post('despatch', { idempotencyKey: clash, kind: 'sale', siteId: wh, lines: [{ productId: lot, qty: server === 'a' ? 1 : 2 }] }, admin) };
          }
          default:
            return { key: own, run: (o: PgOperations) => o.post('writeOff', { idempotencyKey: own, kind: 'wastage', siteId: site, reason: 'spoiled', lines: [{ productId: bulk, qty: 150 }] }, admin) };
        }
      });
    const runServer = async (s: { name: string; pool: ReturnType<typeof openPool> }): Promise<Outcome[]> => {
      const ops = new PgOperations(s.pool);
      const steps = plan(s.name);
      const out: Outcome[] = [];
      // Four at once per server (its pool's size), so both servers' transactions overlap all the way through.
      const lanes = [0, 1, 2, 3].map(async (lane) => {
        for (let i = lane; i < steps.length; i += 4) {
          const step = steps[i]!;
          try {
            out.push({ key: step.key, server: s.name, result: await step.run(ops) });
          } catch (e) {
            if (!(e instanceof AppError)) throw e;
            out.push({ key: step.key, server: s.name, refused: e.code });
          }
        }
      });
      await Promise.all(lanes);
      return out;
    };
    try {
      const outcomes = (await Promise.all(servers.map(runServer))).flat();
      expect(outcomes).toHaveLength(96);
      // The only refusals the mix can meet: stock not there (yet), and the clashing keys.
      for (const o of outcomes.filter((x) => x.refused)) expect(o.key.startsWith('clash-') ? ['IDEMPOTENCY_CONFLICT', 'NEGATIVE_STOCK'] : ['NEGATIVE_STOCK']).toContain(o.refused);

      const byKey = new Map<string, Outcome[]>();
      for (const o of outcomes) byKey.set(o.key, [...(byKey.get(o.key) ?? []), o]);
      for (const [k, list] of byKey) {
        if (k.startsWith('shared-')) {
          // Both servers get the same document; exactly one of them posted it.
          expect(list).toHaveLength(2);
          expect(new Set(list.map((o) => o.result?.documentId))).toHaveLength(1);
          expect(list.filter((o) => o.result?.replayed === false)).toHaveLength(1);
        }
        if (k.startsWith('clash-')) {
          expect(list).toHaveLength(2);
          const posted = list.filter((o) => o.result);
          expect(posted.length).toBeLessThanOrEqual(1);
          if (posted.length === 1) expect(list.find((o) => !o.result)!.refused).toBe('IDEMPOTENCY_CONFLICT');
        }
      }
      const q = async <R>(sql: string) => (await f.pool.query(sql)).rows as R[];
      // Every key is at most one document, one request, and each posted document has its one operation row.
      expect(await q('SELECT idempotency_key FROM documents GROUP BY idempotency_key HAVING COUNT(*) > 1')).toEqual([]);
      const documentIds = new Set(outcomes.flatMap((o) => (o.result?.documentId ? [o.result.documentId] : [])));
      expect((await q<{ n: number }>('SELECT COUNT(*) AS n FROM documents'))[0]!.n).toBe(documentIds.size);
      expect((await q<{ n: number }>('SELECT COUNT(*) AS n FROM operation_documents'))[0]!.n).toBe(documentIds.size);
      const keysPosted = new Set(outcomes.filter((o) => o.result).map((o) => o.key));
      expect((await q<{ n: number }>('SELECT COUNT(*) AS n FROM operation_requests'))[0]!.n).toBe(keysPosted.size);
      for (const o of outcomes.filter((x) => x.result?.documentId)) {
        expect((await f.pool.query('SELECT id FROM documents WHERE idempotency_key = $1', [o.key])).rows).toEqual([{ id: o.result!.documentId }]);
      }
      // Work was done on both servers, and some of it was refused for stock: the mix really raced.
      expect(outcomes.filter((o) => o.result && !o.result.replayed && o.server === 'a').length).toBeGreaterThan(10);
      expect(outcomes.filter((o) => o.result && !o.result.replayed && o.server === 'b').length).toBeGreaterThan(10);

      // The ledger core's verify holds, and every balance is the sum of its movements; no site went negative.
      expect((await f.store.verify()).ok).toBe(true);
      const sums = await q<{ product_id: number; site_id: number; moved: number; level: number }>(
        `SELECT m.product_id, m.site_id, m.moved, COALESCE(l.level, 0)::bigint AS level
         FROM (SELECT product_id, site_id, SUM(qty)::bigint AS moved FROM movements GROUP BY product_id, site_id) m
         LEFT JOIN (SELECT product_id, site_id, SUM(qty)::bigint AS level FROM stock_levels GROUP BY product_id, site_id) l USING (product_id, site_id)`,
      );
      expect(sums.length).toBeGreaterThanOrEqual(3);
      for (const s of sums) expect(s.level).toBe(s.moved);
      expect(await q('SELECT product_id, site_id, qty FROM stock_levels WHERE qty < 0')).toEqual([]);
    } finally {
      await Promise.all(servers.map((s) => s.pool.end()));
    }
  }, 180_000);
  it('two servers receive the same new batch code and the same new serial number at once: one batch for both, the serial once, the other refused in the rules\' words', async () => {
    const servers = [openPool(f.connection, 2), openPool(f.connection, 2)].map((pool) => ({ pool, ops: new PgOperations(pool) }));
    const { wh, binA, lot, serial, admin } = f.ids;
    try {
      for (let k = 0; k < 8; k++) {
        const receive = (o: PgOperations, server: number, line: Record<string, unknown>) =>
          o.post('receive', { idempotencyKey: `same-new-${k}-${server}-${line.productId}`, kind: 'supplier_order', siteId: wh, dutyPaid: false, lines: [{ binId: binA, unitCost: 10_000, ...line } as never] }, admin);
        const batches = await Promise.allSettled(servers.map((s, i) => receive(s.ops, i, { productId: lot, qty: 2, batch: { code: `NEW-${k}`, expiry: '2031-01-01' } })));
        expect(batches.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
        expect(await f.pool.query('SELECT COUNT(*)::int AS n FROM batches WHERE product_id = $1 AND code = $2', [lot, `NEW-${k}`]).then((r) => r.rows)).toEqual([{ n: 1 }]);
        const serials = await Promise.allSettled(servers.map((s, i) => receive(s.ops, i, { productId: serial, qty: 1, serials: [`SN-NEW-${k}`] })));
        const refused = serials.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(serials.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        expect(refused).toHaveLength(1);
        expect(refused[0]!.reason).toBeInstanceOf(AppError);
        expect((refused[0]!.reason as AppError).message).toMatch(new RegExp(`SN-NEW-${k}`));
      }
      expect((await f.store.verify()).ok).toBe(true);
    } finally {
      await Promise.all(servers.map((s) => s.pool.end()));
    }
  });
});
