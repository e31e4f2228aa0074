import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import type { MovementCursor } from '../../shared/enquiry';
import { closeVerified, STORE_UNDER_TEST, storeForFile, type StoreUnderTest } from '../../test/fixtures/store-under-test';
import { balanceOnDatePlan, bruteForceBalances, DAY, T0, type BalanceRow } from './balance-on-date-cases';

/**
 * The Enquiry's balance on that date against a brute-force sum, page after page, on the configured store
 * (test/fixtures/store-under-test.ts): SQLite by default, PostgreSQL in `npm run test:unit:pg`. The ledger of
 * balance-on-date-cases.ts (400 movements posted in random order, most backdated against an earlier-recorded one)
 * through the contract's operations, read through enquiry.movements. SQLite's own ways to a balance (its plans, the
 * export's chunks, its daily snapshots): balance-on-date-store.sqlite.test.ts.
 */
const open = storeForFile();
let s: StoreUnderTest;
let truth: Map<number, number>;
let rows: BalanceRow[];
let n = 0;

beforeAll(async () => {
  s = await open();
  // The warehouse's opening stock is effective after its despatches: a site allowed negative stock takes them.
  await s.call('masterdata.siteUpdate', { id: s.ids.wh, code: 'WH1', name: 'Central Warehouse', kind: 'warehouse', allowNegative: true, active: true });
  for (const line of balanceOnDatePlan(s.ids)) {
    const head = { idempotencyKey: `balance-on-date-store-${process.pid}-${++n}`, siteId: line.siteId, occurredAt: line.occurredAt };
    // A lot is received with its expiry (as a clerk must enter it) and despatched from its batch.
    const batch = (expiry?: string) => (line.lot ? { batch: { code: 'B1', ...(expiry ? { expiry } : {}) } } : {});
    if (line.out) await s.call('operations.despatch', { ...head, kind: 'stock_despatch', lines: [{ productId: line.productId, qty: line.units, ...batch() }] });
    else await s.call('operations.receive', { ...head, kind: 'stock_receipt', dutyPaid: false, lines: [{ productId: line.productId, qty: line.units, unitCost: 10_000, ...batch('2030-12-31') }] });
  }
  rows = await s.rows<BalanceRow>('SELECT seq, product_id AS "productId", site_id AS "siteId", occurred_at AS "occurredAt", qty, type FROM movements ORDER BY occurred_at, seq');
  truth = bruteForceBalances(rows);
}, 300_000);
afterAll(() => s && closeVerified(s));

/** Every page of a filter as the window scrolls (each page after the last one's cursor): seq to balance on that date. */
async function pages(filter: MovementFilter, order: 'asc' | 'desc', limit: number): Promise<Map<number, number>> {
  const got = new Map<number, number>();
  let after: MovementCursor | undefined;
  for (;;) {
    const p = await s.call('enquiry.movements', { filter, order, limit, ...(after ? { after } : {}) });
    for (const r of p.rows) got.set(r.seq, r.balanceOnDate!);
    if (!p.next) break;
    after = p.next;
  }
  return got;
}

const expected = (pred: (r: BalanceRow) => boolean) => new Map(rows.filter(pred).map((r) => [r.seq, truth.get(r.seq)!]));

describe(`balance on that date (effective order) against a brute-force sum (${STORE_UNDER_TEST})`, () => {
  it('most movements are out of recording order, so the two balances differ', async () => {
    const after = new Map((await s.rows<{ seq: number; balance_after: number }>('SELECT seq, balance_after FROM movements')).map((r) => [r.seq, r.balance_after]));
    expect(rows).toHaveLength(404);
    expect([...truth].filter(([seq, b]) => after.get(seq) !== b).length).toBeGreaterThan(300);
  });

  it('every page, newest first and oldest first, unfiltered', async () => {
    expect(await pages({}, 'desc', 23)).toEqual(expected(() => true));
    expect(await pages({}, 'asc', 31)).toEqual(expected(() => true));
  });

  it('a page asked without its column (hidden) carries no balance on that date; shown again, the same rows carry it', async () => {
    const page = (balanceOnDate: boolean) => s.call('enquiry.movements', { filter: { types: ['stock_despatch'] }, order: 'desc', limit: 40, balanceOnDate });
    const hidden = await page(false);
    expect(hidden.rows).toHaveLength(40);
    expect(hidden.rows.every((r) => r.balanceOnDate === null)).toBe(true);
    const shown = await page(true);
    expect(shown.rows.map((r) => r.seq)).toEqual(hidden.rows.map((r) => r.seq));
    expect(new Map(shown.rows.map((r) => [r.seq, r.balanceOnDate]))).toEqual(expected((r) => hidden.rows.some((h) => h.seq === r.seq)));
  });

  it('filtered pages still count the movements the filter leaves out', async () => {
    expect(await pages({ types: ['stock_despatch'] }, 'desc', 17)).toEqual(expected((r) => r.type === 'stock_despatch'));
    expect(await pages({ siteId: s.ids.wh, occurred: { from: T0 + 10 * DAY } }, 'asc', 19)).toEqual(expected((r) => r.siteId === s.ids.wh && r.occurredAt >= T0 + 10 * DAY));
  });
});
