import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { stockBalance } from './stock-balance';
import { DAY_MS, StockSnapshots } from './stock-snapshots';

let f: Fixture;
const D0 = Date.UTC(2025, 0, 1);

beforeAll(async () => {
  let now = Date.UTC(2025, 6, 1);
  f = await openFixture({ clock: () => (now += 1000) });
});
afterAll(() => f.cleanup());

describe('stock balance report', () => {
  it('gives opening, in, out and closing per product and site, closing equal to stock at the end', () => {
    const { wh, shop, bulk, lot, admin } = f.ids;
    const post = (d: number, lines: Parameters<Fixture['doc']>[1]) =>
      f.ledger.poster.post(f.docOf(lines, { occurredAt: new Date(D0 + d * DAY_MS + 3_600_000).toISOString() }), admin);
    for (let d = 0; d < 40; d++) {
      post(d, [{ productId: bulk, siteId: wh, type: 'inbound', qty: 2_000, unitCost: 1_5000 }]);
      post(d, [{ productId: bulk, siteId: wh, type: 'outbound', qty: -700 }]);
      if (d % 5 === 0) post(d, [{ productId: lot, siteId: shop, batch: { code: `B${d}`, expiry: '2027-01-01' }, type: 'stock_receipt', qty: 12, unitCost: 8000 }]);
    }
    const snaps = new StockSnapshots(f.ledger.db, { spacing: 10 });
    snaps.rebuild();
    const from = D0 + 10 * DAY_MS;
    const to = D0 + 20 * DAY_MS - 1;
    const r = stockBalance(f.ledger.db, snaps, { from, to });
    const rice = r.rows.find((x) => x.sku === 'RICE-1KG' && x.siteId === wh)!;
    expect(rice).toMatchObject({ opening: 10 * 1_300, qtyIn: 10 * 2_000, qtyOut: 10 * 700, closing: 20 * 1_300 });
    const claret = r.rows.find((x) => x.sku === 'CLARET-75')!;
    expect(claret).toMatchObject({ siteId: shop, opening: 24, qtyIn: 24, qtyOut: 0, closing: 48 });
    expect(r.movements).toBe(10 * 2 + 2);
    for (const row of r.rows) {
      const at = snaps.stockAt(to, { productId: row.productId, siteId: row.siteId, level: 'site' }).rows[0]?.qty ?? 0;
      expect(row.closing).toBe(at);
    }
    expect(rice.closingValue).toBe(Math.round((rice.closing * rice.averageCost!) / 1000));
    const one = stockBalance(f.ledger.db, snaps, { from, to, productId: bulk, siteId: wh });
    expect(one.rows).toEqual([rice]);
  });
});
