import type pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/contract/errors';
import type { MovementLineInput, PostDocumentInput } from '../../../../shared/contract/schemas';
import type { DocumentTypeCode } from '../../../../shared/document-types';
import { openFixture } from '../../../../test/fixtures/ledger';
import { openPgFixture, type PgFixture } from '../../../../test/fixtures/pg-ledger';
import { SqliteLedgerCore } from '../../store/sqlite-ledger-core';
import { openPool } from '../pg-types';
import { CHAIN_LOCK_KEY, PgLedgerStore, pgTransaction, postInTransaction } from './pg-ledger-store';
import { startTestCluster, type TestCluster } from '../test-cluster';
import { verifyPg } from './pg-verify-store';

let cluster: TestCluster;
let f: PgFixture;
beforeAll(async () => {
  cluster = await startTestCluster();
});
afterAll(() => cluster?.stop());
beforeEach(async () => {
  f = await openPgFixture(cluster);
});
afterEach(async () => {
  await f.close();
});

let counter = 0;
const doc = (type: DocumentTypeCode, lines: MovementLineInput[], extra: Partial<PostDocumentInput> = {}): PostDocumentInput => ({
  idempotencyKey: `pg-test-${++counter}`,
  type,
  lines,
  ...extra,
});

// The cases both stores share (posting, all-or-nothing, replay, refusals, serials, costs, verify) are in ledger-core.test.ts.
describe('the ledger core on PostgreSQL', () => {
  it('writes the same movements and the same hash chain as the SQLite store for the same documents', async () => {
    const at = Date.parse('2026-06-01T09:00:00Z');
    const clock = () => at;
    const sqlite = await openFixture({ clock });
    try {
      // a PG fixture on the same fixed clock (the shared one runs on the real clock)
      await f.close();
      f = await openPgFixture(cluster, clock);
      const pgStore = f.store;
      expect(f.ids).toEqual(sqlite.ids);
      const ids = f.ids;
      const docs = [
        doc('receipt', [
          { productId: ids.bulk, siteId: ids.wh, binId: ids.binA, type: 'supplier_order', qty: 10_000, unitCost: 25000, onCosts: { freight: 120 } },
          { productId: ids.lot, siteId: ids.wh, batch: { code: 'L19', expiry: '2029-01-31' }, type: 'supplier_order', qty: 12, unitCost: 80000 },
        ], { reference: 'PO-1', note: 'first delivery', occurredAt: '2026-06-01T08:00:00Z' }),
        doc('transfer', [
          { productId: ids.bulk, siteId: ids.wh, binId: ids.binA, type: 'transfer_out', qty: -3_000, unitCost: 25000, costSource: 'dispatching_site' },
          { productId: ids.bulk, siteId: ids.shop, type: 'transfer_in', qty: 3_000, unitCost: 25000, costSource: 'dispatching_site' },
        ]),
        doc('despatch', [{ productId: ids.lot, siteId: ids.wh, batch: { code: 'L19' }, type: 'sale', qty: -2, unitCost: 80000, costSource: 'latest_at_site', note: 'table 4' }]),
        // serial units and the cost state: a unit in, a sale at the latest cost and on-costs, the unit out
        doc('receipt', [{ productId: ids.serial, siteId: ids.wh, binId: ids.binB, serial: 'T-9', type: 'inbound', qty: 1, unitCost: 990000 }]),
        doc('despatch', [{ productId: ids.bulk, siteId: ids.wh, binId: ids.binA, type: 'sale', qty: -1_000 }, { productId: ids.serial, siteId: ids.wh, binId: ids.binB, serial: 'T-9', type: 'sale', qty: -1 }]),
      ];
      const sqliteCore = new SqliteLedgerCore(sqlite.ledger.db, sqlite.ledger.poster);
      for (const d of docs) {
        expect(await pgStore.post(d, ids.admin)).toEqual(await sqliteCore.post(d, ids.admin));
      }
      const columns = 'seq, document_id, line_no, product_id, site_id, bin_id, batch_id, serial_id, type, qty, balance_after, occurred_at, recorded_at, unit_cost, cost_source, oc_freight, note, prev_hash, hash';
      const fromSqlite = sqlite.ledger.db.prepare(`SELECT ${columns} FROM movements ORDER BY seq`).all();
      const fromPg = (await f.pool.query(`SELECT ${columns} FROM movements ORDER BY seq`)).rows;
      expect(fromPg).toHaveLength(8);
      expect(fromPg).toEqual(fromSqlite);
      for (const [productId, siteId] of [[ids.bulk, ids.wh], [ids.bulk, ids.shop], [ids.lot, ids.wh]] as const) {
        expect(await pgStore.balance(productId, siteId)).toBe(await sqliteCore.balance(productId, siteId));
      }
      const state = 'SELECT product_id, site_id, latest_cost, average_cost, updated_seq FROM cost_state ORDER BY product_id, site_id';
      expect((await f.pool.query(state)).rows).toEqual(sqlite.ledger.db.prepare(state).all());
      const units = 'SELECT id, product_id, serial, site_id, bin_id, batch_id FROM serial_units ORDER BY id';
      expect((await f.pool.query(units)).rows).toEqual(sqlite.ledger.db.prepare(units).all());
      expect((await pgStore.verify()).ok).toBe(true);
      expect((await sqliteCore.verify()).ok).toBe(true);
    } finally {
      await sqlite.cleanup();
    }
  });

  it('verify finds a movement changed around the app (trigger disabled by a superuser), and the disabled trigger', async () => {
    const { ids } = f;
    await f.store.post(doc('receipt', [{ productId: ids.bulk, siteId: ids.wh, type: 'inbound', qty: 1_000 }]), ids.admin);
    await f.store.post(doc('receipt', [{ productId: ids.bulk, siteId: ids.wh, type: 'inbound', qty: 2_000 }]), ids.admin);
    await f.pool.query('ALTER TABLE movements DISABLE TRIGGER movements_no_update');
    await f.pool.query('UPDATE movements SET qty = 1500 WHERE seq = 1');
    const report = await f.store.verify();
    const failed = Object.fromEntries(report.checks.filter((c) => !c.ok).map((c) => [c.name, c.problems]));
    expect(failed).toEqual({
      'append-only': ['movements: the trigger movements_no_update is missing or disabled'],
      'stock-levels': [`product ${ids.bulk} site ${ids.wh} bin - batch -: stock level 3000, movements sum to 3500`],
      // movement 2 follows on from movement 1's stored balance, so only the changed row breaks invariant 3
      'balance-after': [`movement 1: balance_after 1000, expected 1500 (product ${ids.bulk} site ${ids.wh})`],
      'hash-chain': ['movement 1: its hash does not match its content (it was changed)'],
    });
    expect(report.ok).toBe(false);
  });

  it('verify reads the movements through its cursor page after page: the same report as one page, a change on a later page and one removed at a page boundary found', async () => {
    const { ids } = f;
    for (let i = 1; i <= 7; i++) await f.store.post(doc('receipt', [{ productId: ids.bulk, siteId: ids.wh, type: 'inbound', qty: i }]), ids.admin);
    const whole = await verifyPg(f.pool);
    expect(whole.ok).toBe(true);
    // pages of 2 and 3 rows (7 movements: the last page short) and of exactly 7 (an empty last FETCH) give the same report
    for (const rows of [2, 3, 7]) expect(await verifyPg(f.pool, rows)).toEqual(whole);
    await f.pool.query('ALTER TABLE movements DISABLE TRIGGER movements_no_update');
    await f.pool.query('UPDATE movements SET note = $1 WHERE seq = 6', ['changed']);
    await f.pool.query('ALTER TABLE movements DISABLE TRIGGER movements_no_delete');
    await f.pool.query('DELETE FROM movements WHERE seq = 3');
    const paged = await verifyPg(f.pool, 2);
    expect(paged).toEqual(await verifyPg(f.pool));
    expect(paged.checks.find((c) => c.name === 'hash-chain')!.problems).toEqual([
      "movement 4: its previous hash is not movement 2's hash (a movement before it was changed, removed or inserted)",
      'movement 6: its hash does not match its content (it was changed)',
    ]);
    expect(paged.movements).toBe(6);
  });
});

