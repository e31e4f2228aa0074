import { describe, expect, it } from 'vitest';
import { COMPANY_RECORD_ID } from '../../shared/company';
import { historySchema } from '../../shared/contract/masterdata.schemas';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/**
 * The History panes (`masterdata.history`) through the contract, on the configured store: SQLite by default,
 * PostgreSQL in `npm run test:unit:pg`. A minute passes between two changes (the ledger's clock).
 */
let s: StoreUnderTest;
let now = Date.UTC(2026, 0, 5, 9, 0);
storePerTest((opened) => (s = opened), { clock: () => (now += 60_000) });

const history = (record: 'product' | 'site' | 'supplier' | 'product group' | 'company', id: number) => s.call('masterdata.history', { record, id });

describe('masterdata.history', () => {
  it('a product’s History shows who and when, newest first, only its own entries', async () => {
    const make = (sku: string) => s.call('masterdata.productCreate', { sku, name: sku, unit: 'kg', scale: 3, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: 5000 });
    const a = await make('FLOUR-00');
    await make('SUGAR-1');
    const { hasMovements: _h, onHand: _o, groupCode: _g, variantCount: _c, variantLabel: _l, ...fields } = a;
    await s.call('masterdata.productUpdate', { ...fields, lowStockLevel: 10_000 });
    const h = await history('product', a.id);
    expect(h.map((e) => [e.kind, e.username, e.subject])).toEqual([
      ['changed', 'admin', 'Product FLOUR-00'],
      ['created', 'admin', 'Product FLOUR-00'],
    ]);
    expect(h[0]!.at).toBeGreaterThan(h[1]!.at);
    expect(h[0]!.changes).toEqual([{ field: 'Low-stock level', before: '5.000 kg', after: '10.000 kg' }]);
    expect(h[1]!.changes.map((c) => `${c.field}: ${c.after}`)).toContain('SKU: FLOUR-00');
  });

  it('a site’s History includes the changes to its bins, and not other sites’', async () => {
    const kit = await s.call('masterdata.siteCreate', { code: 'KIT', name: 'Main kitchen', kind: 'kitchen', allowNegative: false });
    const other = await s.call('masterdata.siteCreate', { code: 'BAR2', name: 'Bar two', kind: 'shop', allowNegative: false });
    const shelf = await s.call('masterdata.binCreate', { siteId: kit.id, code: 'S1', stockStatus: 'sellable' });
    await s.call('masterdata.binCreate', { siteId: other.id, code: 'X1', stockStatus: 'sellable' });
    await s.call('masterdata.binUpdate', { id: shelf.id, code: 'S1', name: 'Shelf one', stockStatus: 'quarantine', active: true });
    await s.call('masterdata.siteUpdate', { id: kit.id, code: 'KIT', name: 'Main kitchen', kind: 'kitchen', allowNegative: true, active: true });
    const h = await history('site', kit.id);
    expect(h.map((e) => `${e.kind} ${e.subject}`)).toEqual(['changed Site Main kitchen', 'changed Bin Main kitchen S1', 'created Bin Main kitchen S1', 'created Site Main kitchen']);
    expect(h[0]!.changes).toEqual([{ field: 'Negative stock', before: 'Refused', after: 'Allowed' }]);
    expect(h[1]!.changes).toEqual([
      { field: 'Name', before: 'S1', after: 'Shelf one' },
      { field: 'Stock status', before: 'Sellable', after: 'Quarantine' },
    ]);
  });

  it('a record with no changes recorded has an empty History; an unknown record kind is refused by name', async () => {
    expect(await history('site', s.ids.external)).toEqual([]); // made by the migrations, never changed by anyone
    const r = historySchema.safeParse({ record: 'users', id: 1 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('The record must be a product, a site, a supplier, a product group or the company');
  });

  it('a supplier’s History holds its changes and its supplier codes’, and not another supplier’s', async () => {
    const fields = { code: 'ACME', name: 'Acme', country: 'FR' };
    const acme = await s.call('suppliers.create', fields);
    const other = await s.call('suppliers.create', { code: 'BOLT', name: 'Bolt', country: 'DE' });
    await s.call('suppliers.update', { ...fields, id: acme.id, country: 'IT', active: true });
    const code = await s.call('suppliers.codeAdd', { supplierId: acme.id, productId: s.ids.bulk, code: 'X-100' });
    await s.call('suppliers.codeAdd', { supplierId: other.id, productId: s.ids.bulk, code: 'B-1' });
    await s.call('suppliers.codeRemove', { id: code.id });
    const h = await history('supplier', acme.id);
    expect(h.map((e) => `${e.kind} ${e.subject}`)).toEqual(['changed Supplier code ACME X-100', 'created Supplier code ACME X-100', 'changed Supplier ACME', 'created Supplier ACME']);
    expect(h[2]!.changes).toEqual([{ field: 'Country', before: 'FR', after: 'IT' }]);
    expect(h[0]!.changes).toContainEqual({ field: "Supplier's code", before: 'X-100', after: '' });
    expect((await history('supplier', other.id)).map((e) => e.subject)).toEqual(['Supplier code BOLT B-1', 'Supplier BOLT']);
  });

  it('a product group’s History holds its own changes only', async () => {
    const bake = await s.call('masterdata.groupCreate', { code: 'BAKE', name: 'Bakery', postOnCosts: false });
    await s.call('masterdata.groupCreate', { code: 'DRINK', name: 'Drinks', postOnCosts: false });
    await s.call('masterdata.groupUpdate', { id: bake.id, code: 'BAKE', name: 'Bakery', postOnCosts: true, active: true });
    const h = await history('product group', bake.id);
    expect(h.map((e) => `${e.kind} ${e.subject}`)).toEqual(['changed Product group BAKE', 'created Product group BAKE']);
    expect(h[0]!.changes).toEqual([{ field: 'On-costs to cost of sales', before: 'No', after: 'Yes' }]);
  });

  it('the company’s History holds each settings change', async () => {
    const first = { name: 'Hale Foods', currency: 'EUR', timeZone: 'Europe/Paris', locale: 'fr-FR', fyStartMonth: 1 };
    await s.call('company.update', first);
    await s.call('company.update', { ...first, timeZone: 'Europe/Rome', fyStartMonth: 4 });
    const h = await history('company', COMPANY_RECORD_ID);
    expect(h.map((e) => `${e.kind} ${e.username} ${e.subject}`)).toEqual(['changed admin Company Hale Foods', 'created admin Company Hale Foods']);
    expect(h[0]!.changes).toEqual([
      { field: 'Business time zone', before: 'Europe/Paris', after: 'Europe/Rome' },
      { field: 'Financial year starts in', before: 'January', after: 'April' },
    ]);
  });
});
