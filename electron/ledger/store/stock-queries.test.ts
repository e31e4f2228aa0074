import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareOnHand } from '../../../shared/on-hand-order';
import { openFixture, type Fixture } from '../../../test/fixtures/ledger';

let f: Fixture;
beforeAll(async () => {
  f = await openFixture();
});
afterAll(() => f.cleanup());

describe('current stock sorted by On hand', () => {
  it('sorts by the real quantity grouped by unit (as shared/on-hand-order), not by the stored integer', () => {
    const r = f.ledger.reference;
    const { wh, binA, admin } = f.ids;
    const flour = r.addProduct({ sku: 'FLOUR', name: 'Flour', unit: 'kg', scale: 3, stockType: 'Supplied' });
    const cups = r.addProduct({ sku: 'CUPS', name: 'Cups', unit: 'ea', scale: 0, stockType: 'Supplied' });
    const lids = r.addProduct({ sku: 'LIDS', name: 'Lids', unit: 'ea', scale: 0, stockType: 'Supplied' });
    const oil = r.addProduct({ sku: 'OIL', name: 'Oil', unit: 'l', scale: 1, stockType: 'Supplied' });
    const milk = r.addProduct({ sku: 'MILK', name: 'Milk', unit: 'l', scale: 3, stockType: 'Supplied' });
    const stock: [number, number][] = [[flour, 2_200], [f.ids.bulk, 40_000], [cups, 811], [lids, 5], [oil, 155], [milk, 9_000]];
    f.ledger.poster.post(f.doc('receipt', stock.map(([productId, qty]) => ({ productId, siteId: wh, binId: binA, type: 'inbound', qty, unitCost: 10_000 }))), admin);

    const sorted = (direction: 'asc' | 'desc') =>
      f.ledger.queries.currentStock({ status: 'all', limit: 50, offset: 0, sort: 'onHand', direction, search: undefined }).rows;
    const desc = sorted('desc');
    // ea first (A→Z), then kg (40 kg above 2.2 kg although 2,200 < 40,000 stored), then l (15.5 l above 9.000 l).
    expect(desc.map((x) => x.sku)).toEqual(['CUPS', 'LIDS', 'RICE-1KG', 'FLOUR', 'OIL', 'MILK']);
    expect(sorted('asc').map((x) => x.sku)).toEqual(['LIDS', 'CUPS', 'FLOUR', 'RICE-1KG', 'MILK', 'OIL']);
    // The SQL and the comparator agree.
    const byComparator = [...desc].sort((a, b) => compareOnHand(a, b, 'desc'));
    expect(byComparator.map((x) => x.sku)).toEqual(desc.map((x) => x.sku));
  });
});

describe('a product set up at a site it has never held', () => {
  it('is out of stock there (a line of 0 with its level), narrowed by site and search like any line; gone once it moves there', () => {
    const r = f.ledger.reference;
    const { wh, shop, binA, admin } = f.ids;
    const butter = r.addProduct({ sku: 'BUTTER', name: 'Butter', unit: 'kg', scale: 3, stockType: 'Supplied' });
    f.ledger.poster.post(f.doc('receipt', [{ productId: butter, siteId: wh, binId: binA, type: 'inbound', qty: 5_000, unitCost: 80_000 }]), admin);
    // a level of its own at the shop, where none has ever been
    f.ledger.db.prepare('INSERT INTO product_sites (product_id, site_id, low_stock_level) VALUES (?, ?, ?)').run(butter, shop, 2_000);
    const lines = (q: { siteId?: number; search?: string; status?: 'all' | 'out' | 'low_or_out' }) =>
      f.ledger.queries.currentStock({ status: q.status ?? 'all', limit: 50, offset: 0, sort: 'sku', direction: 'asc', search: q.search ?? 'BUTTER', siteId: q.siteId });
    const shopLine = { sku: 'BUTTER', siteId: shop, onHand: 0, lowStockLevel: 2_000, status: 'out', lastMovementAt: null };
    expect(lines({}).rows).toMatchObject([shopLine, { sku: 'BUTTER', siteId: wh, onHand: 5_000, status: 'in_stock' }]); // BAR before WH1
    expect(lines({ status: 'out' })).toMatchObject({ total: 1, outCount: 1, rows: [shopLine] });
    expect(lines({ siteId: wh, status: 'out' }).rows).toEqual([]);
    expect(lines({ siteId: shop }).rows).toMatchObject([shopLine]);
    expect(lines({ search: 'NOTHING' }).rows).toEqual([]);
    // once stock reaches the shop it is that stock's line, not a second one
    f.ledger.poster.post(f.doc('receipt', [{ productId: butter, siteId: shop, type: 'inbound', qty: 3_000, unitCost: 80_000 }]), admin);
    expect(lines({ siteId: shop }).rows).toMatchObject([{ sku: 'BUTTER', siteId: shop, onHand: 3_000, status: 'in_stock' }]);
  });
});
