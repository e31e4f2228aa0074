import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PostDocumentInput } from '../../shared/contract/schemas';
import { openPgSide, openSqliteSide, productRow as row, siteRow as site, type MasterSide } from '../../test/fixtures/master-sides';
import { clusterForConfiguredStore, STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';
import type { MasterRecords } from './master-records';

/**
 * The master records (master-records.ts) of the configured store (issue 17): SQLite's by default, PostgreSQL's under
 * vitest.pg.config.ts, each on an empty ledger. Two servers saving at once on one PostgreSQL: master-records.pg.test.ts.
 */
const cluster = clusterForConfiguredStore();

/** The store under test: its master records, its ledger core (to put stock on a product), and row counts per table. */
type Side = MasterSide & { md: MasterRecords };
const open = async (): Promise<Side> => {
  const side = STORE_UNDER_TEST === 'postgres' ? await openPgSide(cluster()!) : await openSqliteSide();
  return { ...side, md: side.records };
};

const ADMIN = 2;
const receipt = (key: string, productId: number, siteId: number, qty: number, binId?: number): PostDocumentInput => ({
  idempotencyKey: key,
  type: 'receipt',
  lines: [{ productId, siteId, type: 'inbound', qty, unitCost: 1000, ...(binId === undefined ? {} : { binId }) }],
});
const TABLES = ['sites', 'bins', 'product_groups', 'products', 'product_barcodes', 'product_sites'];

describe(`master records on ${STORE_UNDER_TEST}`, () => {
  let s: Side;
  beforeEach(async () => {
    s = await open();
  });
  afterEach(async () => {
    await s?.close();
  });
  const counts = async () => Promise.all(TABLES.map((t) => s.count(t)));

  it('creates sites and lists them by name without case, External last; finds a site by code or name in any case', async () => {
    const kit = await s.md.insertSite({ ...site('KIT', 'main kitchen'), kind: 'kitchen' });
    const bar = await s.md.insertSite({ ...site('BAR', 'Bar'), allowNegative: true });
    const wh = await s.md.insertSite(site('WH1', 'Central Warehouse'));
    expect((await s.md.sites()).map((x) => [x.code, x.kind, x.allowNegative, x.active, x.binCount, x.stockLines, x.version])).toEqual([
      ['BAR', 'warehouse', true, true, 0, 0, 1],
      ['WH1', 'warehouse', false, true, 0, 0, 1],
      ['KIT', 'kitchen', false, true, 0, 0, 1],
      ['EXTERNAL', 'external', true, true, 0, 0, 1],
    ]);
    expect(await s.md.siteIdByCode('kit')).toBe(kit);
    expect(await s.md.siteIdByName('CENTRAL warehouse')).toBe(wh);
    expect(await s.md.siteIdByCode('BA')).toBeNull();
    expect((await s.md.site(bar))!.name).toBe('Bar');
    expect(await s.md.site(999)).toBeNull();
  });

  it('creates bins under a site, lists them by code, finds one by code in any case, and counts them on the site', async () => {
    const wh = await s.md.insertSite(site('WH1', 'Central Warehouse'));
    const b = await s.md.insertBin({ siteId: wh, code: 'b-02', name: 'Back', stockStatus: 'quarantine', active: true });
    const a = await s.md.insertBin({ siteId: wh, code: 'A-01', name: 'A-01', stockStatus: 'sellable', active: true });
    expect((await s.md.bins(wh)).map((x) => [x.id, x.code, x.stockStatus, x.active, x.stockLines])).toEqual([
      [a, 'A-01', 'sellable', true, 0],
      [b, 'b-02', 'quarantine', true, 0],
    ]);
    expect(await s.md.binIdByCode(wh, 'B-02')).toBe(b);
    expect(await s.md.binIdByCode(1, 'A-01')).toBeNull();
    await s.md.updateBin(b, { code: 'B-02', name: 'Back room', stockStatus: 'defective', active: false });
    expect(await s.md.bin(b)).toEqual({ id: b, siteId: wh, code: 'B-02', name: 'Back room', stockStatus: 'defective', active: false, stockLines: 0 });
    expect((await s.md.site(wh))!.binCount).toBe(2);
  });

  it('creates and changes product groups, lists them by code, counts their products, finds them by code or name in any case', async () => {
    const wine = await s.md.insertGroup({ code: 'WINE', name: 'Wine', postOnCosts: true, active: true });
    const dry = await s.md.insertGroup({ code: 'dry', name: 'Dry goods', postOnCosts: false, active: true });
    await s.md.insertProduct(row({ groupId: dry }), 1);
    await s.md.updateGroup(wine, { code: 'WINE', name: 'Wines', postOnCosts: false, active: false });
    expect(await s.md.groups()).toEqual([
      { id: dry, code: 'dry', name: 'Dry goods', postOnCosts: false, active: true, productCount: 1 },
      { id: wine, code: 'WINE', name: 'Wines', postOnCosts: false, active: false, productCount: 0 },
    ]);
    expect(await s.md.groupIdByCode('DRY')).toBe(dry);
    expect(await s.md.groupIdByName('wines')).toBe(wine);
    expect(await s.md.group(999)).toBeNull();
  });

  it('stores a product with its barcodes, per-site settings and variants, and reads back the same record', async () => {
    const wh = await s.md.insertSite(site('WH1', 'Central Warehouse'));
    const bin = await s.md.insertBin({ siteId: wh, code: 'A-01', name: 'A-01', stockStatus: 'sellable', active: true });
    const g = await s.md.insertGroup({ code: 'DRY', name: 'Dry goods', postOnCosts: false, active: true });
    const tee = await s.md.insertProduct(row({ sku: 'TEE', name: 'T-shirt', unit: 'ea', scale: 0, groupId: g, countryOfOrigin: 'GB', variantAxes: [{ name: 'Size', values: ['S', 'M'] }] }), 1_700_000_000_000);
    await s.md.replaceBarcodes(tee, ['5000000000002', '4006381333931']);
    await s.md.replaceProductSites(tee, [{ siteId: wh, lowStockLevel: 4_000_000_000_000, defaultBinId: bin }, { siteId: 1, lowStockLevel: null, defaultBinId: null }]);
    const m = await s.md.insertProduct(row({ sku: 'TEE-M', name: 'T-shirt M', unit: 'ea', scale: 0, parentId: tee, variantAttributes: { Size: 'M' } }), 1_700_000_000_001);
    expect(await s.md.product(tee)).toEqual({
      id: tee, version: 1, sku: 'TEE', name: 'T-shirt', description: '', unit: 'ea', scale: 0, stockType: 'Supplied', tracking: 'BULK',
      stockKeeping: true, lowStockLevel: null, active: true, barcodes: ['4006381333931', '5000000000002'], hasMovements: false, onHand: 0,
      groupId: g, groupCode: 'DRY', countryOfOrigin: 'GB', parentId: null, variantAxes: [{ name: 'Size', values: ['S', 'M'] }], variantAttributes: {},
      variantLabel: null, variantCount: 1, sites: [{ siteId: wh, lowStockLevel: 4_000_000_000_000, defaultBinId: bin }],
    });
    expect((await s.md.variants(tee)).map((v) => [v.id, v.sku, v.variantAttributes, v.variantLabel])).toEqual([[m, 'TEE-M', { Size: 'M' }, 'M']]);
    expect(await s.md.productIdBySku('tee-m')).toBe(m);
    expect(await s.md.barcodeOwner('5000000000002')).toEqual({ id: tee, sku: 'TEE' });
    expect(await s.md.barcodeOwner('123')).toBeNull();
    await s.md.replaceBarcodes(tee, []);
    expect((await s.md.product(tee))!.barcodes).toEqual([]);
  });

  it('reads stock into the records: movements, on hand, stock lines of the site and bin', async () => {
    const wh = await s.md.insertSite(site('WH1', 'Central Warehouse'));
    const bin = await s.md.insertBin({ siteId: wh, code: 'A-01', name: 'A-01', stockStatus: 'sellable', active: true });
    const p = await s.md.insertProduct(row(), 1);
    s.changed();
    await s.core.post(receipt('md-stock-1', p, wh, 2_500, bin), ADMIN);
    expect(await s.md.productHasStock(p)).toBe(true);
    expect(await s.md.product(p)).toMatchObject({ hasMovements: true, onHand: 2_500 });
    expect((await s.md.site(wh))!.stockLines).toBe(1);
    expect((await s.md.bin(bin))!.stockLines).toBe(1);
  });

  it('saves a site or product only from the version stored: the save names who and when; an older version writes nothing', async () => {
    const wh = await s.md.insertSite(site('WH1', 'Central Warehouse'));
    const p = await s.md.insertProduct(row(), 1);
    expect(await s.md.updateSite(wh, site('WH1', 'Main Warehouse'), { version: 1, userId: ADMIN, at: 1_800_000_000_000 })).toBe(true);
    expect(await s.md.recordStamp('site', wh)).toEqual({ version: 2, changedBy: 'Administrator', changedAt: 1_800_000_000_000 });
    const before = await counts();
    // A second save from version 1 (someone else's older form) is refused by the UPDATE itself.
    expect(await s.md.updateSite(wh, site('WH1', 'Stale Warehouse'), { version: 1, userId: 1, at: 1_800_000_000_001 })).toBe(false);
    expect(await s.md.site(wh)).toMatchObject({ name: 'Main Warehouse', version: 2 });
    expect(await s.md.recordStamp('site', wh)).toEqual({ version: 2, changedBy: 'Administrator', changedAt: 1_800_000_000_000 });
    expect(await s.md.updateProduct(p, row({ name: 'Stale' }), { version: 7, userId: ADMIN, at: 5 })).toBe(false);
    expect(await s.md.product(p)).toMatchObject({ name: 'Flour 00', version: 1 });
    expect(await s.md.recordStamp('product', p)).toEqual({ version: 1, changedBy: null, changedAt: null });
    expect(await counts()).toEqual(before);
    // No version given: saved over any version.
    expect(await s.md.updateProduct(p, row({ name: 'Flour type 00' }), { userId: 1, at: 6 })).toBe(true);
    expect(await s.md.recordStamp('product', p)).toEqual({ version: 2, changedBy: 'System', changedAt: 6 });
  });

  it('refuses a duplicate code (naming the record and the field, as the rules do) and a missing reference, and nothing of the transaction stays written', async () => {
    const wh = await s.md.insertSite(site('WH1', 'Central Warehouse'));
    await s.md.insertProduct(row(), 1);
    const before = await counts();
    // A duplicate SKU after a first insert in the same transaction: neither stays.
    await expect(s.md.transaction(async (tx) => {
      await tx.insertSite(site('KIT', 'Kitchen'));
      await tx.insertProduct(row(), 2);
    })).rejects.toMatchObject({ code: 'CONFLICT', message: 'Another product already has the SKU FLOUR-00. Choose a different SKU.', details: { field: 'sku' } });
    expect(await counts()).toEqual(before);
    // A product in a group that does not exist, a bin on a missing site, a site code already used.
    await expect(s.md.transaction((tx) => tx.insertProduct(row({ sku: 'RYE', groupId: 999 }), 3))).rejects.toThrow(/foreign key|FOREIGN KEY/);
    await expect(s.md.transaction((tx) => tx.insertBin({ siteId: 999, code: 'A', name: 'A', stockStatus: 'sellable', active: true }))).rejects.toThrow(/foreign key|FOREIGN KEY/);
    await expect(s.md.transaction((tx) => tx.insertSite(site('WH1', 'Another')))).rejects.toMatchObject({ code: 'CONFLICT', message: 'Another site already has the code WH1. Choose a different code.', details: { field: 'code' } });
    await expect(s.md.updateSite(wh, site('WH2', 'External'), { userId: ADMIN, at: 1 })).rejects.toMatchObject({ code: 'CONFLICT', details: { field: 'name' } });
    expect(await counts()).toEqual(before);
    expect(await s.md.siteIdByName('Kitchen')).toBeNull();
    expect(await s.md.siteIdByCode('WH1')).toBe(wh);
  });

  it('deletes a product that never moved with its barcodes and per-site settings, in one transaction', async () => {
    const wh = await s.md.insertSite(site('WH1', 'Central Warehouse'));
    const p = await s.md.insertProduct(row(), 1);
    await s.md.replaceBarcodes(p, ['4006381333931']);
    await s.md.replaceProductSites(p, [{ siteId: wh, lowStockLevel: 10, defaultBinId: null }]);
    expect(await s.md.recipeUsing(p)).toBeNull();
    const result = await s.md.transaction(async (tx) => {
      await tx.deleteProduct(p);
      return tx.product(p);
    });
    expect(result).toBeNull();
    expect(await s.md.barcodeOwner('4006381333931')).toBeNull();
    expect(await Promise.all(['products', 'product_barcodes', 'product_sites'].map((t) => s.count(t)))).toEqual([0, 0, 0]);
    expect(await s.md.username(ADMIN)).toBe('admin');
    expect(await s.md.username(99)).toBe('user 99');
  });
});
