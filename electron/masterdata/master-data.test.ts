import { describe, expect, it } from 'vitest';
import { productCreateSchema, siteCreateSchema } from '../../shared/contract/masterdata.schemas';
import { methods } from '../../shared/contract/methods';
import type { ProductRecord } from '../../shared/masterdata';
import type { Fixture } from '../../test/fixtures/ledger';
import type { OperationsOps } from '../operations/operations.ops';
import type { MasterDataOps } from './masterdata.ops';
import { asUser } from '../../test/fixtures/caller';
import { expectFieldRefusal } from '../../test/fixtures/refusal';
import { masterOpsPerTest } from '../../test/fixtures/master-ops';

let f: Fixture;
let md: MasterDataOps;
let ops: OperationsOps;
let n = 0;
const events: { event: string; payload: unknown }[] = [];
const key = () => `md-test-${process.pid}-${++n}`;

masterOpsPerTest((o) => ({ f, md, ops } = o), events);

const count = (table: string) => (f.ledger.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
/** A refusal: an AppError with the code, a message naming the record, the field to mark, and nothing written. */
const expectRefused = (fn: () => unknown, code: string, field: string, pattern: RegExp) =>
  expectFieldRefusal(
    () => [['sites', 'bins', 'products', 'product_barcodes', 'audit_log'].map(count), JSON.stringify([md['masterdata.sites'](), md['masterdata.products']({ search: '', includeInactive: true, limit: 500, offset: 0 })])],
    fn, code, field, pattern,
  );

const site = (over: Partial<Parameters<MasterDataOps['masterdata.siteCreate']>[0]> = {}) =>
  siteCreateSchema.parse({ code: 'KIT', name: 'Main kitchen', kind: 'kitchen', allowNegative: false, ...over });
const product = (over: Record<string, unknown> = {}) =>
  productCreateSchema.parse({
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
  });
/** A listed product as the form sends it back for an update. */
const asUpdate = ({ hasMovements: _m, onHand: _o, groupCode: _g, variantLabel: _l, variantCount: _c, ...fields }: ProductRecord) =>
  fields as Parameters<MasterDataOps['masterdata.productUpdate']>[0];
const receive = (productId: number, siteId: number, binId: number | null, qty: number) =>
  ops['operations.receive']({ idempotencyKey: key(), kind: 'cash_purchase', siteId, dutyPaid: false, lines: [{ productId, qty, ...(binId === null ? {} : { binId }), unitCost: 10_000 }] }, asUser(f.ids.admin));

const writeOff = (productId: number, qty: number) =>
  ops['operations.writeOff']({ idempotencyKey: key(), kind: 'clear', siteId: f.ids.wh, reason: 'obsolete', lines: [{ productId, qty, binId: f.ids.binA }] }, asUser(f.ids.admin));

const writeOffAt = (siteId: number, productId: number, qty: number) =>
  ops['operations.writeOff']({ idempotencyKey: key(), kind: 'clear', siteId, reason: 'obsolete', lines: [{ productId, qty }] }, asUser(f.ids.admin));

describe('permissions', () => {
  it('changing sites and bins needs manage:sites, products manage:products, and the administrator holds both', () => {
    expect(methods['masterdata.siteCreate'].permission).toBe('manage:sites');
    expect(methods['masterdata.siteUpdate'].permission).toBe('manage:sites');
    expect(methods['masterdata.binCreate'].permission).toBe('manage:sites');
    expect(methods['masterdata.binUpdate'].permission).toBe('manage:sites');
    expect(methods['masterdata.productCreate'].permission).toBe('manage:products');
    expect(methods['masterdata.productUpdate'].permission).toBe('manage:products');
    const admin = f.ledger.db.prepare("SELECT permissions FROM users WHERE username = 'admin'").get() as { permissions: string };
    expect(JSON.parse(admin.permissions)).toEqual(expect.arrayContaining(['manage:sites', 'manage:products']));
  });
});

describe('sites and bins', () => {
  it('creates a kitchen with three bins of each stock status, audits them, resets the writer and tells open windows', () => {
    const k = md['masterdata.siteCreate'](site({ allowNegative: true }), asUser(f.ids.admin));
    expect(k).toMatchObject({ code: 'KIT', name: 'Main kitchen', kind: 'kitchen', allowNegative: true, active: true, binCount: 0, stockLines: 0 });
    for (const [code, stockStatus] of [['PASS', 'sellable'], ['DMG', 'defective'], ['HOLD', 'quarantine']] as const) {
      md['masterdata.binCreate']({ siteId: k.id, code, name: '', stockStatus, active: true }, asUser(f.ids.admin));
    }
    expect(md['masterdata.bins']({ siteId: k.id }).map((b) => [b.code, b.name, b.stockStatus])).toEqual([['DMG', 'DMG', 'defective'], ['HOLD', 'HOLD', 'quarantine'], ['PASS', 'PASS', 'sellable']]);
    expect(md['masterdata.sites']().find((s) => s.id === k.id)?.binCount).toBe(3);
    expect(events.filter((e) => e.event === 'stock.changed')).toHaveLength(4);
    const audit = f.ledger.db.prepare("SELECT detail FROM audit_log WHERE action = 'master-data-changed' ORDER BY id").all() as { detail: string }[];
    expect(audit).toHaveLength(4);
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ record: 'site', label: 'Main kitchen', before: null, after: { code: 'KIT' } });
    // The writer sees the new site and bin at once: a receipt into it posts.
    const pass = md['masterdata.bins']({ siteId: k.id }).find((b) => b.code === 'PASS')!;
    expect(receive(f.ids.bulk, k.id, pass.id, 2500).movementCount).toBe(1);
  });

  it('a changed site rule reaches the writer at once: allowing negative stock lets the next despatch through', () => {
    const wh = md['masterdata.sites']().find((s) => s.id === f.ids.wh)!;
    const sell = () =>
      ops['operations.writeOff']({ idempotencyKey: key(), kind: 'clear', siteId: f.ids.wh, reason: 'obsolete', lines: [{ productId: f.ids.bulk, qty: 10, binId: f.ids.binA }] }, asUser(f.ids.admin));
    receive(f.ids.bulk, f.ids.wh, f.ids.binA, 5); // the writer now holds the site in its cache
    md['masterdata.siteUpdate']({ id: wh.id, code: wh.code, name: wh.name, kind: 'warehouse', allowNegative: true, active: true }, asUser(f.ids.admin));
    expect(sell().movementCount).toBe(1);
  });

  it('the writer refuses movements at an inactive site or bin, and takes them again once reactivated', () => {
    md['masterdata.binUpdate']({ id: f.ids.binB, code: 'B-01', name: 'B-01', stockStatus: 'sellable', active: false }, asUser(f.ids.admin));
    expect(() => receive(f.ids.bulk, f.ids.wh, f.ids.binB, 1)).toThrow(/bin B-01 at Central Warehouse is inactive/);
    const bar = md['masterdata.sites']().find((s) => s.id === f.ids.shop)!;
    receive(f.ids.bulk, f.ids.shop, null, 1); // cached by the writer while active
    writeOffAt(f.ids.shop, f.ids.bulk, 1);
    md['masterdata.siteUpdate']({ id: bar.id, code: bar.code, name: bar.name, kind: 'shop', allowNegative: false, active: false }, asUser(f.ids.admin));
    expect(() => receive(f.ids.bulk, f.ids.shop, null, 1)).toThrow(/Soho Bar is inactive/);
    md['masterdata.siteUpdate']({ id: bar.id, code: bar.code, name: bar.name, kind: 'shop', allowNegative: false, active: true }, asUser(f.ids.admin));
    expect(receive(f.ids.bulk, f.ids.shop, null, 1).movementCount).toBe(1);
  });

  it('inactive bins and products are not offered by the Operations pickers', () => {
    md['masterdata.binUpdate']({ id: f.ids.binB, code: 'B-01', name: 'B-01', stockStatus: 'sellable', active: false }, asUser(f.ids.admin));
    expect(ops['operations.bins']({ siteId: f.ids.wh }).map((b) => b.code)).toEqual(['A-01']);
    const rice = md['masterdata.products']({ search: 'RICE-1KG', includeInactive: true, limit: 1, offset: 0 }).rows[0]!;
    md['masterdata.productUpdate']({ ...asUpdate(rice), active: false }, asUser(f.ids.admin));
    expect(ops['operations.products']({ search: 'RICE', limit: 10 })).toEqual([]);
    expect(ops['operations.products']({ search: '', limit: 50 }).map((p) => p.sku)).not.toContain('RICE-1KG');
  });

  it('refuses a duplicate site code or name (any case), and a duplicate bin code in the same site', () => {
    md['masterdata.siteCreate'](site(), asUser(f.ids.admin));
    expectRefused(() => md['masterdata.siteCreate'](site({ code: 'kit', name: 'Pastry' }), asUser(f.ids.admin)), 'CONFLICT', 'code', /Another site already has the code kit/);
    expectRefused(() => md['masterdata.siteCreate'](site({ code: 'KIT2', name: 'MAIN KITCHEN' }), asUser(f.ids.admin)), 'CONFLICT', 'name', /already called MAIN KITCHEN/);
    expectRefused(() => md['masterdata.binCreate']({ siteId: f.ids.wh, code: 'a-01', name: '', stockStatus: 'sellable', active: true }, asUser(f.ids.admin)), 'CONFLICT', 'code', /Central Warehouse already has a bin a-01/);
    // The same bin code at another site is fine.
    expect(md['masterdata.binCreate']({ siteId: f.ids.shop, code: 'A-01', name: 'Shelf', stockStatus: 'sellable', active: true }, asUser(f.ids.admin)).code).toBe('A-01');
  });

  it('refuses any change to the External pseudo-site, and bins under it', () => {
    const ext = md['masterdata.sites']().find((s) => s.kind === 'external')!;
    expectRefused(() => md['masterdata.siteUpdate']({ id: ext.id, code: 'EXTERNAL', name: 'Outside', kind: 'other', allowNegative: true, active: true }, asUser(f.ids.admin)), 'CONFLICT', 'name', /External site .* cannot be changed/);
    expectRefused(() => md['masterdata.binCreate']({ siteId: ext.id, code: 'X', name: '', stockStatus: 'sellable', active: true }, asUser(f.ids.admin)), 'CONFLICT', 'code', /External site has no bins/);
  });

  it('refuses to deactivate a site or bin that holds stock, and allows it once the stock is gone', () => {
    receive(f.ids.bulk, f.ids.wh, f.ids.binA, 1000);
    const wh = md['masterdata.sites']().find((s) => s.id === f.ids.wh)!;
    const input = { id: wh.id, code: wh.code, name: wh.name, kind: 'warehouse' as const, allowNegative: wh.allowNegative, active: false };
    expectRefused(() => md['masterdata.siteUpdate'](input, asUser(f.ids.admin)), 'CONFLICT', 'active', /Site Central Warehouse still holds stock in 1 place/);
    expectRefused(() => md['masterdata.binUpdate']({ id: f.ids.binA, code: 'A-01', name: 'A-01', stockStatus: 'sellable', active: false }, asUser(f.ids.admin)), 'CONFLICT', 'active', /Bin A-01 at Central Warehouse still holds stock/);
    // An empty bin at the same site may go; renaming a site with stock is fine.
    expect(md['masterdata.binUpdate']({ id: f.ids.binB, code: 'B-01', name: 'B-01', stockStatus: 'quarantine', active: false }, asUser(f.ids.admin))).toMatchObject({ active: false, stockStatus: 'quarantine' });
    expect(md['masterdata.siteUpdate']({ ...input, name: 'Central Store', active: true }, asUser(f.ids.admin)).name).toBe('Central Store');
    writeOff(f.ids.bulk, 1000);
    expect(md['masterdata.binUpdate']({ id: f.ids.binA, code: 'A-01', name: 'A-01', stockStatus: 'sellable', active: false }, asUser(f.ids.admin)).active).toBe(false);
    expect(md['masterdata.siteUpdate']({ ...input, active: false }, asUser(f.ids.admin)).active).toBe(false);
  });
});

