import { describe, expect, it } from 'vitest';
import type { PostingReport } from '../../shared/posting';
import { postUpTo, storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/**
 * A batch's report totals are kept as its chunks commit (migration 0034), on the configured store
 * (test/fixtures/store-under-test.ts): each report and the trial balance equal the GROUP BY over the lines and postings.
 * A chunk that fails (the runner's own hook, no operation's) and a batch's chain anchor with no running sum (a SQLite
 * posting job takes its checked backup first, whose anchor holds one) are in posting-both-stores.test.ts on both
 * stores; the SQLite migration 0034 filling older batches is in batch-totals.sqlite.test.ts.
 */
let s: StoreUnderTest;
let n = 0;
const key = () => `batch-totals-test-${process.pid}-${++n}`;
const T0 = Date.UTC(2026, 0, 5, 9);
const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString();
/** Posting tests wait for real posting jobs (each SQLite run takes its checked backup first): a slow machine's minutes, not a limit checked. */
const SLOW = 180_000;

storePerTest((opened) => (s = opened));

/** n receipts (with freight) and despatches of rice, one pair per hour. */
async function seed(count: number, start = T0) {
  for (let i = 0; i < count; i++) {
    const occurredAt = iso(start + i * 3_600_000);
    await s.call('operations.receive', { idempotencyKey: key(), kind: 'stock_receipt', siteId: s.ids.wh, dutyPaid: false, occurredAt, lines: [{ productId: s.ids.bulk, qty: 2_000, unitCost: 15_000 + i, onCosts: { freight: 120 } }] });
    await s.call('operations.despatch', { idempotencyKey: key(), kind: 'stock_despatch', siteId: s.ids.wh, occurredAt, lines: [{ productId: s.ids.bulk, qty: 1_500 }] });
  }
}
const run = async (to: number, summarised = false) => s.call('posting.report', { batchId: (await postUpTo(s, iso(to), { summarised })).batchId });

const DEBIT_CREDIT = 'COALESCE(SUM(CASE WHEN amount > 0 THEN amount END), 0) AS debit, COALESCE(SUM(CASE WHEN amount < 0 THEN -amount END), 0) AS credit';
/** Account lines the slow way, GROUP BY over journal lines (all of them, or one batch's). */
async function groupedAccounts(batchId?: number) {
  const where = batchId === undefined ? '' : 'WHERE batch_id = ?';
  const rows = await s.rows<{ code: string; debit: number; credit: number }>(`SELECT account AS code, ${DEBIT_CREDIT} FROM journal_lines ${where} GROUP BY account ORDER BY account`, batchId === undefined ? [] : [batchId]);
  return rows.map((r) => ({ code: r.code, debit: Number(r.debit), credit: Number(r.credit) }));
}
/** A batch's report totals the slow way: GROUP BY over every line and posting of the batch (what the report did before 0034). */
async function groupedTotals(batchId: number) {
  const moves = await s.rows<{ type: string; n: number }>('SELECT m.type, COUNT(*) AS n FROM movement_postings mp JOIN movements m ON m.seq = mp.movement_seq WHERE mp.batch_id = ? GROUP BY m.type', [batchId]);
  const entries = await s.rows<{ type: string; n: number }>('SELECT movement_type AS type, COUNT(DISTINCT entry_no) AS n FROM journal_lines WHERE batch_id = ? GROUP BY movement_type', [batchId]);
  const types = new Map<string, { type: string; movements: number; entries: number }>();
  for (const m of moves) types.set(m.type, { type: m.type, movements: Number(m.n), entries: 0 });
  for (const e of entries) types.set(e.type, { type: e.type, movements: types.get(e.type)?.movements ?? 0, entries: Number(e.n) });
  return { accounts: await groupedAccounts(batchId), types: [...types.values()].sort((a, b) => a.type.localeCompare(b.type)) };
}
const reportTotals = (r: PostingReport) => ({
  accounts: r.accounts.map(({ code, debit, credit }) => ({ code, debit, credit })),
  types: r.byType.map(({ type, movements, entries }) => ({ type, movements, entries })),
});

describe("a batch's report totals are kept as its chunks commit", { timeout: SLOW }, () => {
  it('detailed, summarised over days, a reversal and a re-run: each report keeps the GROUP BY of its own lines and postings; the trial balance that of all', async () => {
    await seed(30);
    const detailed = await run(T0 + 11 * 3_600_000);
    expect(detailed.movementCount).toBe(24);
    expect(reportTotals(detailed)).toEqual(await groupedTotals(detailed.batchId));
    const summarised = await run(T0 + 2 * DAY, true);
    expect(summarised.movementCount).toBe(36);
    const reversal = await s.call('posting.reverse', { batchId: detailed.batchId });
    const again = await run(T0 + 2 * DAY);
    expect(again.movementCount).toBe(24);
    for (const r of [summarised, reversal, again]) {
      expect(reportTotals(r)).toEqual(await groupedTotals(r.batchId));
      expect(reportTotals(await s.call('posting.report', { batchId: r.batchId }))).toEqual(reportTotals(r));
    }
    // the reversed batch's report was taken before its movements were released: 24 movements, as its totals still say
    expect(detailed.byType.reduce((sum, t) => sum + t.movements, 0)).toBe(24);
    expect(reportTotals(detailed).accounts).toEqual(await groupedAccounts(detailed.batchId));
    expect(reversal.accounts).toEqual(detailed.accounts.map((a) => ({ ...a, debit: a.credit, credit: a.debit })));
    expect(reversal.byType.map((t) => [t.type, t.movements, t.entries])).toEqual(detailed.byType.map((t) => [t.type, 0, t.entries]));
    // the trial balance sums the kept totals of every batch of the target, as a GROUP BY over all its lines would
    const tb = await s.call('posting.trialBalance', { target: 'builtin' });
    expect(tb.rows.map(({ code, debit, credit }) => ({ code, debit, credit }))).toEqual(await groupedAccounts());
  });
});
