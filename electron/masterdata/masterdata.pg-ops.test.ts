import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  binCreateSchema,
  binUpdateSchema,
  productCreateSchema,
  productGroupCreateSchema,
  productGroupUpdateSchema,
  productsListSchema,
  siteCreateSchema,
  siteUpdateSchema,
} from '../../shared/contract/masterdata.schemas';
import type { PostDocumentInput } from '../../shared/contract/schemas';
import type { BinRecord, HistoryEntry, ProductGroupRecord, ProductListPage, ProductRecord, SiteRecord } from '../../shared/masterdata';
import { clusterForFile } from '../../test/fixtures/both-ledgers';
import { answer, refused, sideBySide, steppedClock } from '../../test/fixtures/both-stores';
import { asUser } from '../../test/fixtures/caller';
import { migratePg } from '../ledger/pg/pg-data-source';
import { openPool } from '../ledger/pg/pg-types';
import { createPgWorkerContext } from '../ledger/pg/pg-worker-context';
import { allPgOps } from '../ledger/pg/pg-worker-ops';
import { PgLedgerStore } from '../ledger/pg/store/pg-ledger-store';
import { PgReferenceStore } from '../ledger/pg/store/pg-reference-store';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { createWorkerContext } from '../ledger/worker-context';
import { masterDataOps, type MasterDataOps } from './masterdata.ops';

/**
 * The master-data operations on both stores (issue 17): each call runs through the SQLite worker's operations
 * (masterdata.ops.ts) and PostgreSQL's (masterdata.pg-ops.ts, reached through PG_CAPABILITIES), on two empty ledgers
 * given the same master data in the same order (so the same ids) at the same clock; every answer, refusal and event
 * must be the same.
 */
const cluster = clusterForFile();
const { clock, start, tick } = steppedClock(60_000);
let dir: string;
let ledger: SqliteLedger;
let pool: pg.Pool;
let admin: number;
let both: ReturnType<typeof sideBySide<MasterDataOps>>;
let postBoth: (doc: PostDocumentInput) => Promise<void>;
let databases = 0;

beforeEach(async () => {
  start();
  dir = mkdtempSync(join(tmpdir(), 'stockbook-md-ops-'));
  ledger = await SqliteLedger.open(join(dir, 'ledger.db'), { clock });
  const connection = cluster().createDatabase(`md_ops_${process.pid}_${++databases}`);
  await migratePg(connection);
  pool = openPool(connection);
  admin = ledger.reference.userId('admin');
  expect(await new PgReferenceStore(pool).userId('admin')).toBe(admin);
  const events = { sqlite: [] as unknown[], pg: [] as unknown[] };
  const sqliteOps = masterDataOps(createWorkerContext(ledger, (e, p) => events.sqlite.push([e, p])), clock);
  const pgOps = allPgOps(createPgWorkerContext(pool, connection, (e, p) => events.pg.push([e, p]), clock), []);
  both = sideBySide(sqliteOps, pgOps, asUser(admin), events);
  const pgLedger = new PgLedgerStore(pool, clock);
  postBoth = async (doc) => {
    ledger.poster.post(doc, admin);
    await pgLedger.post(doc, admin);
  };
});
afterEach(async () => {
  await ledger?.close();
  rmSync(dir, { recursive: true, force: true });
  await pool?.end();
});

const list = (over: Record<string, unknown> = {}) => productsListSchema.parse(over);
const product = (over: Record<string, unknown>) =>
  productCreateSchema.parse({ unit: 'ea', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null, ...over });
/** A product as the form sends it back for an update. */
const asSiteUpdate = ({ binCount: _b, stockLines: _s, ...fields }: SiteRecord, over: Record<string, unknown>) => siteUpdateSchema.parse({ ...fields, ...over });
const asBinUpdate = ({ siteId: _i, stockLines: _s, ...fields }: BinRecord, over: Record<string, unknown>) => binUpdateSchema.parse({ ...fields, ...over });
const asUpdate = ({ hasMovements: _m, onHand: _o, groupCode: _g, variantLabel: _l, variantCount: _c, ...fields }: ProductRecord) => fields;

