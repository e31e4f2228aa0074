import { describe, expect, it } from 'vitest';
import { compareOnHand } from '../../../shared/on-hand-order';
import { storePerTest, type StoreUnderTest } from '../../../test/fixtures/store-under-test';

/**
 * Current stock (`stock.current`) sorted by On hand, and a product set up at a site it has never held, on the
 * configured store: SQLite by default, PostgreSQL in `npm run test:unit:pg`.
 */
let s: StoreUnderTest;
storePerTest((opened) => (s = opened));

let n = 0;
const product = async (sku: string, unit: string, scale: number, sites: { siteId: number; lowStockLevel: number | null; defaultBinId: null }[] = []) =>
  (await s.call('masterdata.productCreate', { sku, name: sku, unit, scale, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null, sites })).id;
const receive = (siteId: number, lines: { productId: number; qty: number; binId?: number }[]) =>
  s.call('operations.receive', { idempotencyKey: `current-stock-${process.pid}-${++n}`, kind: 'stock_receipt', siteId, dutyPaid: false, lines: lines.map((l) => ({ ...l, unitCost: 10_000 })) });

describe('current stock sorted by On hand', () => {
  it('sorts by the real quantity grouped by unit (as shared/on-hand-order), not by the stored integer', async () => {
    const flour = await product('FLOUR', 'kg', 3);
    const cups = await product('CUPS', 'ea', 0);
    const lids = await product('LIDS', 'ea', 0);
    const oil = await product('OIL', 'l', 1);
    const milk = await product('MILK', 'l', 3);
    const rice = await product('RICE', 'kg', 3);
    const stock: [number, number][] = [[flour, 2_200], [rice, 40_000], [cups, 811], [lids, 5], [oil, 155], [milk, 9_000]];
    await receive(s.ids.wh, stock.map(([productId, qty]) => ({ productId, qty, binId: s.ids.binA })));

    const sorted = async (direction: 'asc' | 'desc') => (await s.call('stock.current', { status: 'all', limit: 50, offset: 0, sort: 'onHand', direction })).rows;
    const desc = await sorted('desc');
    // ea first (A→Z), then kg (40 kg above 2.2 kg although 2,200 < 40,000 stored), then l (15.5 l above 9.000 l).
    expect(desc.map((x) => x.sku)).toEqual(['CUPS', 'LIDS', 'RICE', 'FLOUR', 'OIL', 'MILK']);
    expect((await sorted('asc')).map((x) => x.sku)).toEqual(['LIDS', 'CUPS', 'FLOUR', 'RICE', 'MILK', 'OIL']);
    // The SQL and the comparator agree.
    const byComparator = [...desc].sort((a, b) => compareOnHand(a, b, 'desc'));
    expect(byComparator.map((x) => x.sku)).toEqual(desc.map((x) => x.sku));
  });
});

describe('a product set up at a site it has never held', () => {
  it('is out of stock there (a line of 0 with its level), narrowed by site and search like any line; gone once it moves there', async () => {
    const { wh, shop, binA } = s.ids;
    const butter = await product('BUTTER', 'kg', 3, [{ siteId: shop, lowStockLevel: 2_000, defaultBinId: null }]);
    await receive(wh, [{ productId: butter, qty: 5_000, binId: binA }]);
    const lines = (q: { siteId?: number; search?: string; status?: 'all' | 'out' | 'low_or_out' }) =>
      s.call('stock.current', { status: q.status ?? 'all', limit: 50, offset: 0, sort: 'sku', direction: 'asc', search: q.search ?? 'BUTTER', siteId: q.siteId });
    const shopLine = { sku: 'BUTTER', siteId: shop, onHand: 0, lowStockLevel: 2_000, status: 'out', lastMovementAt: null };
    expect((await lines({})).rows).toMatchObject([shopLine, { sku: 'BUTTER', siteId: wh, onHand: 5_000, status: 'in_stock' }]); // BAR before WH1
    expect(await lines({ status: 'out' })).toMatchObject({ total: 1, outCount: 1, rows: [shopLine] });
    expect((await lines({ siteId: wh, status: 'out' })).rows).toEqual([]);
    expect((await lines({ siteId: shop })).rows).toMatchObject([shopLine]);
    expect((await lines({ search: 'NOTHING' })).rows).toEqual([]);
    // once stock reaches the shop it is that stock's line, not a second one
    await receive(shop, [{ productId: butter, qty: 3_000 }]);
    expect((await lines({ siteId: shop })).rows).toMatchObject([{ sku: 'BUTTER', siteId: shop, onHand: 3_000, status: 'in_stock' }]);
  });
});
