import { describe, expect, it } from 'vitest';
import { describeChanges, labelOf } from './history-format';

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
