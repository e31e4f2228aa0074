import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { companyUpdateSchema } from '../../shared/contract/company.schemas';
import { binCreateSchema, historySchema, productCreateSchema, productGroupCreateSchema, productGroupUpdateSchema, siteCreateSchema } from '../../shared/contract/masterdata.schemas';
import { supplierCodeAddSchema, supplierCreateSchema, supplierUpdateSchema } from '../../shared/contract/suppliers.schemas';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { createWorkerContext } from '../ledger/worker-context';
import { describeChanges, labelOf } from './history-format';
import { COMPANY_RECORD_ID } from '../../shared/company';
import { companyOps, type CompanyOps } from '../company/company.ops';
import { suppliersOps, type SuppliersOps } from '../suppliers/suppliers.ops';
import { masterDataOps, type MasterDataOps } from './masterdata.ops';
import { asUser } from '../../test/fixtures/caller';

describe('history in plain words', () => {
  const flour = { id: 7, sku: 'FLOUR-00', name: 'Flour', description: '', barcodes: [], unit: 'kg', scale: 3, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: 5000, active: true, hasMovements: true, onHand: 12_000 };

  it('names each changed field as the form does and shows values in the product’s unit and decimals', () => {
    const after = { ...flour, lowStockLevel: 10_000, active: false, tracking: 'LOT', barcodes: ['4006381333931', '036000291452'], onHand: 9_000 };
    expect(describeChanges('product', flour, after)).toEqual([
      { field: 'Barcodes', before: '(none)', after: '4006381333931, 036000291452' },
      { field: 'Tracking', before: 'Bulk', after: 'Lot / batch' },
      { field: 'Low-stock level', before: '5.000 kg', after: '10.000 kg' },
      { field: 'Status', before: 'Active', after: 'Inactive' },
    ]);
  });

  it('a save that changes nothing lists nothing; stock and movement facts are never shown as changes', () => {
    expect(describeChanges('product', flour, { ...flour, onHand: 1, hasMovements: false })).toEqual([]);
  });

  it('a created record lists the fields it was given, with nothing before', () => {
    const created = describeChanges('site', null, { id: 3, code: 'KIT', name: 'Main kitchen', kind: 'kitchen', allowNegative: false, active: true, binCount: 0, stockLines: 0 });
    expect(created).toEqual([
      { field: 'Code', before: '', after: 'KIT' },
      { field: 'Name', before: '', after: 'Main kitchen' },
      { field: 'Kind', before: '', after: 'Kitchen' },
      { field: 'Negative stock', before: '', after: 'Refused' },
      { field: 'Status', before: '', after: 'Active' },
    ]);
  });

  it('a field added later gets a readable label, and no value is shown as JSON', () => {
    expect(labelOf('countryOfOrigin')).toBe('Country of origin');
    const changes = describeChanges('product', { ...flour, shelfLifeDays: null, packSize: {} }, { ...flour, shelfLifeDays: 1200, packSize: { width: 'L', colour: 'red' } });
    expect(changes).toEqual([
      { field: 'Shelf life days', before: '(none)', after: '1,200' },
      { field: 'Pack size', before: '(none)', after: 'Width L, Colour red' },
    ]);
    for (const c of changes) expect(`${c.before}${c.after}`).not.toMatch(/[{}[\]"]/);
  });

  it('a group shows by its code, never its internal id; per-site settings by how many sites have them', () => {
    const changes = describeChanges('product', { ...flour, groupId: null, groupCode: null, sites: [] }, { ...flour, groupId: 4, groupCode: 'WINE', sites: [{ siteId: 2, lowStockLevel: 5, defaultBinId: 9 }] });
    expect(changes).toEqual([
      { field: 'Product group', before: '(none)', after: 'WINE' },
      { field: 'Per-site settings', before: '(none)', after: '1 site with their own settings' },
    ]);
  });
});

describe('history in plain words: suppliers, product groups, company', () => {
  it('a supplier’s fields read as the Suppliers form names them; its counts are never changes', () => {
    const acme = { id: 3, code: 'ACME', name: 'Acme', country: 'FR', inEc: false, contactName: '', email: '', phone: '', address: '', notes: '', active: true, receiptCount: 2, codeCount: 1 };
    expect(describeChanges('supplier', acme, { ...acme, country: 'IT', inEc: true, email: 'orders@acme.it', active: false, receiptCount: 5, codeCount: 3 })).toEqual([
      { field: 'Country', before: 'FR', after: 'IT' },
      { field: 'In the EC', before: 'No', after: 'Yes' },
      { field: 'Email', before: '(none)', after: 'orders@acme.it' },
      { field: 'Status', before: 'Active', after: 'Inactive' },
    ]);
  });

  it('a supplier code shows its code and product, not the copies of its supplier', () => {
    const c = { id: 9, code: 'X-100', supplierId: 3, supplierCode: 'ACME', supplierName: 'Acme', supplierActive: true, productId: 7, sku: 'FLOUR-00', productName: 'Flour' };
    expect(describeChanges('supplier-code', null, c)).toEqual([
      { field: "Supplier's code", before: '', after: 'X-100' },
      { field: 'Product', before: '', after: 'FLOUR-00' },
    ]);
    expect(describeChanges('supplier-code', c, null)).toEqual([
      { field: "Supplier's code", before: 'X-100', after: '' },
      { field: 'Product', before: 'FLOUR-00', after: '' },
    ]);
  });

  it('a product group and the company settings in plain words', () => {
    const g = { id: 2, code: 'BAKE', name: 'Bakery', postOnCosts: false, active: true, productCount: 4 };
    expect(describeChanges('product group', g, { ...g, name: 'Bakery goods', postOnCosts: true, productCount: 6 })).toEqual([
      { field: 'Name', before: 'Bakery', after: 'Bakery goods' },
      { field: 'On-costs to cost of sales', before: 'No', after: 'Yes' },
    ]);
    const co = { name: 'Hale Foods', currency: 'EUR', timeZone: 'Europe/Paris', locale: 'fr-FR', fyStartMonth: 1 };
    expect(describeChanges('company', co, { ...co, timeZone: 'Europe/Rome', locale: 'it-IT', fyStartMonth: 4 })).toEqual([
      { field: 'Business time zone', before: 'Europe/Paris', after: 'Europe/Rome' },
      { field: 'Numbers and dates', before: 'fr-FR', after: 'it-IT' },
      { field: 'Financial year starts in', before: 'January', after: 'April' },
    ]);
  });
});

describe('masterdata.history', () => {
  let f: Fixture;
  let md: MasterDataOps;
  let now = Date.UTC(2026, 0, 5, 9, 0);
  beforeEach(async () => {
    f = await openFixture();
    md = masterDataOps(createWorkerContext(f.ledger, () => undefined), () => (now += 60_000));
  });
  afterEach(async () => {
    expect(f.ledger.verify().ok).toBe(true);
    await f.cleanup();
  });

  it('a product’s History shows who and when, newest first, only its own entries', () => {
    const make = (sku: string) =>
      md['masterdata.productCreate'](productCreateSchema.parse({ sku, name: sku, unit: 'kg', scale: 3, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: 5000 }), asUser(f.ids.admin));
    const a = make('FLOUR-00');
    make('SUGAR-1');
    const { hasMovements: _h, onHand: _o, ...fields } = a;
    md['masterdata.productUpdate']({ ...fields, lowStockLevel: 10_000 }, asUser(f.ids.admin));
    const h = md['masterdata.history'](historySchema.parse({ record: 'product', id: a.id }));
    expect(h.map((e) => [e.kind, e.username, e.subject])).toEqual([
      ['changed', 'admin', 'Product FLOUR-00'],
      ['created', 'admin', 'Product FLOUR-00'],
    ]);
    expect(h[0]!.at).toBeGreaterThan(h[1]!.at);
    expect(h[0]!.changes).toEqual([{ field: 'Low-stock level', before: '5.000 kg', after: '10.000 kg' }]);
    expect(h[1]!.changes.map((c) => `${c.field}: ${c.after}`)).toContain('SKU: FLOUR-00');
  });

  it('a site’s History includes the changes to its bins, and not other sites’', () => {
    const kit = md['masterdata.siteCreate'](siteCreateSchema.parse({ code: 'KIT', name: 'Main kitchen', kind: 'kitchen', allowNegative: false }), asUser(f.ids.admin));
    const other = md['masterdata.siteCreate'](siteCreateSchema.parse({ code: 'BAR2', name: 'Bar two', kind: 'shop', allowNegative: false }), asUser(f.ids.admin));
    const shelf = md['masterdata.binCreate'](binCreateSchema.parse({ siteId: kit.id, code: 'S1', stockStatus: 'sellable' }), asUser(f.ids.admin));
    md['masterdata.binCreate'](binCreateSchema.parse({ siteId: other.id, code: 'X1', stockStatus: 'sellable' }), asUser(f.ids.admin));
    md['masterdata.binUpdate']({ id: shelf.id, code: 'S1', name: 'Shelf one', stockStatus: 'quarantine', active: true }, asUser(f.ids.admin));
    md['masterdata.siteUpdate']({ id: kit.id, code: 'KIT', name: 'Main kitchen', kind: 'kitchen', allowNegative: true, active: true }, asUser(f.ids.admin));
    const h = md['masterdata.history']({ record: 'site', id: kit.id });
    expect(h.map((e) => `${e.kind} ${e.subject}`)).toEqual(['changed Site Main kitchen', 'changed Bin Main kitchen S1', 'created Bin Main kitchen S1', 'created Site Main kitchen']);
    expect(h[0]!.changes).toEqual([{ field: 'Negative stock', before: 'Refused', after: 'Allowed' }]);
    expect(h[1]!.changes).toEqual([
      { field: 'Name', before: 'S1', after: 'Shelf one' },
      { field: 'Stock status', before: 'Sellable', after: 'Quarantine' },
    ]);
  });

  it('a record with no changes recorded has an empty History; an unknown record kind is refused by name', () => {
    expect(md['masterdata.history']({ record: 'product', id: f.ids.bulk })).toEqual([]);
    const r = historySchema.safeParse({ record: 'users', id: 1 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('The record must be a product, a site, a supplier, a product group or the company');
  });

  describe('suppliers, product groups and the company', () => {
    let sup: SuppliersOps;
    let co: CompanyOps;
    beforeEach(() => {
      const ctx = createWorkerContext(f.ledger, () => undefined);
      sup = suppliersOps(ctx, () => (now += 60_000));
      co = companyOps(ctx, () => (now += 60_000));
    });

    it('a supplier’s History holds its changes and its supplier codes’, and not another supplier’s', () => {
      const fields = { code: 'ACME', name: 'Acme', country: 'FR' };
      const acme = sup['suppliers.create'](supplierCreateSchema.parse(fields), asUser(f.ids.admin));
      const other = sup['suppliers.create'](supplierCreateSchema.parse({ code: 'BOLT', name: 'Bolt', country: 'DE' }), asUser(f.ids.admin));
      sup['suppliers.update'](supplierUpdateSchema.parse({ ...fields, id: acme.id, country: 'IT', active: true }), asUser(f.ids.admin));
      const code = sup['suppliers.codeAdd'](supplierCodeAddSchema.parse({ supplierId: acme.id, productId: f.ids.bulk, code: 'X-100' }), asUser(f.ids.admin));
      sup['suppliers.codeAdd'](supplierCodeAddSchema.parse({ supplierId: other.id, productId: f.ids.bulk, code: 'B-1' }), asUser(f.ids.admin));
      sup['suppliers.codeRemove']({ id: code.id }, asUser(f.ids.admin));
      const h = md['masterdata.history'](historySchema.parse({ record: 'supplier', id: acme.id }));
      expect(h.map((e) => `${e.kind} ${e.subject}`)).toEqual(['changed Supplier code ACME X-100', 'created Supplier code ACME X-100', 'changed Supplier ACME', 'created Supplier ACME']);
      expect(h[2]!.changes).toEqual([{ field: 'Country', before: 'FR', after: 'IT' }]);
      expect(h[0]!.changes).toContainEqual({ field: "Supplier's code", before: 'X-100', after: '' });
      expect(md['masterdata.history']({ record: 'supplier', id: other.id }).map((e) => e.subject)).toEqual(['Supplier code BOLT B-1', 'Supplier BOLT']);
    });

    it('a product group’s History holds its own changes only', () => {
      const bake = md['masterdata.groupCreate'](productGroupCreateSchema.parse({ code: 'BAKE', name: 'Bakery', postOnCosts: false }), asUser(f.ids.admin));
      md['masterdata.groupCreate'](productGroupCreateSchema.parse({ code: 'DRINK', name: 'Drinks', postOnCosts: false }), asUser(f.ids.admin));
      md['masterdata.groupUpdate'](productGroupUpdateSchema.parse({ id: bake.id, code: 'BAKE', name: 'Bakery', postOnCosts: true, active: true }), asUser(f.ids.admin));
      const h = md['masterdata.history'](historySchema.parse({ record: 'product group', id: bake.id }));
      expect(h.map((e) => `${e.kind} ${e.subject}`)).toEqual(['changed Product group BAKE', 'created Product group BAKE']);
      expect(h[0]!.changes).toEqual([{ field: 'On-costs to cost of sales', before: 'No', after: 'Yes' }]);
    });

    it('the company’s History holds each settings change', () => {
      const first = { name: 'Hale Foods', currency: 'EUR', timeZone: 'Europe/Paris', locale: 'fr-FR', fyStartMonth: 1 };
      co['company.update'](companyUpdateSchema.parse(first), asUser(f.ids.admin));
      co['company.update'](companyUpdateSchema.parse({ ...first, timeZone: 'Europe/Rome', fyStartMonth: 4 }), asUser(f.ids.admin));
      const h = md['masterdata.history'](historySchema.parse({ record: 'company', id: COMPANY_RECORD_ID }));
      expect(h.map((e) => `${e.kind} ${e.username} ${e.subject}`)).toEqual(['changed admin Company Hale Foods', 'created admin Company Hale Foods']);
      expect(h[0]!.changes).toEqual([
        { field: 'Business time zone', before: 'Europe/Paris', after: 'Europe/Rome' },
        { field: 'Financial year starts in', before: 'January', after: 'April' },
      ]);
    });
  });
});
