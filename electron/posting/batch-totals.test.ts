import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { JournalBatchTotals1732400003400 } from '../ledger/migrations/0034-journal-batch-totals';
import { verifyLedger } from '../ledger/store/verify';
import { runPosting } from './batch-runner';
import { PostingStore } from './posting-store';
import { reverseBatch } from './reverse-batch';
import { BuiltinLedgerTarget } from './targets/builtin-ledger';

let f: Fixture;
let store: PostingStore;
let target: BuiltinLedgerTarget;
const T0 = Date.UTC(2026, 0, 5, 9);
const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString();

/** n receipts (with freight) and despatches (freight and excise) of the bulk product, one pair per hour. */
function seed(n: number, start = T0) {
  const { bulk, wh } = f.ids;
  for (let i = 0; i < n; i++) {
    const at = iso(start + i * 3_600_000);
    f.ledger.poster.post(f.doc('receipt', [{ productId: bulk, siteId: wh, type: 'stock_receipt', qty: 2_000, unitCost: 15_000 + i, onCosts: { freight: 120 } }], { occurredAt: at }), f.ids.admin);
    f.ledger.poster.post(f.doc('despatch', [{ productId: bulk, siteId: wh, type: 'stock_despatch', qty: -1_500, onCosts: { freight: 120, excise: 40 } }], { occurredAt: at }), f.ids.admin);
  }
}

/** The report's totals the slow way: GROUP BY over every line and posting of the batch (what the report did before 0034). */
function groupedTotals(batchId: number) {
  const db = f.ledger.db;
  const accounts = db
    .prepare(
      `SELECT account, COALESCE(SUM(CASE WHEN amount > 0 THEN amount END), 0) AS debit, COALESCE(SUM(CASE WHEN amount < 0 THEN -amount END), 0) AS credit
       FROM journal_lines WHERE batch_id = ? GROUP BY account ORDER BY account`,
    )
    .all(batchId);
  const moves = db.prepare('SELECT m.type, COUNT(*) AS n FROM movement_postings mp JOIN movements m ON m.seq = mp.movement_seq WHERE mp.batch_id = ? GROUP BY m.type').all(batchId) as { type: string; n: number }[];
  const entries = db.prepare('SELECT movement_type AS type, COUNT(DISTINCT entry_no) AS n FROM journal_lines WHERE batch_id = ? GROUP BY movement_type').all(batchId) as { type: string; n: number }[];
  const types = new Map<string, { type: string; movements: number; entries: number }>();
  for (const m of moves) types.set(m.type, { type: m.type, movements: m.n, entries: 0 });
  for (const e of entries) types.set(e.type, { type: e.type, movements: types.get(e.type)?.movements ?? 0, entries: e.n });
  return { accounts, types: [...types.values()].sort((a, b) => a.type.localeCompare(b.type)) };
}
const keptTotals = (batchId: number) => ({ accounts: store.accountTotals({ batchId }), types: store.batchTypeCounts(batchId) });
const batchIds = () => (f.ledger.db.prepare('SELECT id FROM journal_batches ORDER BY id').pluck().all() as number[]);

beforeEach(async () => {
  f = await openFixture();
  store = new PostingStore(f.ledger.db);
  target = new BuiltinLedgerTarget(store);
});
afterEach(async () => f.cleanup());