describe('the posting read on PostgreSQL (one statement, its row sets as JSON)', () => {
  it('reads bigint stock levels and costs exactly: a value past 2^53 is refused, never rounded, and nothing is written', async () => {
    const { ids, pool } = f;
    await f.store.post(doc('receipt', [{ productId: ids.bulk, siteId: ids.wh, type: 'inbound', qty: 1_000, unitCost: 2 ** 40 + 1 }]), ids.admin);
    await f.store.post(doc('receipt', [{ productId: ids.lot, siteId: ids.wh, batch: { code: 'B1' }, type: 'inbound', qty: 5, unitCost: 100 }]), ids.admin);
    // exact up to 2^53 - 1: the average over 1,000 + 1 units at a cost past 2^40 reads back to the unit
    await pool.query('UPDATE stock_levels SET qty = $1 WHERE product_id = $2', [2 ** 53 - 1_000, ids.bulk]);
    await f.store.post(doc('receipt', [{ productId: ids.bulk, siteId: ids.wh, type: 'inbound', qty: 999, unitCost: 2 ** 40 + 1 }]), ids.admin);
    expect(await f.store.balance(ids.bulk, ids.wh)).toBe(2 ** 53 - 1);
    const cost = (await pool.query<{ average_cost: number }>('SELECT average_cost FROM cost_state WHERE product_id = $1', [ids.bulk])).rows[0]!;
    expect(cost.average_cost).toBe(2 ** 40 + 1);
    // past it (a corrupt row): the stock level, then the cost state
    await pool.query("UPDATE stock_levels SET qty = '9007199254740993' WHERE product_id = $1", [ids.bulk]);
    const before = await f.counts();
    await expect(f.store.post(doc('despatch', [{ productId: ids.bulk, siteId: ids.wh, type: 'sale', qty: -1 }]), ids.admin)).rejects.toThrow(/9007199254740993, beyond the exact integer range/);
    await pool.query("UPDATE cost_state SET latest_cost = '9007199254740995' WHERE product_id = $1", [ids.lot]);
    await expect(f.store.post(doc('despatch', [{ productId: ids.lot, siteId: ids.wh, batch: { code: 'B1' }, type: 'sale', qty: -1 }]), ids.admin)).rejects.toThrow(
      /9007199254740995, beyond the exact integer range/,
    );
    expect(await f.counts()).toEqual(before);
  });

  it('writes a call past one statement of movements (10,000) whole: the first with every other table, the rest after it', async () => {
    const { ids } = f;
    const line = (qty: number): MovementLineInput => ({ productId: ids.bulk, siteId: ids.wh, binId: ids.binA, type: 'inbound', qty, unitCost: 100 });
    const docs = [doc('receipt', Array.from({ length: 6_000 }, () => line(2))), doc('receipt', [{ productId: ids.lot, siteId: ids.wh, batch: { code: 'L1' }, type: 'inbound', qty: 3, unitCost: 50 }, ...Array.from({ length: 5_000 }, () => line(1))])];
    const posted = await f.store.postMany(docs, ids.admin);
    expect(posted.map((p) => [p.firstSeq, p.lastSeq])).toEqual([[1, 6_000], [6_001, 11_001]]);
    expect(await f.counts()).toMatchObject({ documents: 2, movements: 11_001, batches: 1, stock_levels: 2 });
    expect(await f.store.balance(ids.bulk, ids.wh)).toBe(17_000);
    expect((await f.store.verify()).ok).toBe(true);
  });
});

