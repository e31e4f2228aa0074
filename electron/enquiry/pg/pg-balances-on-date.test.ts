import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MovementLineInput, PostDocumentInput } from '../../../shared/contract/schemas';
import { openPgFixture, type PgFixture } from '../../../test/fixtures/pg-ledger';
import type { PgReader } from '../../ledger/pg/store/pg-read-snapshot';
import { startTestCluster, type TestCluster } from '../../ledger/pg/test-cluster';
import { PgMovementQuery } from './pg-movement-query';
import { PgMovementStore } from './pg-movement-store';

/**
 * The Enquiry's balance-on-date column on PostgreSQL when the statistics are stale: a ledger never analysed (a new
 * one, or one just loaded in bulk, before autovacuum has looked at it). PostgreSQL then estimated the page's join to its
 * names at one row and joined the balances in a nested loop, computing them once per row of the page (100 times for a
 * page of 100: 48-51 ms instead of 3 through two servers under writers). The balances are computed once, and right.
 */
let cluster: TestCluster;
let f: PgFixture;
const t0 = Date.parse('2026-03-01T08:00:00Z');

/** A node of EXPLAIN (ANALYZE, FORMAT JSON)'s plan. */
interface PlanNode {
  'Node Type': string;
  'Actual Loops': number;
  Plans?: PlanNode[];
}

beforeAll(async () => {
  cluster = await startTestCluster();
  f = await openPgFixture(cluster);
  // Never analysed for the whole test: autovacuum would analyse these tables after the postings below, at its next round.
  for (const table of ['movements', 'documents', 'products', 'sites']) await f.pool.query(`ALTER TABLE ${table} SET (autovacuum_enabled = false)`);
  const { bulk, wh, shop } = f.ids;
  // 300 documents at two sites, received in threes and sold in ones, a minute apart; every tenth a receipt dated a
  // day back (its balance on date is not its balance after).
  const docs: PostDocumentInput[] = Array.from({ length: 300 }, (_, i) => {
    const sale = i % 4 === 3;
    const line: MovementLineInput = { productId: bulk, siteId: i % 3 ? wh : shop, type: sale ? 'sale' : 'inbound', qty: sale ? -1 : 3, unitCost: 100 };
    const at = t0 + i * 60_000 - (i % 10 === 1 ? 86_400_000 : 0);
    return { idempotencyKey: `bal-${i}`, type: sale ? 'despatch' : 'receipt', lines: [line], occurredAt: new Date(at).toISOString() };
  });
  await f.store.postMany(docs, f.ids.admin);
}, 60_000);

afterAll(async () => {
  await f?.close();
  cluster?.stop();
});

describe('the Enquiry\'s balance on date on a PostgreSQL ledger never analysed', () => {
  it('is computed once per page, not once per row, and is each row\'s product/site running sum in effective time', async () => {
    const loops: number[] = [];
    const reader = {
      async query(config: string | pg.QueryConfig, values?: unknown[]) {
        const text = typeof config === 'string' ? config : config.text;
        const bound = typeof config === 'string' ? values : config.values;
        if (text.includes('"balanceOnDate"')) {
          const [{ 'QUERY PLAN': [{ Plan }] }] = (await f.pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, bound)).rows as [{ 'QUERY PLAN': [{ Plan: PlanNode }] }];
          const visit = (n: PlanNode): void => {
            if (n['Node Type'] === 'WindowAgg') loops.push(n['Actual Loops']);
            for (const p of n.Plans ?? []) visit(p);
          };
          visit(Plan);
        }
        return f.pool.query(text, bound);
      },
    } as unknown as PgReader;
    expect((await f.pool.query(`SELECT 1 FROM pg_stats WHERE tablename IN ('movements', 'sites', 'products')`)).rowCount).toBe(0);
    const page = await (await PgMovementQuery.open(new PgMovementStore(reader), {})).page('desc', 100, 'UTC');
    // The balance's two window aggregates, each run once (joined in a nested loop uncomputed: 100 times each).
    expect(loops).toEqual([1, 1]);
    expect(page.rows).toHaveLength(100);
    const expected = await f.pool.query<{ seq: number; bal: number }>(
      `SELECT seq, SUM(qty) OVER (PARTITION BY product_id, site_id ORDER BY occurred_at, seq)::int AS bal FROM movements`,
    );
    const running = new Map(expected.rows.map((r) => [r.seq, r.bal]));
    expect(page.rows.map((r) => [r.seq, r.balanceOnDate])).toEqual(page.rows.map((r) => [r.seq, running.get(r.seq)]));
  });
});
