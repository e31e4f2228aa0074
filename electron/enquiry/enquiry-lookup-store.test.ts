import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { EnquiryLookupStore } from './enquiry-lookup-store';

/** The enquiry's filter pickers over a real ledger: the fixture's users, bins and products, plus a few made here. */
let f: Fixture;
let lookups: EnquiryLookupStore;

beforeAll(async () => {
  f = await openFixture();
  const r = f.ledger.reference;
  r.addUser('clerk', 'Aaron Clerk', ['read:stock']);
  r.addBin(f.ids.shop, 'C-01');
  r.addProduct({ sku: 'PCT-50', name: 'Promo 50% off', stockType: 'Supplied' });
  r.addProduct({ sku: 'PCT_X', name: 'Underscore SKU', stockType: 'Supplied' });
  for (let i = 0; i < 35; i++) r.addProduct({ sku: `BULK-${String(i).padStart(2, '0')}`, name: `Bulk item ${i}`, stockType: 'Supplied' });
  lookups = new EnquiryLookupStore(f.ledger.db);
});
afterAll(() => f.cleanup());

describe('EnquiryLookupStore', () => {
  it('lists every user by display name and every bin by site and code', () => {
    const { users, bins } = lookups.lookups('');
    const names = users.map((u) => u.name);
    expect(names).toContain('Aaron Clerk');
    expect(names).toEqual([...names].sort());
    expect(bins.map((b) => [b.siteId, b.code])).toEqual(
      [[f.ids.wh, 'A-01'], [f.ids.wh, 'B-01'], [f.ids.shop, 'C-01']].sort((a, b) => (a[0] as number) - (b[0] as number) || String(a[1]).localeCompare(String(b[1]))),
    );
  });

  it('finds products by SKU prefix or a name fragment, at most 30, by SKU', () => {
    expect(lookups.lookups(' rice ').products.map((p) => p.sku)).toEqual(['RICE-1KG']);
    expect(lookups.lookups('Claret').products).toEqual([{ id: f.ids.lot, sku: 'CLARET-75', name: 'Claret 2019 75cl' }]);
    const bulk = lookups.lookups('BULK-').products.map((p) => p.sku);
    expect(bulk).toHaveLength(30);
    expect(bulk[0]).toBe('BULK-00');
    expect(bulk).toEqual([...bulk].sort());
  });

  it('reads % and _ in the search as themselves, not as wildcards', () => {
    expect(lookups.lookups('50%').products.map((p) => p.sku)).toEqual(['PCT-50']);
    expect(lookups.lookups('PCT_').products.map((p) => p.sku)).toEqual(['PCT_X']);
    expect(lookups.lookups('%').products.map((p) => p.sku)).toEqual(['PCT-50']);
  });
});
