import { describe, expect, it } from 'vitest';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';
import { ReportPages } from './report-pages';

const report = (n: number) => ({ rows: Array.from({ length: n }, (_, i) => i), label: 'r' });

describe('report pages', () => {
  it('hands out a page of the rows with the total, computing the report once per question and ledger state', () => {
    let head = 1;
    let computed = 0;
    const pages = new ReportPages<ReturnType<typeof report>>(() => head);
    const ask = (offset: number) => pages.page('q', () => (computed++, report(1_250)), offset, 500);
    expect(ask(0)).toEqual({ rows: report(500).rows, total: 1_250, label: 'r' });
    expect(ask(1_000).rows).toEqual([1_000, ...report(249).rows.map((i) => 1_001 + i)]);
    expect(ask(2_000)).toMatchObject({ rows: [], total: 1_250 });
    expect(computed).toBe(1);
    head = 2; // a new movement: the report is added up again
    ask(0);
    expect(computed).toBe(2);
  });

  it('keeps only the newest reports', () => {
    let computed = 0;
    const pages = new ReportPages<ReturnType<typeof report>>(() => 1, 2);
    for (const key of ['a', 'b', 'c', 'a']) pages.page(key, () => (computed++, report(3)), 0, 10);
    expect(computed).toBe(4); // 'a' was dropped when 'c' came
    pages.page('c', () => (computed++, report(3)), 0, 10);
    expect(computed).toBe(4);
  });

  it('pages an asynchronously computed report the same way, once per question and the head the store read', async () => {
    let computed = 0;
    const pages = new ReportPages<ReturnType<typeof report>>();
    const ask = (head: number, offset: number) => pages.pageAsync(head, 'q', async () => (computed++, report(7)), offset, 3);
    expect(await ask(1, 0)).toEqual({ rows: [0, 1, 2], total: 7, label: 'r' });
    expect((await ask(1, 6)).rows).toEqual([6]);
    expect(computed).toBe(1);
    await ask(2, 0);
    expect(computed).toBe(2);
  });
});

/**
 * The reports both stores page with ReportPages, on the configured store (test/fixtures/store-under-test.ts): SQLite by
 * default, PostgreSQL in `npm run test:unit:pg`. Stock at a date and the stock balance through the contract: the pages
 * put together are the whole report with its total, and a movement posted between two pages is in the next one.
 */
describe('report pages on the configured store', () => {
  let s: StoreUnderTest;
  storePerTest((x) => (s = x));
  let n = 0;
  const T0 = Date.UTC(2026, 0, 5, 9);
  const receive = (productId: number, siteId: number, qty: number, at: number, batch?: { code: string; expiry: string }) =>
    s.call('operations.receive', {
      idempotencyKey: `report-pages-${process.pid}-${++n}`, kind: 'inbound', siteId, dutyPaid: false, occurredAt: new Date(at).toISOString(),
      lines: [{ productId, qty, unitCost: 100, ...(batch ? { batch } : {}) }],
    });
  /** Five lines of stock at T0: rice at both sites, claret in three lots at the warehouse. */
  const stock = async () => {
    const { wh, shop, bulk, lot } = s.ids;
    await receive(bulk, wh, 1_000, T0);
    await receive(bulk, shop, 2_000, T0);
    for (const code of ['L-1', 'L-2', 'L-3']) await receive(lot, wh, 6, T0, { code, expiry: '2027-06-30' });
  };
  const at = new Date(T0 + 3_600_000).toISOString();

  it('stock at a date: pages of two make up the whole answer with its total; a receipt between pages is in the next one', async () => {
    await stock();
    const whole = await s.call('enquiry.stockAt', { at });
    expect(whole.total).toBe(5);
    const pages = [];
    for (let offset = 0; offset < 6; offset += 2) pages.push(await s.call('enquiry.stockAt', { at, offset, limit: 2 }));
    expect(pages.map((p) => p.rows.length)).toEqual([2, 2, 1]);
    expect(pages.every((p) => p.total === 5)).toBe(true);
    expect(pages.flatMap((p) => p.rows)).toEqual(whole.rows);
    expect(await s.call('enquiry.stockAt', { at, offset: 10, limit: 2 })).toMatchObject({ rows: [], total: 5 });
    // A backdated receipt of a fourth lot, recorded now: the same question is added up again.
    await receive(s.ids.lot, s.ids.wh, 4, T0, { code: 'L-4', expiry: '2027-06-30' });
    const after = await s.call('enquiry.stockAt', { at, offset: 4, limit: 2 });
    expect(after.total).toBe(6);
    expect((await s.call('enquiry.stockAt', { at, limit: 10 })).rows.map((r) => [r.batchCode, r.qty])).toContainEqual(['L-4', 4]);
  });

  it('stock balance: the same pages and totals; a receipt in the period between pages is in the next one', async () => {
    await stock();
    const q = { from: T0 - 86_400_000, to: T0 + 86_400_000 };
    const whole = await s.call('enquiry.stockBalance', q);
    expect(whole.total).toBe(whole.rows.length);
    expect(whole.total).toBeGreaterThan(2);
    const pages = [];
    for (let offset = 0; offset < whole.total; offset += 2) pages.push(await s.call('enquiry.stockBalance', { ...q, offset, limit: 2 }));
    expect(pages.flatMap((p) => p.rows)).toEqual(whole.rows);
    expect(pages.every((p) => p.total === whole.total)).toBe(true);
    const riceIn = async () => (await s.call('enquiry.stockBalance', { ...q, productId: s.ids.bulk, siteId: s.ids.wh })).rows.map((r) => r.closing);
    expect(await riceIn()).toEqual([1_000]);
    await receive(s.ids.bulk, s.ids.wh, 500, T0 + 60_000);
    expect(await riceIn()).toEqual([1_500]);
  });

  it('a site renamed or recoded after a report was added up: the same question answers with the new code, on both reports', async () => {
    await stock();
    const q = { from: T0 - 86_400_000, to: T0 + 86_400_000, productId: s.ids.bulk };
    const codes = async () => ({
      at: (await s.call('enquiry.stockAt', { at, productId: s.ids.bulk })).rows.map((r) => r.siteCode).sort(),
      balance: (await s.call('enquiry.stockBalance', q)).rows.map((r) => r.siteCode).sort(),
    });
    const before = await codes();
    expect(before.at).toContain('WH1');
    expect(before.balance).toContain('WH1');
    const wh = (await s.call('masterdata.sites', {})).find((x) => x.id === s.ids.wh)!;
    await s.call('masterdata.siteUpdate', { id: wh.id, version: wh.version, code: 'MAIN', name: wh.name, kind: wh.kind as 'warehouse', allowNegative: wh.allowNegative, active: wh.active });
    const after = await codes();
    expect(after.at).toEqual(before.at.map((c) => (c === 'WH1' ? 'MAIN' : c)).sort());
    expect(after.balance).toEqual(before.balance.map((c) => (c === 'WH1' ? 'MAIN' : c)).sort());
  });
});