describe('a deadlock on PostgreSQL', () => {
  it('is retried: a posting chosen as the deadlock victim runs again and is written once', async () => {
    const { ids, pool } = f;
    await f.store.post(doc('receipt', [{ productId: ids.bulk, siteId: ids.wh, type: 'inbound', qty: 1_000 }]), ids.admin);
    // Another session (a tool, a report, a server's own writer) holds the quant's row lock, then wants the chain lock
    // the posting holds: a deadlock. This session waits 60 s before it looks for one, the posting's 1 s: the posting
    // is the victim, rolled back, and retried once the other session commits.
    const other = await pool.connect();
    try {
      await other.query('BEGIN');
      await other.query("SET LOCAL deadlock_timeout = '60s'");
      await other.query('SELECT qty FROM stock_levels WHERE product_id = $1 AND site_id = $2 FOR UPDATE', [ids.bulk, ids.wh]);
      // settled: an outcome either way, so a refusal fails the expectation below rather than going unhandled meanwhile
      const posting = f.store.post(doc('despatch', [{ productId: ids.bulk, siteId: ids.wh, type: 'sale', qty: -300 }]), ids.admin).then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      );
      while ((await pool.query<{ n: number }>("SELECT COUNT(*) AS n FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'")).rows[0]!.n === 0) {
        await new Promise((r) => setTimeout(r, 20));
      }
      await other.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK_KEY]);
      await other.query('COMMIT');
      // The victim waited for the row lock before it drew a document id, so the retry draws the first: 2.
      expect(await posting).toMatchObject({ result: { documentId: 2, replayed: false, movementCount: 1, firstSeq: 2 } });
    } finally {
      other.release();
    }
    expect(await f.counts()).toMatchObject({ documents: 2, movements: 2 });
    expect(await f.store.balance(ids.bulk, ids.wh)).toBe(700);
    expect((await f.store.verify()).ok).toBe(true);
  });

  it('posts at READ COMMITTED even where the database defaults to REPEATABLE READ: concurrent posts from two servers all land, chained', async () => {
    const { ids, pool, connection } = f;
    await pool.query(`ALTER DATABASE "${connection.database}" SET default_transaction_isolation = 'repeatable read'`);
    // two servers: two pools opened after the change, so every new session starts with that default
    const pools = [openPool(connection), openPool(connection)];
    try {
      expect((await pools[0]!.query<{ i: string }>("SELECT current_setting('default_transaction_isolation') AS i")).rows[0]!.i).toBe('repeatable read');
      const stores = pools.map((p) => new PgLedgerStore(p));
      const posts = Array.from({ length: 20 }, (_, i) => stores[i % 2]!.post(doc('receipt', [{ productId: ids.bulk, siteId: ids.wh, type: 'inbound', qty: 100 }]), ids.admin));
      const outcomes = await Promise.allSettled(posts);
      expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
    expect(await f.counts()).toMatchObject({ documents: 20, movements: 20 });
    expect(await f.store.balance(ids.bulk, ids.wh)).toBe(2_000);
    expect((await f.store.verify()).ok).toBe(true);
  });
});

