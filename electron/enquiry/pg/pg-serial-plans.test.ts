import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgFixture, type PgFixture } from '../../../test/fixtures/pg-ledger';
import { planned } from '../../../test/fixtures/pg-planned-reader';
import { startTestCluster, type TestCluster } from '../../ledger/pg/test-cluster';
import { PgMovementQuery } from './pg-movement-query';
import { PgMovementStore } from './pg-movement-store';

/**
 * PostgreSQL's plans for the Enquiry window's serial search (pg migrations 0019, 0024) at a realistic size: 100,000 movements
 * of a bulk product over nearly two years, and 20,000 serial units with three movements each spread over the same
 * time. The units are found by a range of IDX_serial_units_serial_lower (lower(serial) in the "C" collation: any letter case), their movements by
 * IDX_movements_serial_occurred, never by reading the whole movements or serial_units table, nor by walking every
 * movement newest first.
 */
let cluster: TestCluster;
let pgf: PgFixture;
const MOVEMENTS = 100_000;
const UNITS = 20_000;
const t0 = Date.parse('2024-01-01T00:00:00Z');

beforeAll(async () => {
  cluster = await startTestCluster();
  pgf = await openPgFixture(cluster);
  const { wh, shop, bulk, serial, admin } = pgf.ids;
  const q = (text: string, values: unknown[] = []) => pgf.pool.query(text, values);
  const doc = (await q(`INSERT INTO documents (id, type, user_id, occurred_at, recorded_at, idempotency_key, payload_hash) VALUES (1, 'receipt', $1, 0, 0, 'plans', '') RETURNING id`, [admin])).rows[0].id as number;
  // Synthetic rows (no hash chain: this database only answers EXPLAIN and the plain reads compared with the pages).
  await q(
    `INSERT INTO movements (seq, document_id, line_no, product_id, site_id, type, qty, balance_after, occurred_at, recorded_at, user_id, unit_cost, cost_source, prev_hash, hash)
     SELECT g, $1::int, g, $2::int, $3::int, 'supplier_order', 2, 0, $4::bigint + g * 600000::bigint, $4::bigint + g * 600000::bigint, $5::int, 1000, 'supplier', '', ''
     FROM generate_series(1, $6::int) g`,
    [doc, bulk, wh, t0, admin, MOVEMENTS],
  );
  // Units SN000001…SN020000, spelled sn for every tenth (found all the same: letter case is folded); each received, moved
  // and sold at times spread over the ledger's span (unit g at a pseudo-random point, its moves an hour apart).
  await q(`INSERT INTO serial_units (id, product_id, serial, in_stock) SELECT g, $1::int, CASE WHEN g % 10 = 0 THEN 'sn' ELSE 'SN' END || lpad(g::text, 6, '0'), false FROM generate_series(1, $2::int) g`, [serial, UNITS]);
  await q(
    `INSERT INTO movements (seq, document_id, line_no, product_id, site_id, serial_id, type, qty, balance_after, occurred_at, recorded_at, user_id, unit_cost, cost_source, prev_hash, hash)
     SELECT $1::int + g * 3 + k, $2::int, $1::int + g * 3 + k, $3::int, CASE WHEN k = 0 THEN $4::int ELSE $5::int END, g,
            (ARRAY['supplier_order', 'transfer_in', 'sale'])[k + 1], CASE WHEN k = 2 THEN -1 ELSE 1 END, 0, t.at + k * 3600000::bigint, t.at + k * 3600000::bigint, $6::int, 1000, 'supplier', '', ''
     FROM generate_series(1, $7::int) g CROSS JOIN generate_series(0, 2) k
     CROSS JOIN LATERAL (SELECT $8::bigint + ((g::bigint * 7919) % $9::bigint) * 600000::bigint AS at) t`,
    [MOVEMENTS, doc, serial, wh, shop, admin, UNITS, t0, MOVEMENTS],
  );
  await q('ANALYZE');
}, 240_000);

afterAll(async () => {
  await pgf?.close();
  cluster?.stop();
});

/** The movements of the units whose serial starts with `prefix` (letter case folded), in `order`, by a plain read. */
async function expected(prefix: string, order: 'asc' | 'desc', limit: number): Promise<number[]> {
  const dir = order === 'desc' ? 'DESC' : 'ASC';
  const r = await pgf.pool.query<{ seq: number }>(
    `SELECT m.seq FROM movements m JOIN serial_units su ON su.id = m.serial_id WHERE lower(left(su.serial, length($1))) = lower($1) ORDER BY m.occurred_at ${dir}, m.seq ${dir} LIMIT $2`,
    [prefix, limit],
  );
  return r.rows.map((x) => x.seq);
}

describe('the serial search on PostgreSQL', () => {
  it("finds the units by a range of their serial index and reads their movements from the serial index, never the whole table or every movement's walk", async () => {
    // An exact serial (3 movements), a prefix of ten units and of a hundred (every tenth spelled in lower case: theirs too), in either case.
    for (const [search, n] of [['SN012345', 3], ['sn012345', 3], ['SN01234', 30], ['SN0123', 300], ['sn0123', 300]] as const) {
      const { reader, plans } = planned(pgf.pool);
      // The search resolved through the reader that records its plan, the pages read (and explained) on the pool.
      const query = (await PgMovementQuery.open(new PgMovementStore(reader), { search })).on(new PgMovementStore(pgf.pool));
      expect(plans.join('\n'), search).toMatch(/IDX_serial_units_serial_lower/);
      expect(plans.join('\n'), search).not.toMatch(/Seq Scan on serial_units/);
      for (const order of ['desc', 'asc'] as const) {
        const plan = (await query.explain(order, 100)).join('\n');
        expect(plan, `${search} ${order}`).toMatch(/IDX_movements_serial_occurred/);
        expect(plan, `${search} ${order}`).not.toMatch(/Seq Scan on movements|IDX_movements_occurred\b/);
        const seqs = (await query.page(order, 100, 'UTC', undefined, undefined, { balanceOnDate: false })).rows.map((r) => r.seq);
        expect(seqs, `${search} ${order}`).toEqual(await expected(search, order, 100));
        expect(seqs.length).toBe(Math.min(100, n));
      }
      expect(await query.count(100_000, () => Promise.resolve(0))).toEqual({ count: n, exact: true });
    }
  });
});
