import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgFixture, type PgFixture } from '../../test/fixtures/pg-ledger';
import { startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';
import { keyRange, UNQUEUE_CHUNK } from './pg-posting-store';

/**
 * A posting chunk takes its movements off PostgreSQL's queue of what is left to post (unposted_movements) by their
 * whole keys, reading only the chunk's key range of the queue's primary key, never the whole queue (a batch of
 * 1,000,000 movements hashed the whole queue once per chunk). The queue here is synthetic (100,000 rows, analysed).
 */
let cluster: TestCluster;
let f: PgFixture;
const QUEUED = 100_000;
const at = (seq: number) => 1_700_000_000_000 + Math.floor(seq / 3) * 60_000; // three movements a minute

beforeAll(async () => {
  cluster = await startTestCluster();
  f = await openPgFixture(cluster);
  await f.pool.query(`INSERT INTO unposted_movements (occurred_at, seq) SELECT 1700000000000 + (g / 3) * 60000::bigint, g FROM generate_series(1, $1::int) g`, [QUEUED]);
  await f.pool.query('ANALYZE unposted_movements');
}, 60_000);

afterAll(async () => {
  await f?.close();
  cluster?.stop();
});

describe('a PostgreSQL posting chunk taken off the queue', () => {
  it('reads only its key range of the queue\'s primary key, and takes exactly its own keys off (a queued movement in the range but not in the chunk stays)', async () => {
    // A chunk of 2,000 movements from the middle of the queue, every tenth in its range left out, in no particular order.
    const seqs = Array.from({ length: 2_200 }, (_, i) => 50_001 + i).filter((s) => s % 10 !== 0).reverse();
    const occurred = seqs.map(at);
    const range = keyRange(occurred, seqs);
    expect(range).toEqual([at(50_001), 50_001, at(52_200 - 1), 52_200 - 1]);
    // Backdated movements: time order is not seq order; the range is by (occurred_at, seq).
    expect(keyRange([5_000, 3_000, 3_000, 9_000, 9_000], [1, 7, 2, 4, 3])).toEqual([3_000, 2, 9_000, 4]);
    const values = [occurred, seqs, ...range];
    const c = await f.pool.connect();
    try {
      const plan = (await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${UNQUEUE_CHUNK}`, values)).rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).not.toMatch(/Seq Scan on unposted_movements/);
      expect(plan).toMatch(/unposted_movements_pkey/);
      await c.query('BEGIN');
      expect((await c.query(UNQUEUE_CHUNK, values)).rowCount).toBe(seqs.length);
      const left = (await c.query<{ n: string; inRange: string }>(`SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE seq BETWEEN 50001 AND 52199) AS "inRange" FROM unposted_movements`)).rows[0]!;
      expect(Number(left.n)).toBe(QUEUED - seqs.length);
      expect(Number(left.inRange)).toBe(2_199 - seqs.length); // the tenths left out of the chunk
      await c.query('ROLLBACK');
    } finally {
      c.release();
    }
  });
});
