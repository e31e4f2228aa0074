import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { BEGINNING_OF_TIME } from '../../shared/recipes';
import { openFixture } from '../../test/fixtures/ledger';
import { openPgFixture } from '../../test/fixtures/pg-ledger';
import { pgRows } from '../../test/fixtures/pg-rows';
import { clusterForConfiguredStore, STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';
import { taken } from '../masterdata/master-refusals';
import { PgReferenceStore } from './pg/store/pg-reference-store';
import type { ReferenceRecords } from './reference-records';

/**
 * The reference writers (ReferenceRecords: ReferenceData on SQLite, PgReferenceStore on PostgreSQL) on the configured
 * store (test/fixtures/store-under-test.ts): a duplicate is refused on both with the refusal the contract gives a user
 * for the same duplicate (master-refusals.ts), not the driver's error; a group, a product's group and low-stock level,
 * and a recipe's components (with its product, or not at all) are written alike.
 */
const cluster = clusterForConfiguredStore();

interface Opened {
  reference: ReferenceRecords;
  wh: number;
  /** The rows of a query (`?` placeholders), booleans read as 1/0 as SQLite stores them. */
  rows(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

async function open(): Promise<Opened> {
  if (STORE_UNDER_TEST === 'sqlite') {
    const f = await openFixture();
    return { reference: f.ledger.reference, wh: f.ids.wh, rows: async (sql, params = []) => f.ledger.db.prepare(sql).all(...params) as Record<string, unknown>[], close: () => f.cleanup() };
  }
  const f = await openPgFixture(cluster()!);
  return { reference: new PgReferenceStore(f.pool), wh: f.ids.wh, rows: (sql, params) => pgRows(f.pool, sql, params), close: f.close };
}

/** Sites, bins and products. */
const count = (f: Opened) => Promise.all(['sites', 'bins', 'products'].map(async (t) => Number((await f.rows(`SELECT COUNT(*) AS n FROM ${t}`))[0]!.n)));

describe(`the reference writers (${STORE_UNDER_TEST})`, () => {
  let f: Opened;
  beforeEach(async () => {
    f = await open();
  });
  afterEach(() => f.close());

  it('refuse a taken site code, site name, bin code at its site and SKU as the contract refuses a user, writing nothing', async () => {
    const r = f.reference;
    const before = await count(f);
    const cases: [() => unknown, AppError][] = [
      [() => r.addSite({ code: 'WH1', name: 'Another warehouse' }), taken.siteCode('WH1')],
      [() => r.addSite({ code: 'WH9', name: 'Central Warehouse' }), taken.siteName('Central Warehouse')],
      [() => r.addBin(f.wh, 'A-01'), taken.binCode('A-01')],
      [() => r.addProduct({ sku: 'RICE-1KG', name: 'More rice', stockType: 'Supplied' }), taken.sku('RICE-1KG')],
    ];
    for (const [write, expected] of cases) {
      const e = await Promise.resolve().then(write).then(() => null, (x: unknown) => x);
      expect(e, expected.message).toBeInstanceOf(AppError);
      const { code, message, details } = e as AppError;
      expect({ code, message, details }).toEqual({ code: expected.code, message: expected.message, details: expected.details });
    }
    expect(await count(f)).toEqual(before);
    // What is not taken is written.
    expect(await r.addBin(f.wh, 'C-01')).toBeGreaterThan(0);
  });

  it('refuse a taken group code and group name as the contract refuses a user, writing nothing', async () => {
    const r = f.reference;
    const groups = async () => f.rows('SELECT code, name, post_on_costs FROM product_groups ORDER BY id');
    const before = await groups();
    for (const [write, expected] of [
      [() => r.addGroup('WINE', 'Wines and spirits'), taken.groupCode('WINE')],
      [() => r.addGroup('VINO', 'Wine'), taken.groupName('Wine')],
    ] as const) {
      const e = await Promise.resolve().then(write).then(() => null, (x: unknown) => x);
      expect(e, expected.message).toBeInstanceOf(AppError);
      const { code, message, details } = e as AppError;
      expect({ code, message, details }).toEqual({ code: expected.code, message: expected.message, details: expected.details });
    }
    expect(await groups()).toEqual(before);
  });

  it('write a group, a product in it with its low-stock level, and a recipe with its components: one version in force from the beginning', async () => {
    const r = f.reference;
    const dry = await r.addGroup('DRY', 'Dry goods');
    const flour = await r.addProduct({ sku: 'FLOUR-00', name: 'Flour 00', unit: 'kg', scale: 3, stockType: 'Supplied', groupId: dry, lowStockLevel: 2_500 });
    const salt = await r.addProduct({ sku: 'SALT', name: 'Sea salt', unit: 'kg', scale: 3, stockType: 'Supplied' });
    const bread = await r.addProduct({ sku: 'BREAD', name: 'Loaf', stockType: 'Recipe', components: [{ productId: flour, qtyPerUnit: 450 }, { productId: salt, qtyPerUnit: 9 }] });
    expect(await f.rows('SELECT code, name, post_on_costs FROM product_groups WHERE id = ?', [dry])).toEqual([{ code: 'DRY', name: 'Dry goods', post_on_costs: 0 }]);
    expect(await f.rows('SELECT id, group_id, low_stock_level, stock_type FROM products WHERE id IN (?, ?, ?) ORDER BY id', [flour, salt, bread])).toEqual([
      { id: flour, group_id: dry, low_stock_level: 2_500, stock_type: 'Supplied' },
      { id: salt, group_id: null, low_stock_level: null, stock_type: 'Supplied' },
      { id: bread, group_id: null, low_stock_level: null, stock_type: 'Recipe' },
    ]);
    expect(
      await f.rows(
        `SELECT v.recipe_id, v.effective_from, v.created_by, c.component_id, c.qty_per_unit FROM recipe_versions v JOIN recipe_version_components c ON c.version_id = v.id
         WHERE v.recipe_id = ? ORDER BY c.component_id`,
        [bread],
      ),
    ).toEqual([
      { recipe_id: bread, effective_from: BEGINNING_OF_TIME, created_by: null, component_id: flour, qty_per_unit: 450 },
      { recipe_id: bread, effective_from: BEGINNING_OF_TIME, created_by: null, component_id: salt, qty_per_unit: 9 },
    ]);
  });

  it('refuse a serial or RFID product with decimals, writing nothing', async () => {
    const before = await count(f);
    for (const tracking of ['SERIAL', 'RFID'] as const) {
      const e = await Promise.resolve()
        .then(() => f.reference.addProduct({ sku: `TAG-${tracking}`, name: 'Tagged keg', unit: 'l', scale: 1, stockType: 'Supplied', tracking }))
        .then(() => null, (x: unknown) => x);
      expect(e).toBeInstanceOf(AppError);
      expect({ code: (e as AppError).code, message: (e as AppError).message }).toEqual({
        code: 'VALIDATION',
        message: `TAG-${tracking}: serial and RFID products are counted in whole units; set the unit scale to 0.`,
      });
    }
    expect(await count(f)).toEqual(before);
  });

  it('write a recipe all or nothing: a component that is no product leaves neither the product nor a version', async () => {
    const before = await count(f);
    const versions = async () => Number((await f.rows('SELECT COUNT(*) AS n FROM recipe_versions'))[0]!.n);
    const versionsBefore = await versions();
    const write = Promise.resolve().then(() => f.reference.addProduct({ sku: 'GHOST-KIT', name: 'Kit of nothing', stockType: 'Recipe', components: [{ productId: 999_999, qtyPerUnit: 1 }] }));
    await expect(write).rejects.toThrow(/foreign key/i);
    expect(await count(f)).toEqual(before);
    expect(await versions()).toBe(versionsBefore);
  });
});
