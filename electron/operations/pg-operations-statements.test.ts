import { describe, expect, it } from 'vitest';
import { pgLedgerForFile, type PgFixture } from '../../test/fixtures/pg-ledger';
import { PgOperations } from './pg-operations';

let f: PgFixture;
pgLedgerForFile((fixture) => (f = fixture));

/** The text of every statement `f.pool`'s clients send while `work` runs. */
async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
  const texts: string[] = [];
  let on = true;
  f.pool.on('acquire', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const q = args[0];
      if (on) texts.push(typeof q === 'string' ? q : ((q as { text?: string }).text ?? ''));
      return query(...args);
    };
  });
  try {
    await work();
  } finally {
    on = false;
  }
  return texts.map((t) => t.replace(/\s+/g, ' '));
}

describe('a PostgreSQL receive holds the chain lock for as few statements as it can (every other server waits on it)', () => {
  it('is five statements: BEGIN with the lock; the key with the products and sites the build reads; the ledger read; the write; COMMIT — a replay three', async () => {
    const ops = new PgOperations(f.pool);
    const receive = { idempotencyKey: 'statements-receive', kind: 'stock_receipt' as const, siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.bulk, binId: f.ids.binA, qty: 1_000, unitCost: 100 }] };
    const posted = await statementsOf(() => ops.post('receive', receive, f.ids.admin));
    expect(posted).toHaveLength(5);
    expect(posted[0]).toMatch(/^BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock\(\d+\)$/);
    expect(posted[1]).toMatch(/FROM operation_requests.*FROM products WHERE id = ANY\(\$2::int\[\]\).*FROM sites WHERE id = ANY\(\$3::int\[\]\)/);
    expect(posted[2]).toMatch(/^WITH head AS MATERIALIZED/);
    expect(posted[3]).toMatch(/INSERT INTO movements/);
    expect(posted[4]).toBe('COMMIT');
    const replayed = await statementsOf(async () => expect(await ops.post('receive', receive, f.ids.admin)).toMatchObject({ replayed: true }));
    expect(replayed.map((t) => t.slice(0, 30))).toEqual([posted[0]!.slice(0, 30), posted[1]!.slice(0, 30), 'COMMIT']);
    expect((await f.store.verify()).ok).toBe(true);
  });
});
