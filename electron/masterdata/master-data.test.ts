import { describe, expect, it } from 'vitest';
import { methods, type MethodInput } from '../../shared/contract/methods';
import type { ProductRecord } from '../../shared/masterdata';
import { expectFieldRefusalOf } from '../../test/fixtures/refusal';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/** On the configured store (test/fixtures/store-under-test.ts): SQLite by default, PostgreSQL in `npm run test:unit:pg`. */
let s: StoreUnderTest;
let n = 0;
const key = () => `md-test-${process.pid}-${++n}`;

storePerTest((opened) => (s = opened));

/** A refusal: an AppError with the code, a message naming the record, the field to mark, and nothing written. */
const expectRefused = (fn: () => Promise<unknown>, code: string, field: string, pattern: RegExp) =>
  expectFieldRefusalOf(
    async () => [
      await Promise.all(['sites', 'bins', 'products', 'product_barcodes', 'audit_log'].map((t) => s.count(t))),
      JSON.stringify([await s.call('masterdata.sites', {}), await s.call('masterdata.products', { search: '', includeInactive: true, limit: 500, offset: 0 })]),
    ],
    fn, code, field, pattern,
  );

const site = (over: Partial<MethodInput<'masterdata.siteCreate'>> = {}): MethodInput<'masterdata.siteCreate'> => ({ code: 'KIT', name: 'Main kitchen', kind: 'kitchen', allowNegative: false, ...over });
const product = (over: Record<string, unknown> = {}) =>
  ({
    sku: 'FLOUR-00',
    name: 'Flour 00',
    unit: 'kg',
    scale: 3,
    stockType: 'Supplied',
    tracking: 'BULK',
    stockKeeping: true,
    lowStockLevel: null,
    barcodes: ['4006381333931'],
    ...over,
  }) as MethodInput<'masterdata.productCreate'>;
/** A listed product as the form sends it back for an update. */
const asUpdate = ({ hasMovements: _m, onHand: _o, groupCode: _g, variantLabel: _l, variantCount: _c, ...fields }: ProductRecord) =>
  fields as MethodInput<'masterdata.productUpdate'>;
const receive = (productId: number, siteId: number, binId: number | null, qty: number) =>
  s.call('operations.receive', { idempotencyKey: key(), kind: 'cash_purchase', siteId, dutyPaid: false, lines: [{ productId, qty, ...(binId === null ? {} : { binId }), unitCost: 10_000 }] });

const writeOff = (productId: number, qty: number) =>
  s.call('operations.writeOff', { idempotencyKey: key(), kind: 'clear', siteId: s.ids.wh, reason: 'obsolete', lines: [{ productId, qty, binId: s.ids.binA }] });

const writeOffAt = (siteId: number, productId: number, qty: number) =>
  s.call('operations.writeOff', { idempotencyKey: key(), kind: 'clear', siteId, reason: 'obsolete', lines: [{ productId, qty }] });

describe('permissions', () => {
  it('changing sites and bins needs manage:sites, products manage:products, and the administrator holds both', async () => {
    expect(methods['masterdata.siteCreate'].permission).toBe('manage:sites');
    expect(methods['masterdata.siteUpdate'].permission).toBe('manage:sites');
    expect(methods['masterdata.binCreate'].permission).toBe('manage:sites');
    expect(methods['masterdata.binUpdate'].permission).toBe('manage:sites');
    expect(methods['masterdata.productCreate'].permission).toBe('manage:products');
    expect(methods['masterdata.productUpdate'].permission).toBe('manage:products');
    const admin = (await s.call('users.list', {})).find((u) => u.username === 'admin')!;
    expect(admin.permissions).toEqual(expect.arrayContaining(['manage:sites', 'manage:products']));
  });
});