describe('master-data operations on SQLite and PostgreSQL', () => {
  it('sites, bins, groups and products created, changed and refused alike; variants; delete refused with stock; history', async () => {
    expect(answer<SiteRecord[]>(await both('masterdata.sites'))).toHaveLength(1); // External
    const wh = answer<SiteRecord>(await both('masterdata.siteCreate', siteCreateSchema.parse({ code: 'WH', name: 'Central Warehouse', kind: 'warehouse', allowNegative: false })));
    tick();
    const shop = answer<SiteRecord>(await both('masterdata.siteCreate', siteCreateSchema.parse({ code: 'BAR', name: 'Soho Bar', kind: 'shop', allowNegative: false })));
    expect(refused(await both('masterdata.siteCreate', siteCreateSchema.parse({ code: 'wh', name: 'Another', kind: 'shop', allowNegative: false })))).toMatchObject({ code: 'CONFLICT' });
    const binA = answer<BinRecord>(await both('masterdata.binCreate', binCreateSchema.parse({ siteId: wh.id, code: 'A-01', stockStatus: 'sellable' })));
    await both('masterdata.binCreate', binCreateSchema.parse({ siteId: wh.id, code: 'B-01', name: 'Back', stockStatus: 'quarantine' }));
    expect(refused(await both('masterdata.binCreate', binCreateSchema.parse({ siteId: wh.id, code: 'a-01', stockStatus: 'sellable' })))).toMatchObject({ code: 'CONFLICT' });
    await both('masterdata.bins', { siteId: wh.id });

    const wine = answer<ProductGroupRecord>(await both('masterdata.groupCreate', productGroupCreateSchema.parse({ code: 'WINE', name: 'Wine', postOnCosts: true })));
    await both('masterdata.groupCreate', productGroupCreateSchema.parse({ code: 'DRY', name: 'Dry goods', postOnCosts: false }));
    tick();
    await both('masterdata.groupUpdate', productGroupUpdateSchema.parse({ id: wine.id, code: 'WINE', name: 'Wines', postOnCosts: false, active: true }));
    expect(refused(await both('masterdata.groupCreate', productGroupCreateSchema.parse({ code: 'W2', name: 'wines', postOnCosts: false })))).toMatchObject({ code: 'CONFLICT' });
    await both('masterdata.groups');

    const rice = answer<ProductRecord>(await both('masterdata.productCreate', product({ sku: 'RICE-1KG', name: 'Arborio rice', unit: 'kg', scale: 3, barcodes: ['4006381333931'] })));
    const claret = answer<ProductRecord>(await both('masterdata.productCreate', product({ sku: 'CLARET-75', name: 'Claret 2019 75cl', tracking: 'LOT', groupId: wine.id })));
    await both('masterdata.productCreate', product({ sku: 'OIL-1L', name: 'Olive oil', active: false, sites: [{ siteId: wh.id, lowStockLevel: 4, defaultBinId: binA.id }] }));
    expect(refused(await both('masterdata.productCreate', product({ sku: 'RICE-5KG', name: 'Rice sack', barcodes: ['4006381333931'] })))).toMatchObject({ code: 'CONFLICT' });
    expect(refused(await both('masterdata.productCreate', product({ sku: 'rice-1kg', name: 'Rice again' })))).toMatchObject({ code: 'CONFLICT' });

    // A save from the version opened, then a second save from that same (now stale) version: refused alike.
    tick();
    const renamed = answer<ProductRecord>(await both('masterdata.productUpdate', { ...asUpdate(rice), name: 'Arborio rice 1 kg', version: rice.version }));
    expect(renamed.version).toBe(rice.version + 1);
    tick();
    expect(refused(await both('masterdata.productUpdate', { ...asUpdate(rice), name: 'Carnaroli rice', version: rice.version }))).toMatchObject({ code: 'CONFLICT' });
    await both('masterdata.siteUpdate', asSiteUpdate(wh, { name: 'Main Warehouse', version: wh.version }));
    tick();
    expect(refused(await both('masterdata.siteUpdate', asSiteUpdate(wh, { allowNegative: true, version: wh.version })))).toMatchObject({ code: 'CONFLICT' });

    // Variants of a parent with axes.
    const tee = answer<ProductRecord>(await both('masterdata.productCreate', product({ sku: 'TEE', name: 'T-shirt', stockKeeping: false, variantAxes: [{ name: 'Size', values: ['S', 'M'] }] })));
    const variants = answer<ProductRecord[]>(await both('masterdata.variantsCreate', { parentId: tee.id, variants: [
      { sku: 'TEE-S', barcodes: [], values: { Size: 'S' } },
      { sku: 'TEE-M', barcodes: ['5012345678900'], values: { Size: 'M' } },
    ] }));
    expect(variants.map((v) => v.variantLabel)).toEqual(['S', 'M']);
    expect(refused(await both('masterdata.variantsCreate', { parentId: tee.id, variants: [{ sku: 'TEE-S2', barcodes: [], values: { Size: 'S' } }] }))).toMatchObject({ code: expect.any(String) });
    await both('masterdata.variants', { parentId: tee.id });

    // The Products list: filters, searches (prefix, anywhere, barcode), grouped, a parent's variants, sort and pages.
    for (const q of [
      {},
      { includeInactive: false },
      { active: false },
      { search: 'ri' },
      { search: 'RICE' },
      { search: 'olive' },
      { search: '5012345678900' },
      { search: 'tee', grouped: true },
      { grouped: true },
      { parentId: tee.id },
      { sort: 'name', desc: true },
      { groupId: wine.id },
      { tracking: 'LOT' },
      { limit: 2, offset: 2 },
      { search: 'zz' },
    ]) {
      await both('masterdata.products', list(q));
    }
    const skus = async (q: Record<string, unknown>) => answer<ProductListPage>(await both('masterdata.products', list(q))).rows.map((p) => p.sku);
    expect(await skus({ search: 'ol' })).toEqual(['OIL-1L']); // a name's start
    expect(await skus({ search: 'il' })).toEqual([]); // two letters: a start only
    expect(await skus({ search: 'oil' })).toEqual(['OIL-1L']); // three: anywhere
    expect(await skus({ search: 'tee', grouped: true })).toEqual(['TEE']);
    expect(await skus({ sort: 'name', desc: true, limit: 3 })).toEqual(['TEE-S', 'TEE-M', 'TEE']); // T-shirt S, T-shirt M, T-shirt

    // Stock on a product: its stock by site, delete refused; a product without movements deleted, then gone.
    tick();
    await postBoth({ idempotencyKey: 'md-ops-1', type: 'receipt', lines: [
      { productId: rice.id, siteId: wh.id, binId: binA.id, type: 'inbound', qty: 2_500, unitCost: 1_000 },
      { productId: rice.id, siteId: shop.id, type: 'inbound', qty: 700, unitCost: 1_000 },
    ] });
    tick();
    expect(answer<unknown[]>(await both('masterdata.productStock', { productId: rice.id }))).toHaveLength(2);
    await both('masterdata.product', { id: rice.id });
    expect(refused(await both('masterdata.productDelete', { id: rice.id }))).toMatchObject({ code: 'CONFLICT' });
    expect(refused(await both('masterdata.binUpdate', asBinUpdate(binA, { active: false })))).toMatchObject({ code: 'CONFLICT' });
    expect(refused(await both('masterdata.siteUpdate', asSiteUpdate(shop, { active: false })))).toMatchObject({ code: 'CONFLICT' });
    await both('masterdata.productDelete', { id: claret.id });
    expect(refused(await both('masterdata.product', { id: claret.id }))).toMatchObject({ code: 'NOT_FOUND' });
    await both('masterdata.binUpdate', asBinUpdate(binA, { name: 'Aisle 1' }));

    // History: a product's, a site's (with its bins'), a group's, a deleted product's.
    expect(answer<HistoryEntry[]>(await both('masterdata.history', { record: 'product', id: rice.id }))).toHaveLength(2);
    expect(answer<HistoryEntry[]>(await both('masterdata.history', { record: 'site', id: wh.id })).length).toBeGreaterThanOrEqual(4);
    await both('masterdata.history', { record: 'product group', id: wine.id });
    await both('masterdata.history', { record: 'product', id: claret.id });
    await both('masterdata.sites');
  });
});
