import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/contract/errors';
import type { MovementLineInput, PostDocumentInput } from '../../../../shared/contract/schemas';
import type { DocumentTypeCode } from '../../../../shared/document-types';
import { openFixture } from '../../../../test/fixtures/ledger';
import { openPgFixture, type PgFixture } from '../../../../test/fixtures/pg-ledger';
import { SqliteLedgerCore } from '../../store/sqlite-ledger-core';
import { CHAIN_LOCK_KEY } from './pg-ledger-store';
import { startTestCluster, type TestCluster } from '../test-cluster';

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

async function refusal(p: Promise<unknown>, code: string, message: RegExp, details: Record<string, unknown>): Promise<void> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(AppError);
  expect((e as AppError).code).toBe(code);
  expect((e as AppError).message).toMatch(message);
  expect((e as AppError).details).toMatchObject(details);
}

describe('the ledger core on PostgreSQL', () => {
  it('posts documents with balance_after per product/site, stock levels per bin, the hash chain, and verify holds', async () => {
    const { store, ids } = f;
    await store.post(doc('receipt', [{ productId: ids.bulk, siteId: ids.wh, binId: ids.binA, type: 'supplier_order', qty: 10_000, unitCost: 25000 }]), ids.admin);
    await store.post(doc('receipt', [{ productId: ids.bulk, siteId: ids.wh, binId: ids.binB, type: 'inbound', qty: 2_500, unitCost: 30000 }]), ids.admin);
    const sale = await store.post(doc('despatch', [{ productId: ids.bulk, siteId: ids.wh, binId: ids.binA, type: 'sale', qty: -4_000 }]), ids.admin);
    expect(sale).toEqual({ documentId: 3, replayed: false, movementCount: 1, firstSeq: 3, lastSeq: 3 });
    const rows = await f.pool.query('SELECT seq, qty, balance_after, unit_cost, cost_source FROM movements ORDER BY seq');
    expect(rows.rows).toEqual([
      { seq: 1, qty: 10_000, balance_after: 10_000, unit_cost: 25000, cost_source: 'declared' },
      { seq: 2, qty: 2_500, balance_after: 12_500, unit_cost: 30000, cost_source: 'declared' },
      { seq: 3, qty: -4_000, balance_after: 8_500, unit_cost: 0, cost_source: 'none' },
    ]);
    expect((await f.pool.query('SELECT bin_id, qty FROM stock_levels ORDER BY bin_id')).rows).toEqual([
      { bin_id: ids.binA, qty: 6_000 },
      { bin_id: ids.binB, qty: 2_500 },
    ]);
    expect(await store.balance(ids.bulk, ids.wh)).toBe(8_500);
    const report = await store.verify();
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report).toMatchObject({ ok: true, movements: 3, head: { seq: 3 } });
  });

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
      ];
      const sqliteCore = new SqliteLedgerCore(sqlite.ledger.db, sqlite.ledger.poster);
      for (const d of docs) {
        expect(await pgStore.post(d, ids.admin)).toEqual(await sqliteCore.post(d, ids.admin));
      }
      const columns = 'seq, document_id, line_no, product_id, site_id, bin_id, batch_id, type, qty, balance_after, occurred_at, recorded_at, unit_cost, cost_source, oc_freight, note, prev_hash, hash';
      const fromSqlite = sqlite.ledger.db.prepare(`SELECT ${columns} FROM movements ORDER BY seq`).all();
      const fromPg = (await f.pool.query(`SELECT ${columns} FROM movements ORDER BY seq`)).rows;
      expect(fromPg).toHaveLength(5);
      expect(fromPg).toEqual(fromSqlite);
      for (const [productId, siteId] of [[ids.bulk, ids.wh], [ids.bulk, ids.shop], [ids.lot, ids.wh]] as const) {
        expect(await pgStore.balance(productId, siteId)).toBe(await sqliteCore.balance(productId, siteId));
      }
      expect((await pgStore.verify()).ok).toBe(true);
      expect((await sqliteCore.verify()).ok).toBe(true);
    } finally {
      await sqlite.cleanup();
    }
  });

  it('answers a repeated submit with the same key with the first result, writing nothing more', async () => {
    const d = doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'inbound', qty: 500 }]);
    const first = await f.store.post(d, f.ids.admin);
    const before = await f.counts();
    const again = await f.store.post(structuredClone(d), f.ids.admin);
    expect(again).toEqual({ ...first, replayed: true });
    expect(await f.counts()).toEqual(before);
  });

  it('refuses a different document under a used key, naming the key, and writes nothing', async () => {
    const d = doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'inbound', qty: 500 }]);
    await f.store.post(d, f.ids.admin);
    const before = await f.counts();
    await refusal(f.store.post({ ...d, lines: [{ ...d.lines[0]!, qty: 600 }] }, f.ids.admin), 'IDEMPOTENCY_CONFLICT', new RegExp(`idempotency key "${d.idempotencyKey}"`), { documentId: 1 });
    expect(await f.counts()).toEqual(before);
  });

  it('refuses stock that would go negative at a site that does not allow it, naming the line, product and site, and writes none of the document', async () => {
    const { ids } = f;
    await f.store.post(doc('receipt', [{ productId: ids.bulk, siteId: ids.wh, binId: ids.binA, type: 'inbound', qty: 1_000 }]), ids.admin);
    const before = await f.counts();
    // line 1 alone would post; line 2 takes more than is left after it, so the whole document is refused
    const twoLines = doc('despatch', [
      { productId: ids.bulk, siteId: ids.wh, binId: ids.binA, type: 'sale', qty: -400 },
      { productId: ids.bulk, siteId: ids.wh, binId: ids.binA, type: 'sale', qty: -1_500 },
    ]);
    await refusal(
      f.store.post(twoLines, ids.admin),
      'NEGATIVE_STOCK',
      /^Line 2: not enough RICE-1KG "Arborio rice" at Central Warehouse in that bin\/batch: on hand 0\.600, this takes 1\.500, short by 0\.900/,
      { line: 2, productId: ids.bulk, siteId: ids.wh, onHand: 600, requested: 1_500, shortfall: 900 },
    );
    expect(await f.counts()).toEqual(before);
    expect(await f.store.balance(ids.bulk, ids.wh)).toBe(1_000);
  });

  it('refuses a line whose product is missing, lot-tracked without a batch, or serial-tracked (not on PostgreSQL yet), and writes nothing', async () => {
    const { ids } = f;
    const before = await f.counts();
    await refusal(f.store.post(doc('receipt', [{ productId: 999, siteId: ids.wh, type: 'inbound', qty: 1 }]), ids.admin), 'NOT_FOUND', /^Line 1: the product picked does not exist/, { line: 1, field: 'productId' });
    await refusal(f.store.post(doc('receipt', [{ productId: ids.lot, siteId: ids.wh, type: 'inbound', qty: 1 }]), ids.admin), 'VALIDATION', /^Line 1: CLARET-75 is lot-tracked; enter its batch/, { line: 1, field: 'batch' });
    await refusal(
      f.store.post(doc('receipt', [{ productId: ids.bulk, siteId: ids.wh, type: 'inbound', qty: 5 }, { productId: ids.serial, siteId: ids.wh, serial: 'S-1', type: 'inbound', qty: 1 }]), ids.admin),
      'VALIDATION',
      /^Line 2: TAP-01 is serial-tracked, and this PostgreSQL ledger does not keep serial numbers yet/,
      { line: 2, field: 'serial' },
    );
    expect(await f.counts()).toEqual(before);
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
      // Document id 2 went to the attempt that was rolled back (a sequence never gives a number back): the retry wrote 3.
      expect(await posting).toMatchObject({ result: { documentId: 3, replayed: false, movementCount: 1, firstSeq: 2 } });
    } finally {
      other.release();
    }
    expect(await f.counts()).toMatchObject({ documents: 2, movements: 2 });
    expect(await f.store.balance(ids.bulk, ids.wh)).toBe(700);
    expect((await f.store.verify()).ok).toBe(true);
  });
});