describe('sites and bins', () => {
  it('creates a kitchen with three bins of each stock status, audits them, resets the writer and tells open windows', async () => {
    const auditedBefore = (await s.rows<{ id: number }>("SELECT COALESCE(MAX(id), 0) AS id FROM audit_log"))[0]!.id;
    const k = await s.call('masterdata.siteCreate', site({ allowNegative: true }));
    expect(k).toMatchObject({ code: 'KIT', name: 'Main kitchen', kind: 'kitchen', allowNegative: true, active: true, binCount: 0, stockLines: 0 });
    for (const [code, stockStatus] of [['PASS', 'sellable'], ['DMG', 'defective'], ['HOLD', 'quarantine']] as const) {
      await s.call('masterdata.binCreate', { siteId: k.id, code, name: '', stockStatus, active: true });
    }
    expect((await s.call('masterdata.bins', { siteId: k.id })).map((b) => [b.code, b.name, b.stockStatus])).toEqual([['DMG', 'DMG', 'defective'], ['HOLD', 'HOLD', 'quarantine'], ['PASS', 'PASS', 'sellable']]);
    expect((await s.call('masterdata.sites', {})).find((x) => x.id === k.id)?.binCount).toBe(3);
    expect(s.events.filter((e) => e.event === 'stock.changed')).toHaveLength(4);
    // The fixture's own master data was audited too: only this test's changes are counted.
    const audit = await s.rows<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'master-data-changed' AND id > ? ORDER BY id", [auditedBefore]);
    expect(audit).toHaveLength(4);
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ record: 'site', label: 'Main kitchen', before: null, after: { code: 'KIT' } });
    // The writer sees the new site and bin at once: a receipt into it posts.
    const pass = (await s.call('masterdata.bins', { siteId: k.id })).find((b) => b.code === 'PASS')!;
    expect((await receive(s.ids.bulk, k.id, pass.id, 2500)).movementCount).toBe(1);
  });

  it('a changed site rule reaches the writer at once: allowing negative stock lets the next despatch through', async () => {
    const wh = (await s.call('masterdata.sites', {})).find((x) => x.id === s.ids.wh)!;
    const sell = () =>
      s.call('operations.writeOff', { idempotencyKey: key(), kind: 'clear', siteId: s.ids.wh, reason: 'obsolete', lines: [{ productId: s.ids.bulk, qty: 10, binId: s.ids.binA }] });
    await receive(s.ids.bulk, s.ids.wh, s.ids.binA, 5); // the writer now holds the site in its cache
    await s.call('masterdata.siteUpdate', { id: wh.id, code: wh.code, name: wh.name, kind: 'warehouse', allowNegative: true, active: true });
    expect((await sell()).movementCount).toBe(1);
  });

  it('the writer refuses movements at an inactive site or bin, and takes them again once reactivated', async () => {
    await s.call('masterdata.binUpdate', { id: s.ids.binB, code: 'B-01', name: 'B-01', stockStatus: 'sellable', active: false });
    await expect(receive(s.ids.bulk, s.ids.wh, s.ids.binB, 1)).rejects.toThrow(/bin B-01 at Central Warehouse is inactive/);
    const bar = (await s.call('masterdata.sites', {})).find((x) => x.id === s.ids.shop)!;
    await receive(s.ids.bulk, s.ids.shop, null, 1); // cached by the writer while active
    await writeOffAt(s.ids.shop, s.ids.bulk, 1);
    await s.call('masterdata.siteUpdate', { id: bar.id, code: bar.code, name: bar.name, kind: 'shop', allowNegative: false, active: false });
    await expect(receive(s.ids.bulk, s.ids.shop, null, 1)).rejects.toThrow(/Soho Bar is inactive/);
    await s.call('masterdata.siteUpdate', { id: bar.id, code: bar.code, name: bar.name, kind: 'shop', allowNegative: false, active: true });
    expect((await receive(s.ids.bulk, s.ids.shop, null, 1)).movementCount).toBe(1);
  });

  it('inactive bins and products are not offered by the Operations pickers', async () => {
    await s.call('masterdata.binUpdate', { id: s.ids.binB, code: 'B-01', name: 'B-01', stockStatus: 'sellable', active: false });
    expect((await s.call('operations.bins', { siteId: s.ids.wh })).map((b) => b.code)).toEqual(['A-01']);
    const rice = (await s.call('masterdata.products', { search: 'RICE-1KG', includeInactive: true, limit: 1, offset: 0 })).rows[0]!;
    await s.call('masterdata.productUpdate', { ...asUpdate(rice), active: false });
    expect(await s.call('operations.products', { search: 'RICE', limit: 10 })).toEqual([]);
    expect((await s.call('operations.products', { search: '', limit: 50 })).map((p) => p.sku)).not.toContain('RICE-1KG');
  });

  it('refuses a duplicate site code or name (any case), and a duplicate bin code in the same site', async () => {
    await s.call('masterdata.siteCreate', site());
    await expectRefused(() => s.call('masterdata.siteCreate', site({ code: 'kit', name: 'Pastry' })), 'CONFLICT', 'code', /Another site already has the code kit/);
    await expectRefused(() => s.call('masterdata.siteCreate', site({ code: 'KIT2', name: 'MAIN KITCHEN' })), 'CONFLICT', 'name', /already called MAIN KITCHEN/);
    await expectRefused(() => s.call('masterdata.binCreate', { siteId: s.ids.wh, code: 'a-01', name: '', stockStatus: 'sellable', active: true }), 'CONFLICT', 'code', /Central Warehouse already has a bin a-01/);
    // The same bin code at another site is fine.
    expect((await s.call('masterdata.binCreate', { siteId: s.ids.shop, code: 'A-01', name: 'Shelf', stockStatus: 'sellable', active: true })).code).toBe('A-01');
  });

  it('refuses any change to the External pseudo-site, and bins under it', async () => {
    const ext = (await s.call('masterdata.sites', {})).find((x) => x.kind === 'external')!;
    await expectRefused(() => s.call('masterdata.siteUpdate', { id: ext.id, code: 'EXTERNAL', name: 'Outside', kind: 'other', allowNegative: true, active: true }), 'CONFLICT', 'name', /External site .* cannot be changed/);
    await expectRefused(() => s.call('masterdata.binCreate', { siteId: ext.id, code: 'X', name: '', stockStatus: 'sellable', active: true }), 'CONFLICT', 'code', /External site has no bins/);
  });

  it('refuses to deactivate a site or bin that holds stock, and allows it once the stock is gone', async () => {
    await receive(s.ids.bulk, s.ids.wh, s.ids.binA, 1000);
    const wh = (await s.call('masterdata.sites', {})).find((x) => x.id === s.ids.wh)!;
    const input = { id: wh.id, code: wh.code, name: wh.name, kind: 'warehouse' as const, allowNegative: wh.allowNegative, active: false };
    await expectRefused(() => s.call('masterdata.siteUpdate', input), 'CONFLICT', 'active', /Site Central Warehouse still holds stock in 1 place/);
    await expectRefused(() => s.call('masterdata.binUpdate', { id: s.ids.binA, code: 'A-01', name: 'A-01', stockStatus: 'sellable', active: false }), 'CONFLICT', 'active', /Bin A-01 at Central Warehouse still holds stock/);
    // An empty bin at the same site may go; renaming a site with stock is fine.
    expect(await s.call('masterdata.binUpdate', { id: s.ids.binB, code: 'B-01', name: 'B-01', stockStatus: 'quarantine', active: false })).toMatchObject({ active: false, stockStatus: 'quarantine' });
    expect((await s.call('masterdata.siteUpdate', { ...input, name: 'Central Store', active: true })).name).toBe('Central Store');
    await writeOff(s.ids.bulk, 1000);
    expect((await s.call('masterdata.binUpdate', { id: s.ids.binA, code: 'A-01', name: 'A-01', stockStatus: 'sellable', active: false })).active).toBe(false);
    expect((await s.call('masterdata.siteUpdate', { ...input, active: false })).active).toBe(false);
  });
});

