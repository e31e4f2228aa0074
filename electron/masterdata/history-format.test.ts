import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { binCreateSchema, historySchema, productCreateSchema, siteCreateSchema } from '../../shared/contract/masterdata.schemas';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { createWorkerContext } from '../ledger/worker-context';
import { describeChanges, labelOf } from './history-format';
import { masterDataOps, type MasterDataOps } from './masterdata.ops';

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
      md.mdProductCreate(
        productCreateSchema.parse({ sku, name: sku, unit: 'kg', scale: 3, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: 5000 }),
        f.ids.admin,
      );
    const a = make('FLOUR-00');
    make('SUGAR-1');
    const { hasMovements: _h, onHand: _o, ...fields } = a;
    md.mdProductUpdate({ ...fields, lowStockLevel: 10_000 }, f.ids.admin);
    const h = md.mdHistory(historySchema.parse({ record: 'product', id: a.id }));
    expect(h.map((e) => [e.kind, e.username, e.subject])).toEqual([
      ['changed', 'admin', 'Product FLOUR-00'],
      ['created', 'admin', 'Product FLOUR-00'],
    ]);
    expect(h[0]!.at).toBeGreaterThan(h[1]!.at);
    expect(h[0]!.changes).toEqual([{ field: 'Low-stock level', before: '5.000 kg', after: '10.000 kg' }]);
    expect(h[1]!.changes.map((c) => `${c.field}: ${c.after}`)).toContain('SKU: FLOUR-00');
  });

  it('a site’s History includes the changes to its bins, and not other sites’', () => {
    const kit = md.mdSiteCreate(siteCreateSchema.parse({ code: 'KIT', name: 'Main kitchen', kind: 'kitchen', allowNegative: false }), f.ids.admin);
    const other = md.mdSiteCreate(siteCreateSchema.parse({ code: 'BAR2', name: 'Bar two', kind: 'shop', allowNegative: false }), f.ids.admin);
    const shelf = md.mdBinCreate(binCreateSchema.parse({ siteId: kit.id, code: 'S1', stockStatus: 'sellable' }), f.ids.admin);
    md.mdBinCreate(binCreateSchema.parse({ siteId: other.id, code: 'X1', stockStatus: 'sellable' }), f.ids.admin);
    md.mdBinUpdate({ id: shelf.id, code: 'S1', name: 'Shelf one', stockStatus: 'quarantine', active: true }, f.ids.admin);
    md.mdSiteUpdate({ id: kit.id, code: 'KIT', name: 'Main kitchen', kind: 'kitchen', allowNegative: true, active: true }, f.ids.admin);
    const h = md.mdHistory({ record: 'site', id: kit.id });
    expect(h.map((e) => `${e.kind} ${e.subject}`)).toEqual(['changed Site Main kitchen', 'changed Bin Main kitchen S1', 'created Bin Main kitchen S1', 'created Site Main kitchen']);
    expect(h[0]!.changes).toEqual([{ field: 'Negative stock', before: 'Refused', after: 'Allowed' }]);
    expect(h[1]!.changes).toEqual([
      { field: 'Name', before: 'S1', after: 'Shelf one' },
      { field: 'Stock status', before: 'Sellable', after: 'Quarantine' },
    ]);
  });

  it('a record with no changes recorded has an empty History; an unknown record kind is refused by name', () => {
    expect(md.mdHistory({ record: 'product', id: f.ids.bulk })).toEqual([]);
    const r = historySchema.safeParse({ record: 'users', id: 1 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('The record must be a product or a site');
  });
});
