import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { binCreateSchema, productCreateSchema, productGroupCreateSchema, siteCreateSchema } from '../../shared/contract/masterdata.schemas';
import type { PostDocumentInput } from '../../shared/contract/schemas';
import type { ProductRecord } from '../../shared/masterdata';
import { openPgSide, openSqliteSide, type MasterSide } from '../../test/fixtures/master-sides';
import type { CoreVerifyReport } from '../ledger/ledger-core';
import { startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';
import { masterDataOn, sqliteMasterData, type AsyncMasterData } from './master-data';

/**
 * master-data.test.ts's rules, on both stores: the same MasterRules run synchronously on a SQLite file (as the ledger
 * worker runs them) and asynchronously on a throw-away PostgreSQL, with the same refusals, audit entries and versions.
 */
type Side = MasterSide & {
  /** The changes as the app makes them on this store. */
  md: AsyncMasterData;
  /** The details of the master-data audit entries, oldest first. */
  audits(): Promise<Record<string, unknown>[]>;
};

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster();
});
afterAll(() => cluster?.stop());

const audits = (s: MasterSide) => async () =>
  (await s.rows<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'master-data-changed' ORDER BY id")).map((r) => JSON.parse(r.detail) as Record<string, unknown>);
const STORES: { name: string; open: () => Promise<Side> }[] = [
  {
    name: 'SQLite',
    open: async () => {
      const s = await openSqliteSide();
      const sync = sqliteMasterData(s.store);
      const md = Object.fromEntries(Object.entries(sync).map(([name, change]) => [name, async (...a: unknown[]) => (change as (...x: unknown[]) => unknown)(...a)])) as AsyncMasterData;
      return { ...s, md, audits: audits(s) };
    },
  },
  {
    name: 'PostgreSQL',
    open: async () => {
      const s = await openPgSide(cluster);
      return { ...s, md: masterDataOn(s.records), audits: audits(s) };
    },
  },
];

const ADMIN = 2;
const site = (over: Record<string, unknown> = {}) => siteCreateSchema.parse({ code: 'KIT', name: 'Main kitchen', kind: 'kitchen', allowNegative: false, ...over });
const bin = (siteId: number, code: string, over: Record<string, unknown> = {}) => binCreateSchema.parse({ siteId, code, stockStatus: 'sellable', ...over });
const product = (over: Record<string, unknown> = {}) =>
  productCreateSchema.parse({ sku: 'FLOUR-00', name: 'Flour 00', unit: 'kg', scale: 3, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null, barcodes: ['4006381333931'], ...over });
/** A product as the form sends it back for an update. */
const asUpdate = ({ hasMovements: _m, onHand: _o, groupCode: _g, variantLabel: _l, variantCount: _c, ...fields }: ProductRecord) => fields;
const TABLES = ['sites', 'bins', 'products', 'product_barcodes', 'product_sites', 'audit_log'];

describe.each(STORES)('master-data rules on $name', ({ open }) => {
  let s: Side;
  let ids: { wh: number; shop: number; external: number; binA: number; binB: number; rice: number };
  let keys = 0;
  beforeEach(async () => {
    s = await open();
    const wh = await s.md.createSite(site({ code: 'WH', name: 'Central Warehouse', kind: 'warehouse' }), ADMIN);
    const shop = await s.md.createSite(site({ code: 'BAR', name: 'Soho Bar', kind: 'shop' }), ADMIN);
    const binA = await s.md.createBin(bin(wh.id, 'A-01'), ADMIN);
    const binB = await s.md.createBin(bin(wh.id, 'B-01'), ADMIN);
    const rice = await s.md.createProduct(product({ sku: 'RICE-1KG', name: 'Rice 1 kg', unit: 'ea', scale: 0, barcodes: [] }), ADMIN);
    const external = (await s.records.sites()).find((x) => x.kind === 'external')!.id;
    ids = { wh: wh.id, shop: shop.id, external, binA: binA.id, binB: binB.id, rice: rice.id };
  });
  afterEach(async () => {
    if (s) {
      const report: CoreVerifyReport = await s.core.verify();
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      expect(report.checks.map((c) => c.name)).toContain('audit-chain');
    }
    await s?.close();
  });

  const post = async (type: PostDocumentInput['type'], line: PostDocumentInput['lines'][number]) => {
    s.changed();
    return s.core.post({ idempotencyKey: `mdr-${process.pid}-${++keys}`, type, lines: [line] }, ADMIN);
  };
  const receive = (productId: number, siteId: number, binId: number | null, qty: number) =>
    post('receipt', { productId, siteId, type: 'inbound', qty, unitCost: 10_000, ...(binId === null ? {} : { binId }) });
  const sell = (productId: number, siteId: number, binId: number | null, qty: number) => post('despatch', { productId, siteId, type: 'sale', qty: -qty, ...(binId === null ? {} : { binId }) });
  const all = async () => JSON.stringify([await s.records.sites(), await Promise.all((await s.records.sites()).map((x) => s.records.bins(x.id)))]);

  /** A refusal: an AppError with the code, a message naming the record, the field to mark, and nothing written. */
  async function expectRefused(change: () => Promise<unknown>, code: string, field: string, pattern: RegExp, productId?: number) {
    const counts = async () => Promise.all(TABLES.map((t) => s.count(t)));
    const before = [await counts(), await all(), productId === undefined ? null : await s.records.product(productId)];
    const error = await change().then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    expect((error as AppError).message).toMatch(pattern);
    expect((error as AppError).details).toEqual({ field });
    expect([await counts(), await all(), productId === undefined ? null : await s.records.product(productId)]).toEqual(before);
  }

  it('creates a kitchen with three bins of each stock status and audits each change, record before and after', async () => {
    const before = (await s.audits()).length;
    const k = await s.md.createSite(site({ allowNegative: true }), ADMIN);
    expect(k).toMatchObject({ code: 'KIT', name: 'Main kitchen', kind: 'kitchen', allowNegative: true, active: true, binCount: 0, stockLines: 0, version: 1 });
    for (const [code, stockStatus] of [['PASS', 'sellable'], ['DMG', 'defective'], ['HOLD', 'quarantine']] as const) await s.md.createBin(bin(k.id, code, { stockStatus }), ADMIN);
    expect((await s.records.bins(k.id)).map((b) => [b.code, b.name, b.stockStatus])).toEqual([['DMG', 'DMG', 'defective'], ['HOLD', 'HOLD', 'quarantine'], ['PASS', 'PASS', 'sellable']]);
    expect((await s.records.site(k.id))!.binCount).toBe(3);
    const audits = (await s.audits()).slice(before);
    expect(audits).toHaveLength(4);
    expect(audits[0]).toMatchObject({ record: 'site', id: k.id, label: 'Main kitchen', before: null, after: { code: 'KIT' } });
    expect(audits[3]).toMatchObject({ record: 'bin', label: 'Main kitchen HOLD', before: null, after: { code: 'HOLD', stockStatus: 'quarantine' } });
    // The new site and bin take stock at once.
    const pass = (await s.records.bins(k.id)).find((b) => b.code === 'PASS')!;
    expect((await receive(ids.rice, k.id, pass.id, 25)).movementCount).toBe(1);
  });

  it('refuses a duplicate site code or name (any case), and a duplicate bin code in the same site', async () => {
    await s.md.createSite(site(), ADMIN);
    await expectRefused(() => s.md.createSite(site({ code: 'kit', name: 'Pastry' }), ADMIN), 'CONFLICT', 'code', /Another site already has the code kit/);
    await expectRefused(() => s.md.createSite(site({ code: 'KIT2', name: 'MAIN KITCHEN' }), ADMIN), 'CONFLICT', 'name', /already called MAIN KITCHEN/);
    await expectRefused(() => s.md.createBin(bin(ids.wh, 'a-01'), ADMIN), 'CONFLICT', 'code', /Central Warehouse already has a bin a-01/);
    // The same bin code at another site is fine.
    expect((await s.md.createBin(bin(ids.shop, 'A-01', { name: 'Shelf' }), ADMIN)).code).toBe('A-01');
  });

  it('a group name another save wrote after the rules found it free (any case) is refused by the key in plain words; so is a direct insert', async () => {
    const clothing = await s.md.createGroup(productGroupCreateSchema.parse({ code: 'CLOTH', name: 'Clothing', postOnCosts: false, active: true }), ADMIN);
    const shoes = await s.md.createGroup(productGroupCreateSchema.parse({ code: 'SHOES', name: 'Shoes', postOnCosts: false, active: true }), ADMIN);
    const groups = async () => s.rows<{ code: string; name: string }>('SELECT code, name FROM product_groups ORDER BY id');
    const before = await groups();
    // The rules' check is past (a catalog import checks its file first; on PostgreSQL another server saves meanwhile):
    // the store's write itself meets the key, and says what the rules would have said.
    const refusal = /^Another product group is already called CLOTHING\. Choose a different name\.$/;
    const row = { code: 'SHIRTS', name: 'CLOTHING', postOnCosts: false, active: true };
    await expectRefused(() => s.records.insertGroup(row), 'CONFLICT', 'name', refusal);
    await expectRefused(() => s.records.updateGroup(shoes.id, { ...row, code: 'SHOES' }), 'CONFLICT', 'name', refusal);
    await expect(s.rows("INSERT INTO product_groups (code, name, post_on_costs, active) VALUES ('X', 'clothing', false, true) RETURNING id")).rejects.toThrow(/unique/i);
    expect(await groups()).toEqual(before);
    expect(clothing.name).toBe('Clothing');
  });

  it('refuses any change to the External pseudo-site, and bins under it', async () => {
    await expectRefused(() => s.md.updateSite({ id: ids.external, code: 'EXTERNAL', name: 'Outside', kind: 'other', allowNegative: true, active: true }, ADMIN), 'CONFLICT', 'name', /External site .* cannot be changed/);
    await expectRefused(() => s.md.createBin(bin(ids.external, 'X'), ADMIN), 'CONFLICT', 'code', /External site has no bins/);
  });

  it('refuses to deactivate a site or bin that holds stock, and allows it once the stock is gone', async () => {
    await receive(ids.rice, ids.wh, ids.binA, 1000);
    const input = { id: ids.wh, code: 'WH', name: 'Central Warehouse', kind: 'warehouse' as const, allowNegative: false, active: false };
    await expectRefused(() => s.md.updateSite(input, ADMIN), 'CONFLICT', 'active', /Site Central Warehouse still holds stock in 1 place/);
    await expectRefused(() => s.md.updateBin({ id: ids.binA, code: 'A-01', name: 'A-01', stockStatus: 'sellable', active: false }, ADMIN), 'CONFLICT', 'active', /Bin A-01 at Central Warehouse still holds stock/);
    // An empty bin at the same site may go; renaming a site with stock is fine.
    expect(await s.md.updateBin({ id: ids.binB, code: 'B-01', name: 'B-01', stockStatus: 'quarantine', active: false }, ADMIN)).toMatchObject({ active: false, stockStatus: 'quarantine' });
    expect((await s.md.updateSite({ ...input, name: 'Central Store', active: true }, ADMIN)).name).toBe('Central Store');
    await sell(ids.rice, ids.wh, ids.binA, 1000);
    expect((await s.md.updateBin({ id: ids.binA, code: 'A-01', name: 'A-01', stockStatus: 'sellable', active: false }, ADMIN)).active).toBe(false);
    expect((await s.md.updateSite({ ...input, active: false }, ADMIN)).active).toBe(false);
  });

  it('creates a product with barcodes, unit and 3 decimals; its record shows the movements', async () => {
    const p = await s.md.createProduct(product({ description: 'Tipo 00, 25 kg sacks', barcodes: ['4006381333931', '036000291452', '96385074', 'INT-77'], lowStockLevel: 5000 }), ADMIN);
    expect(p).toMatchObject({ sku: 'FLOUR-00', unit: 'kg', scale: 3, tracking: 'BULK', active: true, hasMovements: false, onHand: 0, lowStockLevel: 5000, version: 1 });
    expect(p.barcodes).toEqual(['036000291452', '4006381333931', '96385074', 'INT-77']);
    expect(await s.records.barcodeOwner('96385074')).toEqual({ id: p.id, sku: 'FLOUR-00' });
    expect((await receive(p.id, ids.wh, ids.binA, 12_345)).movementCount).toBe(1);
    expect(await s.records.product(p.id)).toMatchObject({ hasMovements: true, onHand: 12_345 });
  });

  it('refuses a duplicate SKU (any case), and a barcode of another product, also in another GTIN form', async () => {
    await expectRefused(() => s.md.createProduct(product({ sku: 'rice-1kg', barcodes: [] }), ADMIN), 'CONFLICT', 'sku', /Another product already has the SKU rice-1kg/);
    await s.md.createProduct(product({ barcodes: ['036000291452'] }), ADMIN);
    await expectRefused(() => s.md.createProduct(product({ sku: 'FLOUR-2', barcodes: ['036000291452'] }), ADMIN), 'CONFLICT', 'barcodes', /Barcode 036000291452 already belongs to FLOUR-00/);
    await expectRefused(() => s.md.createProduct(product({ sku: 'FLOUR-2', barcodes: ['0036000291452'] }), ADMIN), 'CONFLICT', 'barcodes', /Barcode 0036000291452 already belongs to FLOUR-00 \(as 036000291452\)/);
  });

  it('refuses a wrong check digit, a barcode listed twice, and decimals on a SERIAL product', async () => {
    await expectRefused(() => s.md.createProduct(product({ barcodes: ['4006381333932'] }), ADMIN), 'VALIDATION', 'barcodes', /not a valid EAN-13: its check digit should be 1, not 2/);
    await expectRefused(() => s.md.createProduct(product({ barcodes: ['10012345678903'] }), ADMIN), 'VALIDATION', 'barcodes', /not a valid GTIN-14: its check digit should be 2/);
    await expectRefused(() => s.md.createProduct(product({ barcodes: ['INT-1', 'INT-1'] }), ADMIN), 'VALIDATION', 'barcodes', /Barcode INT-1 is listed twice for FLOUR-00/);
    await expectRefused(() => s.md.createProduct(product({ tracking: 'SERIAL', scale: 2, barcodes: [] }), ADMIN), 'VALIDATION', 'scale', /counted in whole units: set decimals to 0/);
  });

  it('refuses a unit or decimals change once the product has movements, even with no stock left', async () => {
    const p = await s.md.createProduct(product(), ADMIN);
    const fixed = await s.md.updateProduct({ ...asUpdate(p), unit: 'g', scale: 0 }, ADMIN);
    expect(fixed).toMatchObject({ unit: 'g', scale: 0, version: 2 });
    await receive(p.id, ids.wh, ids.binA, 500);
    await sell(p.id, ids.wh, ids.binA, 500);
    const used = (await s.records.product(p.id))!;
    await expectRefused(() => s.md.updateProduct({ ...asUpdate(used), unit: 'kg' }, ADMIN), 'CONFLICT', 'unit', /FLOUR-00 already has movements in g, so its unit cannot change/, p.id);
    await expectRefused(() => s.md.updateProduct({ ...asUpdate(used), scale: 3 }, ADMIN), 'CONFLICT', 'scale', /already has movements recorded with 0 decimals/, p.id);
    expect(await s.md.updateProduct({ ...asUpdate(used), name: 'Flour 00 (old)', barcodes: [], active: false }, ADMIN)).toMatchObject({ name: 'Flour 00 (old)', barcodes: [], active: false });
  });

  it('refuses a tracking or Recipe change while the product holds stock, and allows it at zero', async () => {
    const p = await s.md.createProduct(product({ unit: 'ea', scale: 0, barcodes: [] }), ADMIN);
    await receive(p.id, ids.wh, ids.binA, 4);
    const held = (await s.records.product(p.id))!;
    await expectRefused(() => s.md.updateProduct({ ...asUpdate(held), tracking: 'SERIAL' }, ADMIN), 'CONFLICT', 'tracking', /FLOUR-00 holds stock tracked as BULK, so its tracking cannot change to SERIAL/, p.id);
    await expectRefused(() => s.md.updateProduct({ ...asUpdate(held), stockType: 'Recipe' }, ADMIN), 'CONFLICT', 'stockType', /FLOUR-00 holds stock, so it cannot change from Supplied to Recipe/, p.id);
    expect((await s.md.updateProduct({ ...asUpdate(held), stockType: 'Made' }, ADMIN)).stockType).toBe('Made');
    await sell(p.id, ids.wh, ids.binA, 4);
    expect((await s.md.updateProduct({ ...asUpdate(held), version: held.version + 1, stockType: 'Made', tracking: 'LOT' }, ADMIN)).tracking).toBe('LOT');
  });

  it('refuses a save from an older version, naming who saved since; nothing of it is written or audited', async () => {
    const p = (await s.records.product(ids.rice))!;
    await s.md.updateProduct({ ...asUpdate(p), name: 'Rice (new)' }, ADMIN);
    const error = await s.md.updateProduct({ ...asUpdate(p), name: 'Rice (stale)' }, ADMIN).then(() => null, (e: unknown) => e as AppError);
    expect(error).toBeInstanceOf(AppError);
    expect(error!.message).toMatch(/^Product RICE-1KG was changed by Administrator at .+ after you opened it, so your change was not saved/);
    expect(error!.details).toMatchObject({ field: 'version', stale: true, record: 'product', id: p.id, version: 2, changedBy: 'Administrator' });
    expect(await s.records.product(p.id)).toMatchObject({ name: 'Rice (new)', version: 2 });
    const wh = (await s.records.site(ids.wh))!;
    await s.md.updateSite({ id: wh.id, code: 'WH', name: 'Main Warehouse', kind: 'warehouse', allowNegative: false, active: true, version: 1 }, ADMIN);
    const audits = (await s.audits()).length;
    const stale = await s.md.updateSite({ id: wh.id, code: 'WH', name: 'Stale', kind: 'warehouse', allowNegative: false, active: true, version: 1 }, ADMIN).then(() => null, (e: unknown) => e as AppError);
    expect(stale?.message).toMatch(/^Site Main Warehouse was changed by Administrator at .+ after you opened it/);
    expect(stale?.details).toMatchObject({ field: 'version', record: 'site', id: wh.id, version: 2 });
    expect(await s.records.site(wh.id)).toMatchObject({ name: 'Main Warehouse', version: 2 });
    expect((await s.audits()).length).toBe(audits);
  });

  it('deletes a product that never moved and refuses one with movements', async () => {
    const p = await s.md.createProduct(product(), ADMIN);
    expect(await s.md.deleteProduct(p.id, ADMIN)).toEqual({ id: p.id, sku: 'FLOUR-00' });
    expect(await s.records.product(p.id)).toBeNull();
    expect((await s.audits()).at(-1)).toMatchObject({ record: 'product', id: p.id, label: 'FLOUR-00', after: null });
    await receive(ids.rice, ids.wh, ids.binA, 1);
    await expectRefused(() => s.md.deleteProduct(ids.rice, ADMIN), 'CONFLICT', 'id', /RICE-1KG has movements, so it can never be deleted/, ids.rice);
  });

  it('creates variants all or none: a twin combination refuses the whole set, naming its row', async () => {
    const tee = await s.md.createProduct(product({ sku: 'TEE', name: 'T-shirt', unit: 'ea', scale: 0, stockKeeping: false, barcodes: [], variantAxes: [{ name: 'Size', values: ['S', 'M'] }] }), ADMIN);
    await expectRefused(
      () => s.md.createVariants({ parentId: tee.id, variants: [{ sku: 'TEE-S', barcodes: [], values: { Size: 'S' } }, { sku: 'TEE-S2', barcodes: [], values: { Size: 's' } }] }, ADMIN),
      'CONFLICT', 'variants.1.variantAttributes', /Variant 2: TEE-S is already the S variant of TEE/,
    );
    const made = await s.md.createVariants({ parentId: tee.id, variants: [{ sku: 'TEE-S', barcodes: [], values: { Size: 's' } }, { sku: 'TEE-M', barcodes: [], values: { Size: 'M' } }] }, ADMIN);
    expect(made.map((v) => [v.sku, v.variantAttributes, v.variantLabel, v.parentId])).toEqual([['TEE-S', { Size: 'S' }, 'S', tee.id], ['TEE-M', { Size: 'M' }, 'M', tee.id]]);
  });
});