describe('products', () => {
  it('creates a product with barcodes, unit and 3 decimals, finds it by SKU, name or barcode, and the Receive picker sees it', async () => {
    const p = await s.call('masterdata.productCreate', product({ description: 'Tipo 00, 25 kg sacks', barcodes: ['4006381333931', '036000291452', '96385074', 'INT-77'], lowStockLevel: 5000 }));
    expect(p).toMatchObject({ sku: 'FLOUR-00', unit: 'kg', scale: 3, tracking: 'BULK', active: true, hasMovements: false, onHand: 0, lowStockLevel: 5000 });
    expect(p.barcodes).toEqual(['036000291452', '4006381333931', '96385074', 'INT-77']);
    for (const search of ['flour-00', 'Flour', '036000291452']) expect((await s.call('masterdata.products', { search, includeInactive: true, limit: 10, offset: 0 })).rows.map((r) => r.sku)).toEqual(['FLOUR-00']);
    expect((await s.call('operations.products', { search: '4006381333931', limit: 10 })).map((r) => r.sku)).toEqual(['FLOUR-00']);
    expect((await receive(p.id, s.ids.wh, s.ids.binA, 12_345)).movementCount).toBe(1);
    expect((await s.call('masterdata.products', { search: 'FLOUR', includeInactive: true, limit: 10, offset: 0 })).rows[0]).toMatchObject({ hasMovements: true, onHand: 12_345 });
  });

  it('refuses a duplicate SKU (any case)', async () => {
    await expectRefused(() => s.call('masterdata.productCreate', product({ sku: 'rice-1kg', barcodes: [] })), 'CONFLICT', 'sku', /Another product already has the SKU rice-1kg/);
  });

  it('refuses a barcode that belongs to another product, also in another GTIN form', async () => {
    await s.call('masterdata.productCreate', product({ barcodes: ['036000291452'] }));
    await expectRefused(() => s.call('masterdata.productCreate', product({ sku: 'FLOUR-2', barcodes: ['036000291452'] })), 'CONFLICT', 'barcodes', /Barcode 036000291452 already belongs to FLOUR-00/);
    await expectRefused(() => s.call('masterdata.productCreate', product({ sku: 'FLOUR-2', barcodes: ['0036000291452'] })), 'CONFLICT', 'barcodes', /Barcode 0036000291452 already belongs to FLOUR-00 \(as 036000291452\)/);
  });

  it('refuses a wrong check digit on EAN-13, EAN-8, UPC-A and GTIN-14, and a barcode listed twice', async () => {
    await expectRefused(() => s.call('masterdata.productCreate', product({ barcodes: ['4006381333932'] })), 'VALIDATION', 'barcodes', /4006381333932 of FLOUR-00 is not a valid EAN-13: its check digit should be 1, not 2/);
    await expectRefused(() => s.call('masterdata.productCreate', product({ barcodes: ['96385075'] })), 'VALIDATION', 'barcodes', /not a valid EAN-8: its check digit should be 4/);
    await expectRefused(() => s.call('masterdata.productCreate', product({ barcodes: ['036000291453'] })), 'VALIDATION', 'barcodes', /not a valid UPC-A: its check digit should be 2/);
    await expectRefused(() => s.call('masterdata.productCreate', product({ barcodes: ['10012345678903'] })), 'VALIDATION', 'barcodes', /not a valid GTIN-14: its check digit should be 2/);
    await expectRefused(() => s.call('masterdata.productCreate', product({ barcodes: ['INT-1', 'INT-1'] })), 'VALIDATION', 'barcodes', /Barcode INT-1 is listed twice for FLOUR-00/);
    await expectRefused(() => s.call('masterdata.productCreate', product({ barcodes: ['036000291452', '0036000291452'] })), 'VALIDATION', 'barcodes', /036000291452 and 0036000291452 of FLOUR-00 are the same GTIN/);
    // Digits of other lengths are house codes, not GTINs.
    expect((await s.call('masterdata.productCreate', product({ barcodes: ['12345'] }))).barcodes).toEqual(['12345']);
  });

  it('refuses decimals on a SERIAL product', async () => {
    await expectRefused(() => s.call('masterdata.productCreate', product({ tracking: 'SERIAL', scale: 2, barcodes: [] })), 'VALIDATION', 'scale', /counted in whole units: set decimals to 0/);
  });

  it('refuses a unit or decimals change once the product has movements, even with no stock left', async () => {
    const p = await s.call('masterdata.productCreate', product());
    // Before any movement the unit may still be corrected.
    const fixed = await s.call('masterdata.productUpdate', { ...asUpdate(p), unit: 'g', scale: 0 });
    expect(fixed).toMatchObject({ unit: 'g', scale: 0 });
    await receive(p.id, s.ids.wh, s.ids.binA, 500);
    await writeOff(p.id, 500);
    const used = (await s.call('masterdata.products', { search: 'FLOUR-00', includeInactive: true, limit: 1, offset: 0 })).rows[0]!;
    await expectRefused(() => s.call('masterdata.productUpdate', { ...asUpdate(used), unit: 'kg' }), 'CONFLICT', 'unit', /FLOUR-00 already has movements in g, so its unit cannot change/);
    await expectRefused(() => s.call('masterdata.productUpdate', { ...asUpdate(used), scale: 3 }), 'CONFLICT', 'scale', /already has movements recorded with 0 decimals/);
    // Name, barcodes and deactivation are fine on a used product.
    expect(await s.call('masterdata.productUpdate', { ...asUpdate(used), name: 'Flour 00 (old)', barcodes: [], active: false })).toMatchObject({ name: 'Flour 00 (old)', barcodes: [], active: false });
    expect((await s.call('masterdata.products', { search: 'FLOUR', includeInactive: false, limit: 10, offset: 0 })).total).toBe(0);
  });

  it('refuses a tracking or Recipe↔stocked change while the product holds stock, and allows it at zero', async () => {
    const p = await s.call('masterdata.productCreate', product({ unit: 'ea', scale: 0, barcodes: [] }));
    await receive(p.id, s.ids.wh, s.ids.binA, 4);
    const held = (await s.call('masterdata.products', { search: 'FLOUR-00', includeInactive: true, limit: 1, offset: 0 })).rows[0]!;
    await expectRefused(() => s.call('masterdata.productUpdate', { ...asUpdate(held), tracking: 'SERIAL' }), 'CONFLICT', 'tracking', /FLOUR-00 holds stock tracked as BULK, so its tracking cannot change to SERIAL/);
    await expectRefused(() => s.call('masterdata.productUpdate', { ...asUpdate(held), stockType: 'Recipe' }), 'CONFLICT', 'stockType', /FLOUR-00 holds stock, so it cannot change from Supplied to Recipe/);
    // Supplied → Made keeps it stocked: allowed under stock.
    expect((await s.call('masterdata.productUpdate', { ...asUpdate(held), stockType: 'Made' })).stockType).toBe('Made');
    await writeOff(p.id, 4);
    // Saved again from the version the Made save left (optimistic versioning: the one read before it is out of date).
    expect((await s.call('masterdata.productUpdate', { ...asUpdate(held), version: held.version + 1, stockType: 'Made', tracking: 'LOT' })).tracking).toBe('LOT');
  });
});
