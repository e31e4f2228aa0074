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
