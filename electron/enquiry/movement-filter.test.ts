import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import type { MovementCursor } from '../../shared/enquiry';
import { closeVerified, storeForFile, userCaller, type StoreUnderTest } from '../../test/fixtures/store-under-test';
import {
  BARCODES_SQL, BINS, comboFilters, documentCases, type MasterIds, pairFilters, PRODUCTS, ROWS_SQL, type Row, SEARCHES, SITES, expectShuffledEnough, wanted, withBarcodes,
} from '../../test/fixtures/movement-filter-cases';

/**
 * Every filter field of the Enquiry window, alone, in pairs and in random larger combinations, on the configured store
 * (SQLite and PostgreSQL) through enquiry.movements and enquiry.count, against a brute-force filter of the movements
 * read by plain SQL. The 3,000 documents (test/fixtures/movement-filter-cases.ts) are posted through operations.receive / despatch /
 * writeOff by the admin and a clerk. Each SQLite plan forced on the same cases: movement-filter.sqlite.test.ts.
 */
const open = storeForFile();
let s: StoreUnderTest;
let rows: Row[];

beforeAll(async () => {
  let now = Date.UTC(2026, 3, 1);
  let ticks = 0;
  s = await open({ clock: () => (now += 1 + ((++ticks * 7919) % 3000)) });
  const clerk = (await s.call('users.create', { username: 'clerk', displayName: 'Clara Clerk', permissions: ['read:stock', 'post:movements'] })).id;
  const sites: number[] = [];
  for (const site of SITES) sites.push((await s.call('masterdata.siteCreate', { ...site, allowNegative: true })).id);
  const bins: number[] = [];
  for (const code of BINS) bins.push((await s.call('masterdata.binCreate', { siteId: sites[0]!, code, stockStatus: 'sellable' })).id);
  const products: number[] = [];
  for (const p of PRODUCTS) {
    const made = await s.call('masterdata.productCreate', {
      sku: p.sku, name: p.name, unit: 'each', scale: 0, stockType: 'Supplied', tracking: p.tracking, stockKeeping: true, lowStockLevel: null, groupId: null, barcodes: [...p.barcodes],
    });
    products.push(made.id);
  }
  const ids: MasterIds = { sites: [sites[0]!, sites[1]!], bins: [bins[0]!, bins[1]!], products, clerk, admin: s.admin.userId };
  let n = 0;
  for (const d of documentCases(ids, { undated: false })) {
    const by = d.userId === clerk ? userCaller(clerk, 'clerk') : s.admin;
    const head = { idempotencyKey: `filter-${process.pid}-${++n}`, siteId: d.siteId, occurredAt: d.occurredAt };
    const line = { productId: d.productId, qty: Math.abs(d.qty), ...(d.binId ? { binId: d.binId } : {}), ...(d.batch ? { batch: d.batch } : {}) };
    if (d.type === 'wastage') await s.call('operations.writeOff', { ...head, kind: d.type, reason: 'spoiled', lines: [line] }, by);
    else if (d.qty < 0) await s.call('operations.despatch', { ...head, kind: d.type as 'sale', lines: [line] }, by);
    // Some lots are received past their expiry on purpose (the expiry filters need them): confirmed, as a clerk would.
    else await s.call('operations.receive', { ...head, kind: d.type as 'inbound', dutyPaid: false, confirmExpired: true, lines: [{ ...line, unitCost: d.unitCost! }] }, by);
  }
  rows = withBarcodes(await s.rows<Omit<Row, 'barcodes'>>(ROWS_SQL), await s.rows(BARCODES_SQL));
}, 600_000);
afterAll(() => s && closeVerified(s));

/** Pages through as the window scrolls (97 rows a page, by the page's cursor); seqs in the order seen. */
async function pageAll(filter: MovementFilter, order: 'asc' | 'desc'): Promise<number[]> {
  const seen: number[] = [];
  let after: MovementCursor | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const p = await s.call('enquiry.movements', { filter, order, limit: 97, ...(after ? { after } : {}), balanceOnDate: false });
    seen.push(...p.rows.map((m) => m.seq));
    if (!p.next) break;
    after = p.next;
  }
  return seen;
}

async function check(filter: MovementFilter): Promise<number> {
  const want = wanted(rows, filter);
  const what = JSON.stringify(filter);
  expect(await pageAll(filter, 'desc'), what).toEqual(want);
  expect(await pageAll(filter, 'asc'), what).toEqual([...want].reverse());
  // The page as the window shows it: the first rows, in order.
  const first = await s.call('enquiry.movements', { filter, order: 'desc', limit: 50, balanceOnDate: false });
  expect(first.rows.map((m) => m.seq), what).toEqual(want.slice(0, 50));
  expect(await s.call('enquiry.count', { filter, cap: 10_000 }), what).toEqual({ count: want.length, exact: true });
  return want.length;
}

describe('movement filter against a brute-force filter', () => {
  it('has shuffled data: most movements recorded out of effective order, ties in effective time', () => {
    expectShuffledEnough(rows);
  });

  it('every search term finds what the plain rule finds (SKU, name word, barcode, batch code; any case)', async () => {
    const found: number[] = [];
    for (const search of SEARCHES) found.push(await check({ search }));
    expect(found.filter((n) => n > 0).length).toBeGreaterThan(10);
    expect(found[SEARCHES.indexOf('zzz')]).toBe(0);
  }, 300_000);

  it('each field alone and every pair of fields, three draws each', async () => {
    let nonEmpty = 0;
    for (const filter of pairFilters(rows, 3)) if ((await check(filter)) > 0) nonEmpty++;
    expect(nonEmpty).toBeGreaterThan(120);
  }, 600_000);

  it('200 random combinations of three to six fields', async () => {
    let nonEmpty = 0;
    for (const filter of comboFilters(rows, 200)) if ((await check(filter)) > 0) nonEmpty++;
    expect(nonEmpty).toBeGreaterThan(40);
  }, 600_000);
});