describe("a batch's report totals are kept as its chunks commit", () => {
  it('detailed in chunks, summarised over days, a reversal and a re-run: each batch keeps the GROUP BY of its own lines and postings', async () => {
    seed(30);
    const detailed = await runPosting(store, target, { to: T0 + 11 * 3_600_000, summarised: false, userId: f.ids.admin, chunkSize: 7 });
    expect(detailed.movementCount).toBe(24);
    const summarised = await runPosting(store, target, { to: T0 + 2 * DAY, summarised: true, userId: f.ids.admin, chunkSize: 5 });
    expect(summarised.movementCount).toBe(36);
    const reversal = reverseBatch(store, target, detailed.batchId, f.ids.admin, Date.now());
    const again = await runPosting(store, target, { to: T0 + 2 * DAY, summarised: false, userId: f.ids.admin, chunkSize: 9 });
    expect(again.movementCount).toBe(24);
    for (const r of [summarised, reversal, again]) {
      expect(keptTotals(r.batchId)).toEqual(groupedTotals(r.batchId));
      expect(r.accounts.map((a) => ({ account: a.code, debit: a.debit, credit: a.credit }))).toEqual(groupedTotals(r.batchId).accounts);
      expect(r.byType.map(({ type, movements, entries }) => ({ type, movements, entries }))).toEqual(groupedTotals(r.batchId).types);
    }
    // the reversed batch's report was taken before its movements were released: 24 movements, as its totals still say
    expect(detailed.byType.reduce((s, t) => s + t.movements, 0)).toBe(24);
    expect(keptTotals(detailed.batchId).accounts).toEqual(groupedTotals(detailed.batchId).accounts);
    expect(reversal.accounts).toEqual(detailed.accounts.map((a) => ({ ...a, debit: a.credit, credit: a.debit })));
    expect(reversal.byType.map((t) => [t.type, t.movements, t.entries])).toEqual(detailed.byType.map((t) => [t.type, 0, t.entries]));
    // the trial balance sums the kept totals of every batch of the target, as a GROUP BY over all its lines would
    const all = f.ledger.db
      .prepare(
        `SELECT account AS code, COALESCE(SUM(CASE WHEN amount > 0 THEN amount END), 0) AS debit, COALESCE(SUM(CASE WHEN amount < 0 THEN -amount END), 0) AS credit
         FROM journal_lines GROUP BY account ORDER BY account`,
      )
      .all();
    expect(store.trialBalance('builtin').rows.map(({ code, debit, credit }) => ({ code, debit, credit }))).toEqual(all);
  });

  it('a chunk that fails adds nothing to the totals: the batch keeps exactly what its committed chunks hold', async () => {
    seed(10);
    await expect(
      runPosting(store, target, {
        to: T0 + DAY, summarised: false, userId: f.ids.admin, chunkSize: 4,
        insideChunk: (n) => {
          if (n === 2) throw new Error('disk full');
        },
      }),
    ).rejects.toThrow(/disk full/);
    const [batchId] = batchIds();
    const kept = keptTotals(batchId!);
    expect(kept.types.reduce((s, t) => s + t.movements, 0)).toBe(8);
    expect(kept).toEqual(groupedTotals(batchId!));
    const report = JSON.parse(store.batch(batchId!).report!) as { movementCount: number; accounts: unknown[] };
    expect(report.movementCount).toBe(8);
    expect(report.accounts).toEqual(kept.accounts.map((a) => ({ code: a.account, name: expect.any(String), debit: a.debit, credit: a.credit })));
  });

  it('migration 0034 gives the batches already in the ledger their totals from their lines and postings', async () => {
    seed(8);
    await runPosting(store, target, { to: T0 + 3 * 3_600_000, summarised: false, userId: f.ids.admin, chunkSize: 3 });
    await runPosting(store, target, { to: T0 + DAY, summarised: true, userId: f.ids.admin });
    const expected = batchIds().map((id) => keptTotals(id));
    f.ledger.db.exec('DROP TABLE journal_batch_types; DROP TABLE journal_batch_accounts;');
    await new JournalBatchTotals1732400003400().up({ query: async (sql: string) => f.ledger.db.prepare(sql).run() } as never);
    expect(batchIds().map((id) => keptTotals(id))).toEqual(expected);
    expect(batchIds().map((id) => groupedTotals(id))).toEqual(expected);
  });
});

describe('a posting batch anchors the chain head without summing every movement', () => {
  it('with no anchor holding a running sum, the batch anchor records none (null), and the full and incremental verify still pass', async () => {
    seed(3);
    const r = await runPosting(store, target, { to: T0 + DAY, summarised: false, userId: f.ids.admin });
    expect(f.ledger.db.prepare('SELECT seq, source, ref, qty_sum AS qtySum FROM chain_anchors').all()).toEqual([{ seq: 6, source: 'posting', ref: r.batchId, qtySum: null }]);
    expect(store.batch(r.batchId)).toMatchObject({ chain_seq: 6 });
    expect(verifyLedger(f.ledger.db, { mode: 'full' }).ok).toBe(true);
    expect(verifyLedger(f.ledger.db, { mode: 'incremental' }).ok).toBe(true);
  });
});
