import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import type { MovementCursor, MovementView } from '../../shared/enquiry';
import { closeVerified, storeForFile, userCaller, type StoreUnderTest } from '../../test/fixtures/store-under-test';
import { expectedSeqs, HOUR, movementCases, T0 } from './movement-query-cases';

/**
 * The movement enquiry on the configured store (test/fixtures/store-under-test.ts): SQLite by default, PostgreSQL in
 * `npm run test:unit:pg`. A ledger of 600 movements with many equal occurred_at values, two users, bins, lots with
 * expiries and a barcode, posted through the contract's operations; filtered, paged and counted through
 * enquiry.movements and enquiry.count. Each SQLite plan forced one by one: movement-query.sqlite.test.ts.
 */
const open = storeForFile();
let s: StoreUnderTest;
let clerk: number;
let all: MovementView[];
let n = 0;
const key = () => `enq-query-${process.pid}-${++n}`;

beforeAll(async () => {
  let now = Date.UTC(2025, 6, 1);
  s = await open({ clock: () => (now += 1000) });
  clerk = (await s.call('users.create', { username: 'clerk', displayName: 'Clara Clerk', permissions: ['read:stock', 'post:movements'] })).id;
  const scan = (
    await s.call('masterdata.productCreate', {
      sku: 'SCAN-01', name: 'Scanned tonic water', unit: 'each', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null, groupId: null, barcodes: ['5012345678900'],
    })
  ).id;
  const { wh, shop, binA, binB, bulk, lot } = s.ids;
  // Receipts (many at the same instant), then issues; every fourth round by the clerk.
  for (let i = 0; i < 120; i++) {
    const head = { occurredAt: new Date(T0 + Math.floor(i / 6) * HOUR).toISOString(), reference: `PO-${1000 + i}` };
    const by = i % 4 === 0 ? userCaller(clerk, 'clerk') : s.admin;
    const bin = i % 2 ? binA : binB;
    await s.call('operations.receive', { ...head, idempotencyKey: key(), kind: 'inbound', siteId: wh, dutyPaid: false, lines: [{ productId: bulk, qty: 5000, binId: bin, unitCost: 1200 }] }, by);
    const batch = { code: `LOT-${String(i % 7).padStart(2, '0')}`, expiry: `2026-0${1 + (i % 7)}-15` };
    await s.call('operations.receive', { ...head, idempotencyKey: key(), kind: 'stock_receipt', siteId: wh, dutyPaid: false, lines: [{ productId: lot, qty: 12, binId: binA, batch, unitCost: 8000 }] }, by);
    const note = i % 5 === 0 ? { note: '=HYPERLINK("x")' } : {};
    await s.call('operations.receive', { ...head, ...note, idempotencyKey: key(), kind: 'supplier_order', siteId: shop, dutyPaid: false, lines: [{ productId: scan, qty: 24, unitCost: 300 }] }, by);
    const out = { ...head, reference: `SO-${i}` };
    const rice = [{ productId: bulk, qty: 1000, binId: bin }];
    // Wastage is a write-off, not a despatch.
    if (i % 3 === 0) await s.call('operations.writeOff', { ...out, idempotencyKey: key(), kind: 'wastage', reason: 'spoiled', siteId: wh, lines: rice }, by);
    else await s.call('operations.despatch', { ...out, idempotencyKey: key(), kind: 'outbound', siteId: wh, lines: rice }, by);
    await s.call('operations.despatch', { ...out, idempotencyKey: key(), kind: 'sale', siteId: shop, lines: [{ productId: scan, qty: 3 }] }, by);
  }
  all = (await s.call('enquiry.movements', { order: 'asc', limit: 2000 })).rows;
}, 300_000);
afterAll(() => s && closeVerified(s));

const expected = (pred: (m: MovementView) => boolean) => expectedSeqs(all, pred);

/** Pages through in `order` with a small page size, as the window scrolls; returns seqs in the order seen. */
async function pageAll(filter: MovementFilter, order: 'asc' | 'desc'): Promise<number[]> {
  const seen: number[] = [];
  let after: MovementCursor | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const p = await s.call('enquiry.movements', { filter, order, limit: 7, ...(after ? { after } : {}), balanceOnDate: false });
    seen.push(...p.rows.map((r) => r.seq));
    if (!p.next) break;
    after = p.next;
  }
  return seen;
}

describe('movement enquiry', () => {
  it('has the data it tests on, with many equal occurred_at values', () => {
    expect(all.length).toBe(600);
    const times = new Set(all.map((m) => m.occurredAt));
    expect(times.size).toBe(20);
  });

  for (const [name, filter, pred] of movementCases(() => ({ all, clerk, ids: s.ids }))) {
    it(`filters by ${name}, paging without gaps or duplicates in both orders, and counts exactly up to the cap`, async () => {
      const want = expected(pred);
      if (!name.startsWith('search with no match')) expect(want.length).toBeGreaterThan(0);
      expect(await pageAll(filter(), 'desc')).toEqual(want);
      expect(await pageAll(filter(), 'asc')).toEqual([...want].reverse());
      expect(await s.call('enquiry.count', { filter: filter(), cap: 1_000 })).toEqual({ count: want.length, exact: true });
      if (want.length > 3 && name !== 'no filter') expect(await s.call('enquiry.count', { filter: filter(), cap: 3 })).toEqual({ count: 3, exact: false });
    });
  }

  it('pages backwards from any cursor to exactly the rows before it', async () => {
    const want = expected(() => true);
    const page = (cursor: { after?: MovementCursor; before?: MovementCursor } = {}) => s.call('enquiry.movements', { order: 'desc', limit: 50, ...cursor });
    // Walk forward to the middle, then back to the start.
    let p = await page();
    p = await page({ after: p.next! });
    p = await page({ after: p.next! });
    expect(p.rows.map((r) => r.seq)).toEqual(want.slice(100, 150));
    const back = await page({ before: p.prev! });
    expect(back.rows.map((r) => r.seq)).toEqual(want.slice(50, 100));
    const back2 = await page({ before: back.prev! });
    expect(back2.rows.map((r) => r.seq)).toEqual(want.slice(0, 50));
    const back3 = await page({ before: back2.prev! });
    expect(back3.rows).toEqual([]);
  });

  it('carries names, display type, batch, expiry, source document, cost and value', () => {
    const row = all.find((m) => m.type === 'stock_receipt')!;
    expect(row).toMatchObject({
      sku: 'CLARET-75', productName: 'Claret 2019 75cl', typeName: 'Stock Receipt', qty: 12, unitCost: 8000, value: 96_000,
      documentType: 'receipt', userName: expect.any(String), siteCode: 'WH1', binCode: 'A-01',
    });
    expect(row.batchCode).toMatch(/^LOT-0\d$/);
    expect(row.expiry).toMatch(/^2026-0\d-15$/);
    expect(row.documentReference).toMatch(/^PO-1\d{3}$/);
    const kg = all.find((m) => m.type === 'outbound')!;
    expect(kg.value).toBe(-1200); // 1.000 kg at 1200 per kg
    expect(kg.balanceAfter).toBeGreaterThan(0);
  });
});
