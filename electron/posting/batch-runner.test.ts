import { describe, expect, it } from 'vitest';
import { postUpTo, storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';
import { refusalOf } from '../../test/fixtures/refusal';
import { MIN_BUDGET_CHUNK, nextChunkSize } from './batch-runner';

/**
 * The batch runner as the Posting window drives it (preview, confirmed count, posting job, report, reversal, control
 * accounts), on the configured store (test/fixtures/store-under-test.ts). Its chunk-level cases — a cancel mid-run, a
 * failure inside a chunk, a batch left running by a kill — take the runner's own hooks (chunk size, a failure inside a
 * chunk) that no operation exposes: posting-both-stores.test.ts runs them on both stores. SQLite-only in
 * batch-runner.sqlite.test.ts: the write budget's chunk sizing and SQLite's once-per-entry description (migration 0039).
 */
let s: StoreUnderTest;
let n = 0;
const key = () => `batch-runner-test-${process.pid}-${++n}`;
const T0 = Date.UTC(2026, 0, 5, 9);
const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString();
/** Posting tests wait for real posting jobs (each SQLite run takes its checked backup first): a slow machine's minutes, not a limit checked. */
const SLOW = 180_000;

storePerTest((opened) => (s = opened));

/** Receives 2 kg of rice at `unitCost`/kg (freight £0.012/kg) at `at`. */
const receive = (at: number, unitCost: number, extra: Record<string, unknown> = {}) =>
  s.call('operations.receive', { idempotencyKey: key(), kind: 'stock_receipt', siteId: s.ids.wh, dutyPaid: false, occurredAt: iso(at), lines: [{ productId: s.ids.bulk, qty: 2_000, unitCost, onCosts: { freight: 120 } }], ...extra });
const despatch = (at: number, qty = 1_500) => s.call('operations.despatch', { idempotencyKey: key(), kind: 'stock_despatch', siteId: s.ids.wh, occurredAt: iso(at), lines: [{ productId: s.ids.bulk, qty }] });
/** n receipts and despatches of rice, one of each per minute from `start`. */
async function seed(count: number, start = T0) {
  for (let i = 0; i < count; i++) {
    await receive(start + i * 60_000, 15_000 + i);
    await despatch(start + i * 60_000);
  }
}
const number = async (sql: string) => Number((await s.rows<{ n: number }>(sql))[0]!.n);
const unposted = () => number('SELECT COUNT(*) AS n FROM movements m WHERE NOT EXISTS (SELECT 1 FROM movement_postings p WHERE p.movement_seq = m.seq)');
const journalSum = () => number('SELECT COALESCE(SUM(amount), 0) AS n FROM journal_lines');
const entriesUnbalanced = () => number('SELECT COUNT(*) AS n FROM (SELECT batch_id, entry_no FROM journal_lines GROUP BY batch_id, entry_no HAVING SUM(amount) <> 0) e');
/** Posts up to `to` through the Posting window's job; the batch's report. */
const run = async (to: number, summarised = false) => s.call('posting.report', { batchId: (await postUpTo(s, iso(to), { summarised })).batchId });
const trialBalance = async () => (await s.call('posting.trialBalance', { target: 'builtin' })).rows;

describe('the batch runner', { timeout: SLOW }, () => {
  it('posts every movement up to the date once, balanced, with the entry-id check; a re-run posts nothing new', async () => {
    await seed(15);
    const cut = T0 + 9 * 60_000; // the first 10 minutes: 20 movements
    const r = await run(cut);
    expect(r.status).toBe('posted');
    expect(r.movementCount).toBe(20);
    expect(r.entryCount).toBe(20);
    expect(r.balanced).toBe(true);
    expect(r.totalDebit).toBeGreaterThan(0);
    expect(r.lastEntryBefore).toBe(0);
    expect(r.lastEntryAfter).toBe(20);
    expect(r.entryCheckOk).toBe(true);
    expect(r.byType.map((t) => [t.type, t.movements])).toEqual([['stock_despatch', 10], ['stock_receipt', 10]]);
    expect(await unposted()).toBe(10);
    const again = await run(cut);
    expect(again.movementCount).toBe(0);
    expect(again.entryCheckOk).toBe(true);
    const rest = await run(T0 + DAY);
    expect(rest.movementCount).toBe(10);
    expect(rest.lastEntryBefore).toBe(20);
    expect(rest.lastEntryAfter).toBe(30);
    expect(await unposted()).toBe(0);
    expect(await journalSum()).toBe(0);
    expect(await entriesUnbalanced()).toBe(0);
    // the database itself refuses a second posting of a movement
    await expect(s.rows('INSERT INTO movement_postings (movement_seq, batch_id) VALUES (1, 1) RETURNING movement_seq')).rejects.toThrow(/UNIQUE|PRIMARY|duplicate key/);
  });

  it('a detailed entry names its movement and its document by type and reference, not by row id', async () => {
    await receive(T0, 15_000, { reference: 'GRN-000123' });
    await despatch(T0 + 60_000, 500);
    const r = await run(T0 + DAY);
    expect(await number('SELECT COUNT(*) AS n FROM journal_lines')).toBeGreaterThan(r.entryCount);
    const described = await s.rows<{ seq: number; description: string }>("SELECT DISTINCT movement_seq AS seq, description FROM journal_lines WHERE description <> '' ORDER BY movement_seq");
    expect(described.map((l) => `${l.seq}: ${l.description}`)).toEqual(['1: Stock Receipt movement 1 Receipt GRN-000123', '2: Stock Despatch movement 2 Despatch (no reference)']);
    // every entry has its description
    expect(await number("SELECT COUNT(*) AS n FROM (SELECT DISTINCT batch_id, entry_no FROM journal_lines WHERE description <> '') e")).toBe(r.entryCount);
  });

  it('summarised: one entry per day and movement type, one line per account, balanced', async () => {
    await seed(5);
    await seed(5, T0 + DAY);
    const r = await run(T0 + 3 * DAY, true);
    expect(r.movementCount).toBe(20);
    expect(r.entryCount).toBe(4); // 2 days × 2 types
    const perEntry = await s.rows<{ n: number; a: number }>('SELECT entry_no, COUNT(*) AS n, COUNT(DISTINCT account) AS a FROM journal_lines GROUP BY entry_no');
    expect(perEntry).toHaveLength(4);
    for (const e of perEntry) expect(Number(e.n)).toBe(Number(e.a));
    const detailedTotal = 10 * 30_000 + 10 * (22_500 + 180 + 60); // receipts 2 × 15000+i… checked loosely below
    expect(r.balanced).toBe(true);
    expect(r.totalDebit).toBeGreaterThan(detailedTotal * 0.9);
    expect(await entriesUnbalanced()).toBe(0);
  });

  it('reverse batch posts the mirror and releases its movements for a corrected re-run', async () => {
    await seed(5);
    const first = await run(T0 + DAY);
    const rev = await s.call('posting.reverse', { batchId: first.batchId });
    expect(rev.reversalOf).toBe(first.batchId);
    expect(rev.entryCount).toBe(first.entryCount);
    expect(rev.totalDebit).toBe(first.totalCredit);
    expect(rev.entryCheckOk).toBe(true);
    expect((await trialBalance()).every((r) => r.balance === 0)).toBe(true);
    expect(await unposted()).toBe(10);
    expect(await refusalOf(() => s.call('posting.reverse', { batchId: first.batchId }))).toEqual({ code: 'CONFLICT', message: `Batch ${first.batchId} was already reversed by batch ${rev.batchId}.` });
    const again = await run(T0 + DAY);
    expect(again.movementCount).toBe(10);
    const tb = Object.fromEntries((await trialBalance()).map((r) => [r.code, r.balance]));
    expect(tb).toEqual(Object.fromEntries(first.accounts.map((a) => [a.code, a.debit - a.credit])));
  });

  it('reads duty-paid from the operations document and customs facts from document_customs', async () => {
    const napa = (await s.call('suppliers.create', { code: 'NAPA', name: 'Napa Ltd', country: 'US' })).id;
    // 1 kg of rice at £1.00 with £0.05 customs duty, from outside the EC, customs duty paid
    await s.call('operations.receive', {
      idempotencyKey: key(), kind: 'supplier_order', siteId: s.ids.wh, supplierId: napa, customsDutyPaid: true,
      lines: [{ productId: s.ids.bulk, qty: 1_000, unitCost: 10_000, onCosts: { customs: 500 } }],
    });
    // 1 kg found, duty paid: the site's latest cost and on-costs as one pair, Dr Stock / Cr Cost of Sales
    const d = await s.call('operations.draftCreate', { name: 'Cellar check', siteId: s.ids.wh, effectiveAt: new Date().toISOString(), dutyPaid: true });
    await s.call('operations.draftSaveLine', { draftId: d.id, productId: s.ids.bulk, qty: 1_000, reason: 'found' });
    await s.call('operations.draftPost', { draftId: d.id, idempotencyKey: key() });
    const r = await run(Date.now() + 60_000);
    const acc = Object.fromEntries(r.accounts.map((a) => [a.code, a.debit - a.credit]));
    expect(acc).toEqual({ '1200': 10_500 + 10_500, '5000': -10_500, '2100': -10_000, '2200': -500 });
  });

  it('saving control accounts refuses a code that does not exist and names it', async () => {
    const c = await s.call('posting.controlAccounts', {});
    c.rules[0] = { ...c.rules[0]!, debit: '9999' };
    expect(await refusalOf(() => s.call('posting.saveControlAccounts', { ...c, target: 'builtin' }))).toMatchObject({ message: expect.stringMatching(/^Account 9999 is not in the chart being saved, but a rule posts to it: /) });
    c.rules[0] = { ...c.rules[0]!, debit: '1200' };
    expect((await s.call('posting.saveControlAccounts', { ...c, target: 'builtin' })).rules).toHaveLength(c.rules.length);
  });

  it('saving control accounts refuses a rule given twice, naming it in words, and changes nothing', async () => {
    const c = await s.call('posting.controlAccounts', {});
    const first = c.rules.find((r) => r.movementType === 'stock_receipt' && r.component === 'product' && r.condition === 'always')!;
    const twice = { ...c, rules: [...c.rules, { ...first, debit: '1200' }] };
    expect(await refusalOf(() => s.call('posting.saveControlAccounts', { ...twice, target: 'builtin' }))).toEqual({
      code: 'VALIDATION',
      message: 'The rule for Stock Receipt, product cost, always appears twice. Keep one and save again.',
    });
    expect((await s.call('posting.controlAccounts', {})).rules).toEqual(c.rules);
  });

  it('the chunk size for a write budget: scaled to the budget, at most ×2 or ÷2 a step, never under the floor or over the most asked', () => {
    expect(nextChunkSize(1_000, 4, 2, 20_000)).toBe(500); // twice the budget: half
    expect(nextChunkSize(1_000, 40, 2, 20_000)).toBe(500); // far over: still only half
    expect(nextChunkSize(1_000, 1.6, 2, 20_000)).toBe(1_250); // a little under: a little more
    expect(nextChunkSize(1_000, 0, 2, 20_000)).toBe(2_000); // no time at all: at most double
    expect(nextChunkSize(15_000, 0.5, 2, 20_000)).toBe(20_000); // never over the chunk size asked for
    expect(nextChunkSize(300, 100, 2, 20_000)).toBe(MIN_BUDGET_CHUNK); // never under the floor
  });
});
