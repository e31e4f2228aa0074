import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeVerified, storeForFile, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/**
 * The stock balance report on the configured store (test/fixtures/store-under-test.ts): SQLite by default, PostgreSQL
 * in `npm run test:unit:pg`. Forty days of rice in and out at the warehouse and a claret lot every fifth day at the bar,
 * posted through the contract's operations; the report, the snapshots' rebuild and stock at a date asked through it too.
 */
const DAY = 86_400_000;
const D0 = Date.UTC(2025, 0, 1);
const open = storeForFile();
let s: StoreUnderTest;
let n = 0;

beforeAll(async () => {
  let now = Date.UTC(2025, 6, 1);
  s = await open({ clock: () => (now += 1000) });
  const { wh, shop, bulk, lot } = s.ids;
  for (let d = 0; d < 40; d++) {
    const head = () => ({ idempotencyKey: `stock-balance-${process.pid}-${++n}`, occurredAt: new Date(D0 + d * DAY + 3_600_000).toISOString() });
    await s.call('operations.receive', { ...head(), kind: 'inbound', siteId: wh, dutyPaid: false, lines: [{ productId: bulk, qty: 2_000, unitCost: 1_5000 }] });
    await s.call('operations.despatch', { ...head(), kind: 'outbound', siteId: wh, lines: [{ productId: bulk, qty: 700 }] });
    if (d % 5 === 0) {
      await s.call('operations.receive', {
        ...head(), kind: 'stock_receipt', siteId: shop, dutyPaid: false, lines: [{ productId: lot, qty: 12, unitCost: 8000, batch: { code: `B${d}`, expiry: '2027-01-01' } }],
      });
    }
  }
}, 120_000);
afterAll(() => s && closeVerified(s));

describe('stock balance report', () => {
  it('gives opening, in, out and closing per product and site, closing equal to stock at the end', async () => {
    const { wh, shop, bulk } = s.ids;
    await s.call('enquiry.rebuildSnapshots', {});
    const from = D0 + 10 * DAY;
    const to = D0 + 20 * DAY - 1;
    const r = await s.call('enquiry.stockBalance', { from, to });
    const rice = r.rows.find((x) => x.sku === 'RICE-1KG' && x.siteId === wh)!;
    expect(rice).toMatchObject({ opening: 10 * 1_300, qtyIn: 10 * 2_000, qtyOut: 10 * 700, closing: 20 * 1_300 });
    const claret = r.rows.find((x) => x.sku === 'CLARET-75')!;
    expect(claret).toMatchObject({ siteId: shop, opening: 24, qtyIn: 24, qtyOut: 0, closing: 48 });
    expect(r.movements).toBe(10 * 2 + 2);
    for (const row of r.rows) {
      const at = await s.call('enquiry.stockAt', { at: new Date(to).toISOString(), productId: row.productId, siteId: row.siteId, level: 'site' });
      expect(row.closing).toBe(at.rows[0]?.qty ?? 0);
    }
    expect(rice.closingValue).toBe(Math.round((rice.closing * rice.averageCost!) / 1000));
    const one = await s.call('enquiry.stockBalance', { from, to, productId: bulk, siteId: wh });
    expect(one.rows).toEqual([rice]);
  });
});
