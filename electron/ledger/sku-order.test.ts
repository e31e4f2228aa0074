import { describe, expect, it } from 'vitest';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/**
 * SKUs are sorted as a user reads them, ignoring case (a-1 before Z-9), wherever a user sorts or reads products in SKU
 * order: the current-stock list, a count's sheet, the product pickers (Operations and the palette, the enquiry's
 * filters), stock at a date and the dashboard's top movers (their tie order). On the configured store: SQLite by default, PostgreSQL in `npm run test:unit:pg`.
 */
let s: StoreUnderTest;
storePerTest((opened) => {
  s = opened;
});

const product = async (sku: string) =>
  (await s.call('masterdata.productCreate', { sku, name: `Wine ${sku}`, unit: 'each', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null })).id;

/** Z-9, a-1 and b-2 made (in that order, so id order is not SKU order) and one of each received in bin A. */
async function receiveThree(idempotencyKey: string): Promise<void> {
  const ids = [await product('Z-9'), await product('a-1'), await product('b-2')];
  const lines = ids.map((productId) => ({ productId, binId: s.ids.binA, qty: 1, unitCost: 100 }));
  await s.call('operations.receive', { idempotencyKey, kind: 'stock_receipt', siteId: s.ids.wh, dutyPaid: false, lines });
}

describe('SKU order', () => {
  it('ignores case: a-1 and b-2 before Z-9 in current stock (both directions) and on a count sheet', async () => {
    await receiveThree('sku-order-receipt');
    const skus = async (direction: 'asc' | 'desc') =>
      (await s.call('stock.current', { search: '-', sort: 'sku', direction, limit: 50, offset: 0 })).rows.map((r) => r.sku);
    expect(await skus('asc')).toEqual(['a-1', 'b-2', 'Z-9']);
    expect(await skus('desc')).toEqual(['Z-9', 'b-2', 'a-1']);
    const count = (await s.call('counts.create', { siteId: s.ids.wh, binId: s.ids.binA })).id;
    const sheet = (await s.call('counts.get', { sessionId: count })).lines.map((l) => l.sku);
    expect(sheet).toEqual(['a-1', 'b-2', 'Z-9']);
  });

  it('ignores case in the product pickers, stock at a date and the dashboard', async () => {
    await receiveThree('sku-order-pickers');
    const ours = (skus: string[]) => skus.filter((x) => ['Z-9', 'a-1', 'b-2'].includes(x));
    const want = ['a-1', 'b-2', 'Z-9'];
    expect(ours((await s.call('operations.products', { search: '', limit: 200 })).map((p) => p.sku))).toEqual(want);
    expect(ours((await s.call('operations.products', { search: '-', limit: 200 })).map((p) => p.sku))).toEqual(want);
    expect(ours((await s.call('enquiry.lookups', { search: '-' })).products.map((p) => p.sku))).toEqual(want);
    for (const level of ['site', 'batch'] as const) {
      expect(ours((await s.call('enquiry.stockAt', { at: '2099-12-31', level })).rows.map((r) => r.sku))).toEqual(want);
    }
    // Each moved once, nothing out: the top movers tie, and the tie is in SKU order.
    expect(ours((await s.call('enquiry.dashboard', { days: 30 })).topMovers.map((m) => m.sku))).toEqual(want);
  });
});