describe('products', () => {
  it('creates a product with barcodes, unit and 3 decimals, finds it by SKU, name or barcode, and the Receive picker sees it', () => {
    const p = md['masterdata.productCreate'](product({ description: 'Tipo 00, 25 kg sacks', barcodes: ['4006381333931', '036000291452', '96385074', 'INT-77'], lowStockLevel: 5000 }), asUser(f.ids.admin));
    expect(p).toMatchObject({ sku: 'FLOUR-00', unit: 'kg', scale: 3, tracking: 'BULK', active: true, hasMovements: false, onHand: 0, lowStockLevel: 5000 });
    expect(p.barcodes).toEqual(['036000291452', '4006381333931', '96385074', 'INT-77']);
    for (const search of ['flour-00', 'Flour', '036000291452']) expect(md['masterdata.products']({ search, includeInactive: true, limit: 10, offset: 0 }).rows.map((r) => r.sku)).toEqual(['FLOUR-00']);
    expect(ops['operations.products']({ search: '4006381333931', limit: 10 }).map((r) => r.sku)).toEqual(['FLOUR-00']);
    expect(receive(p.id, f.ids.wh, f.ids.binA, 12_345).movementCount).toBe(1);
    expect(md['masterdata.products']({ search: 'FLOUR', includeInactive: true, limit: 10, offset: 0 }).rows[0]).toMatchObject({ hasMovements: true, onHand: 12_345 });
  });

  it('refuses a duplicate SKU (any case)', () => {
    expectRefused(() => md['masterdata.productCreate'](product({ sku: 'rice-1kg', barcodes: [] }), asUser(f.ids.admin)), 'CONFLICT', 'sku', /Another product already has the SKU rice-1kg/);
  });

  it('refuses a barcode that belongs to another product, also in another GTIN form', () => {
    md['masterdata.productCreate'](product({ barcodes: ['036000291452'] }), asUser(f.ids.admin));
    expectRefused(() => md['masterdata.productCreate'](product({ sku: 'FLOUR-2', barcodes: ['036000291452'] }), asUser(f.ids.admin)), 'CONFLICT', 'barcodes', /Barcode 036000291452 already belongs to FLOUR-00/);
    expectRefused(() => md['masterdata.productCreate'](product({ sku: 'FLOUR-2', barcodes: ['0036000291452'] }), asUser(f.ids.admin)), 'CONFLICT', 'barcodes', /Barcode 0036000291452 already belongs to FLOUR-00 \(as 036000291452\)/);
  });

  it('refuses a wrong check digit on EAN-13, EAN-8, UPC-A and GTIN-14, and a barcode listed twice', () => {
    expectRefused(() => md['masterdata.productCreate'](product({ barcodes: ['4006381333932'] }), asUser(f.ids.admin)), 'VALIDATION', 'barcodes', /4006381333932 of FLOUR-00 is not a valid EAN-13: its check digit should be 1, not 2/);
    expectRefused(() => md['masterdata.productCreate'](product({ barcodes: ['96385075'] }), asUser(f.ids.admin)), 'VALIDATION', 'barcodes', /not a valid EAN-8: its check digit should be 4/);
    expectRefused(() => md['masterdata.productCreate'](product({ barcodes: ['036000291453'] }), asUser(f.ids.admin)), 'VALIDATION', 'barcodes', /not a valid UPC-A: its check digit should be 2/);
    expectRefused(() => md['masterdata.productCreate'](product({ barcodes: ['10012345678903'] }), asUser(f.ids.admin)), 'VALIDATION', 'barcodes', /not a valid GTIN-14: its check digit should be 2/);
    expectRefused(() => md['masterdata.productCreate'](product({ barcodes: ['INT-1', 'INT-1'] }), asUser(f.ids.admin)), 'VALIDATION', 'barcodes', /Barcode INT-1 is listed twice for FLOUR-00/);
    expectRefused(() => md['masterdata.productCreate'](product({ barcodes: ['036000291452', '0036000291452'] }), asUser(f.ids.admin)), 'VALIDATION', 'barcodes', /036000291452 and 0036000291452 of FLOUR-00 are the same GTIN/);
    // Digits of other lengths are house codes, not GTINs.
    expect(md['masterdata.productCreate'](product({ barcodes: ['12345'] }), asUser(f.ids.admin)).barcodes).toEqual(['12345']);
  });

  it('refuses decimals on a SERIAL product', () => {
    expectRefused(() => md['masterdata.productCreate'](product({ tracking: 'SERIAL', scale: 2, barcodes: [] }), asUser(f.ids.admin)), 'VALIDATION', 'scale', /counted in whole units: set decimals to 0/);
  });

  it('refuses a unit or decimals change once the product has movements, even with no stock left', () => {
    const p = md['masterdata.productCreate'](product(), asUser(f.ids.admin));
    // Before any movement the unit may still be corrected.
    const fixed = md['masterdata.productUpdate']({ ...asUpdate(p), unit: 'g', scale: 0 }, asUser(f.ids.admin));
    expect(fixed).toMatchObject({ unit: 'g', scale: 0 });
    receive(p.id, f.ids.wh, f.ids.binA, 500);
    writeOff(p.id, 500);
    const used = md['masterdata.products']({ search: 'FLOUR-00', includeInactive: true, limit: 1, offset: 0 }).rows[0]!;
    expectRefused(() => md['masterdata.productUpdate']({ ...asUpdate(used), unit: 'kg' }, asUser(f.ids.admin)), 'CONFLICT', 'unit', /FLOUR-00 already has movements in g, so its unit cannot change/);
    expectRefused(() => md['masterdata.productUpdate']({ ...asUpdate(used), scale: 3 }, asUser(f.ids.admin)), 'CONFLICT', 'scale', /already has movements recorded with 0 decimals/);
    // Name, barcodes and deactivation are fine on a used product.
    expect(md['masterdata.productUpdate']({ ...asUpdate(used), name: 'Flour 00 (old)', barcodes: [], active: false }, asUser(f.ids.admin))).toMatchObject({ name: 'Flour 00 (old)', barcodes: [], active: false });
    expect(md['masterdata.products']({ search: 'FLOUR', includeInactive: false, limit: 10, offset: 0 }).total).toBe(0);
  });

  it('refuses a tracking or Recipe↔stocked change while the product holds stock, and allows it at zero', () => {
    const p = md['masterdata.productCreate'](product({ unit: 'ea', scale: 0, barcodes: [] }), asUser(f.ids.admin));
    receive(p.id, f.ids.wh, f.ids.binA, 4);
    const held = md['masterdata.products']({ search: 'FLOUR-00', includeInactive: true, limit: 1, offset: 0 }).rows[0]!;
    expectRefused(() => md['masterdata.productUpdate']({ ...asUpdate(held), tracking: 'SERIAL' }, asUser(f.ids.admin)), 'CONFLICT', 'tracking', /FLOUR-00 holds stock tracked as BULK, so its tracking cannot change to SERIAL/);
    expectRefused(() => md['masterdata.productUpdate']({ ...asUpdate(held), stockType: 'Recipe' }, asUser(f.ids.admin)), 'CONFLICT', 'stockType', /FLOUR-00 holds stock, so it cannot change from Supplied to Recipe/);
    // Supplied → Made keeps it stocked: allowed under stock.
    expect(md['masterdata.productUpdate']({ ...asUpdate(held), stockType: 'Made' }, asUser(f.ids.admin)).stockType).toBe('Made');
    writeOff(p.id, 4);
    // Saved again from the version the Made save left (optimistic versioning: the one read before it is out of date).
    expect(md['masterdata.productUpdate']({ ...asUpdate(held), version: held.version + 1, stockType: 'Made', tracking: 'LOT' }, asUser(f.ids.admin)).tracking).toBe('LOT');
  });
});