describe('document ids on PostgreSQL', () => {
  /** A posting rolled back after it was written (as the review step does), and one refused after its read: neither keeps an id. */
  const rolledBack = (d: PostDocumentInput) =>
    pgTransaction(f.pool, async (c) => {
      const [posted] = await postInTransaction(c, [d], f.ids.admin, {}, Date.now);
      throw Object.assign(new Error('rolled back'), { documentId: posted!.documentId });
    }).then(() => null, (e: { documentId?: number }) => e.documentId ?? null);
  const oversell = () => doc('despatch', [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'sale', qty: -1_000_000 }]);
  const receipt = () => doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'inbound', qty: 100 }]);

  it('run on without a gap after a posting rolled back (a review) or refused: the next document takes the id the review showed', async () => {
    const first = await f.store.post(receipt(), f.ids.admin);
    const reviewed = await rolledBack(receipt());
    expect(reviewed).toBe(first.documentId + 1);
    await expect(f.store.post(oversell(), f.ids.admin)).rejects.toBeInstanceOf(AppError);
    const next = await f.store.post(receipt(), f.ids.admin);
    expect(next.documentId).toBe(reviewed);
  });

  it('two servers posting at once, some postings refused or rolled back: every id once, one after another from 1', async () => {
    const pools = [openPool(f.connection), openPool(f.connection)];
    try {
      const stores = pools.map((p) => new PgLedgerStore(p));
      const outcomes = await Promise.allSettled(
        Array.from({ length: 30 }, (_, i) => (i % 3 === 2 ? stores[i % 2]!.post(oversell(), f.ids.admin) : i % 5 === 0 ? rolledBack(receipt()) : stores[i % 2]!.post(receipt(), f.ids.admin))),
      );
      const posted = outcomes.flatMap((o) => (o.status === 'fulfilled' && o.value !== null && typeof o.value === 'object' ? [o.value.documentId] : []));
      expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(10);
      const { rows } = await f.pool.query<{ id: number }>('SELECT id FROM documents ORDER BY id');
      expect(rows.map((r) => r.id)).toEqual(Array.from({ length: posted.length }, (_, i) => i + 1));
      expect([...posted].sort((a, b) => a - b)).toEqual(rows.map((r) => r.id));
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
    expect((await f.store.verify()).ok).toBe(true);
  });
});

const refusal = async (work: Promise<unknown>) => {
  const e: unknown = await work.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(AppError);
  return { code: (e as AppError).code, message: (e as AppError).message };
};

describe("PostgreSQL's errors of a race reach the user in words", () => {
  it('a transaction that still meets a serialization failure on its last try: a conflict saying to try again', async () => {
    let tries = 0;
    const work = pgTransaction(f.pool, async (c) => {
      tries++;
      // PostgreSQL's own serialization failure, raised by the server on every try.
      await c.query("DO $$ BEGIN RAISE EXCEPTION 'could not serialize access' USING ERRCODE = 'serialization_failure'; END $$");
    });
    expect(await refusal(work)).toEqual({
      code: 'CONFLICT',
      message: 'Other servers were changing the same records at the same moment, and this change could not be saved in 5 tries. Nothing was saved; try again.',
    });
    expect(tries).toBe(5);
  });

  it("a lock not granted within the database's lock_timeout: a conflict saying to try again in a moment", async () => {
    const holder: pg.PoolClient = await f.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM products WHERE id = $1 FOR UPDATE', [f.ids.bulk]);
      const work = pgTransaction(f.pool, async (c) => {
        await c.query("SET LOCAL lock_timeout = '50ms'");
        await c.query('SELECT id FROM products WHERE id = $1 FOR UPDATE', [f.ids.bulk]);
      });
      expect(await refusal(work)).toEqual({
        code: 'CONFLICT',
        message: 'Records this change needs are held by a change on another server that is taking long. Nothing was saved; try again in a moment.',
      });
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
  });

  it('any other error comes through as it was', async () => {
    const work = pgTransaction(f.pool, async (c) => {
      await c.query('SELECT no_such_column FROM products');
    });
    await expect(work).rejects.toMatchObject({ code: '42703' });
  });
});
