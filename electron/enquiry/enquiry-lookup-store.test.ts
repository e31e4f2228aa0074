import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeVerified, storeForFile, STORE_UNDER_TEST, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/**
 * The enquiry's filter pickers (enquiry.lookups) on the configured store (test/fixtures/store-under-test.ts): SQLite's
 * EnquiryLookupStore by default, PostgreSQL's PgLookupStore in `npm run test:unit:pg`. The fixture's users, bins and
 * products, plus a few made here through the contract.
 */
const open = storeForFile();
let s: StoreUnderTest;

beforeAll(async () => {
  s = await open();
  await s.call('users.create', { username: 'clerk', displayName: 'Aaron Clerk', permissions: ['read:stock'] });
  await s.call('masterdata.binCreate', { siteId: s.ids.shop, code: 'C-01', stockStatus: 'sellable' });
  const product = (sku: string, name: string) =>
    s.call('masterdata.productCreate', { sku, name, unit: 'each', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null, groupId: null });
  await product('PCT-50', 'Promo 50% off');
  await product('PCT_X', 'Underscore SKU');
  await product('ECLAIR-1', 'Éclair au café');
  for (let i = 0; i < 35; i++) await product(`BULK-${String(i).padStart(2, '0')}`, `Bulk item ${i}`);
});
afterAll(() => closeVerified(s));

const lookups = (search: string) => s.call('enquiry.lookups', { search });

describe(`enquiry.lookups (${STORE_UNDER_TEST})`, () => {
  it('lists every user by display name and every bin by site and code', async () => {
    const { users, bins } = await lookups('');
    const names = users.map((u) => u.name);
    expect(names).toContain('Aaron Clerk');
    expect(names).toEqual([...names].sort());
    expect(bins.map((b) => [b.siteId, b.code])).toEqual(
      [[s.ids.wh, 'A-01'], [s.ids.wh, 'B-01'], [s.ids.shop, 'C-01']].sort((a, b) => (a[0] as number) - (b[0] as number) || String(a[1]).localeCompare(String(b[1]))),
    );
  });

  it('finds products by SKU prefix or a name fragment, whatever the ASCII case, at most 30, by SKU', async () => {
    expect((await lookups(' rice ')).products.map((p) => p.sku)).toEqual(['RICE-1KG']);
    expect((await lookups('ARBORIO')).products.map((p) => p.sku)).toEqual(['RICE-1KG']);
    expect((await lookups('Claret')).products).toEqual([{ id: s.ids.lot, sku: 'CLARET-75', name: 'Claret 2019 75cl' }]);
    const bulk = (await lookups('bulk-')).products.map((p) => p.sku);
    expect(bulk).toHaveLength(30);
    expect(bulk[0]).toBe('BULK-00');
    expect(bulk).toEqual([...bulk].sort());
    // Letters beyond ASCII match as written only (SQLite's LIKE folds ASCII case alone; PostgreSQL is held to the same).
    expect((await lookups('Éclair')).products.map((p) => p.sku)).toEqual(['ECLAIR-1']);
    expect((await lookups('éclair')).products.map((p) => p.sku)).toEqual([]);
  });

  it('reads % and _ in the search as themselves, not as wildcards', async () => {
    expect((await lookups('50%')).products.map((p) => p.sku)).toEqual(['PCT-50']);
    expect((await lookups('PCT_')).products.map((p) => p.sku)).toEqual(['PCT_X']);
    expect((await lookups('%')).products.map((p) => p.sku)).toEqual(['PCT-50']);
    expect((await lookups('\\')).products).toEqual([]);
  });
});
