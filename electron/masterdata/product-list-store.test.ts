import { describe, expect, it } from 'vitest';
import { productCreateSchema, productUpdateSchema, productsListSchema } from '../../shared/contract/masterdata.schemas';
import type { Fixture } from '../../test/fixtures/ledger';
import type { OperationsOps } from '../operations/operations.ops';
import type { MasterDataOps } from './masterdata.ops';
import { asUser } from '../../test/fixtures/caller';
import { masterOpsPerTest } from '../../test/fixtures/master-ops';

let f: Fixture;
let md: MasterDataOps;
let ops: OperationsOps;
let n = 0;

masterOpsPerTest((o) => ({ f, md, ops } = o));

const add = (sku: string, name: string, over: Record<string, unknown> = {}) =>
  md['masterdata.productCreate'](productCreateSchema.parse({ sku, name, unit: 'ea', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null, ...over }), asUser(f.ids.admin));
const fieldsOf = (id: number) => {
  const { hasMovements: _m, onHand: _o, groupCode: _g, variantLabel: _l, variantCount: _c, ...fields } = md['masterdata.product']({ id });
  return fields;
};
/** The SKUs of the first page for a list query as the window sends it (defaults applied by the contract schema). */
const skus = (q: Record<string, unknown> = {}) => md['masterdata.products'](productsListSchema.parse(q)).rows.map((r) => r.sku);
const total = (q: Record<string, unknown> = {}) => md['masterdata.products'](productsListSchema.parse(q)).total;

describe('products list', () => {
  it('lists every product by SKU (any case) with the total, and pages through them without gaps or repeats', () => {
    add('apple-1', 'Apple');
    add('Banana-1', 'Banana');
    expect(skus()).toEqual(['apple-1', 'Banana-1', 'CLARET-75', 'RICE-1KG', 'RISOTTO', 'SERVICE', 'TAP-01']);
    expect(total()).toBe(7);
    expect(skus({ search: 'e-1' })).toEqual(['apple-1', 'RICE-1KG']); // a search sorts its matches the same way
    const pages = [0, 3, 6].map((offset) => skus({ limit: 3, offset }));
    expect(pages).toEqual([['apple-1', 'Banana-1', 'CLARET-75'], ['RICE-1KG', 'RISOTTO', 'SERVICE'], ['TAP-01']]);
    expect(md['masterdata.products'](productsListSchema.parse({ limit: 3, offset: 3 })).total).toBe(7);
  });

  it('sorts by name, either way, ties kept in a stable order', () => {
    add('Z-1', 'Apple');
    add('A-1', 'apple');
    expect(skus({ sort: 'name' })).toEqual(['Z-1', 'A-1', 'RICE-1KG', 'TAP-01', 'CLARET-75', 'SERVICE', 'RISOTTO']);
    expect(skus({ sort: 'name', desc: true })).toEqual(['RISOTTO', 'SERVICE', 'CLARET-75', 'TAP-01', 'RICE-1KG', 'A-1', 'Z-1']);
    expect(skus({ sort: 'sku', desc: true })[0]).toBe('Z-1');
  });

  it('searches SKU and name anywhere (any case) and a barcode exactly', () => {
    add('FLOUR-00', 'Flour 00', { barcodes: ['4006381333931'] });
    expect(skus({ search: 'flour' })).toEqual(['FLOUR-00']);
    expect(skus({ search: 'our-0' })).toEqual(['FLOUR-00']);
    expect(skus({ search: 'claret 2019' })).toEqual(['CLARET-75']);
    expect(skus({ search: '  4006381333931 ' })).toEqual(['FLOUR-00']);
    expect(skus({ search: '400638133393' })).toEqual([]); // part of a barcode is no match
    expect(total({ search: 'nothing like it' })).toBe(0);
  });

  it('takes % and _ in a search as the characters themselves, not wildcards', () => {
    add('PCT-1', 'Discount 50% off');
    add('UND-1', 'Snake_case name');
    add('BSL-1', 'Back\\slash');
    expect(skus({ search: '50%' })).toEqual(['PCT-1']);
    expect(skus({ search: '0% o' })).toEqual(['PCT-1']);
    expect(skus({ search: 'e_c' })).toEqual(['UND-1']);
    expect(skus({ search: 'k\\s' })).toEqual(['BSL-1']);
    expect(skus({ search: 'T-_' })).toEqual([]);
    expect(skus({ search: '%' })).toEqual([]); // short terms are prefixes: no name starts with %
    expect(skus({ search: 'Sn' })).toEqual(['UND-1']);
  });

  it('a search of three characters or more finds SKU, name or supplier code anywhere, any case, through the trigram index', () => {
    add('FL-00', 'Flour "Tipo" 00');
    add('SALT-1', 'Sea Salt OR NOT');
    expect(skus({ search: 'ipo' })).toEqual(['FL-00']);
    expect(skus({ search: '"tipo"' })).toEqual(['FL-00']); // quotes are characters, not query syntax
    expect(skus({ search: 'salt or not' })).toEqual(['SALT-1']); // OR, NOT are words, not operators
    expect(skus({ search: 'alt*' })).toEqual([]);
    expect(skus({ search: 'LT-' })).toEqual(['SALT-1']);
    const plan = f.ledger.db.prepare(`EXPLAIN QUERY PLAN SELECT rowid FROM products_fts WHERE products_fts MATCH '"ipo"'`).all() as { detail: string }[];
    expect(plan.map((r) => r.detail).join()).toMatch(/VIRTUAL TABLE INDEX/);
  });

  it('a search of one or two characters finds SKUs and names that start with it (any case), and a barcode exactly', () => {
    add('AB-1', 'Zebra');
    add('ZZ-1', 'abacus');
    add('XY-1', 'Crab', { barcodes: ['96385074'] });
    expect(skus({ search: 'ab' })).toEqual(['AB-1', 'ZZ-1']); // Crab holds "ab" but does not start with it
    expect(skus({ search: 'a' })).toEqual(['AB-1', 'RICE-1KG', 'ZZ-1']); // Arborio rice
    expect(skus({ search: 'R' })).toEqual(['RICE-1KG', 'RISOTTO']);
    expect(total({ search: 'ri', stockType: 'Recipe' })).toBe(1);
  });

  it('the search index follows every insert, change and delete of a product and of its supplier codes', () => {
    const db = f.ledger.db;
    const p = add('NEW-1', 'Gadget');
    expect(skus({ search: 'adge' })).toEqual(['NEW-1']);
    md['masterdata.productUpdate'](productUpdateSchema.parse({ ...fieldsOf(p.id), name: 'Widget' }), asUser(f.ids.admin));
    expect(skus({ search: 'adge' })).toEqual([]);
    expect(skus({ search: 'idge' })).toEqual(['NEW-1']);
    const supplier = Number(db.prepare("INSERT INTO suppliers (code, name, country) VALUES ('ACME', 'Acme', 'GB')").run().lastInsertRowid);
    const code = Number(db.prepare('INSERT INTO product_supplier_codes (product_id, supplier_id, supplier_code) VALUES (?, ?, ?)').run(p.id, supplier, 'AC-99871').lastInsertRowid);
    expect(skus({ search: '99871' })).toEqual(['NEW-1']);
    db.prepare("UPDATE product_supplier_codes SET supplier_code = 'AC-55512' WHERE id = ?").run(code);
    expect(skus({ search: '99871' })).toEqual([]);
    expect(skus({ search: 'c-555' })).toEqual(['NEW-1']);
    db.prepare('DELETE FROM product_supplier_codes WHERE id = ?').run(code);
    expect(skus({ search: 'c-555' })).toEqual([]);
    expect(skus({ search: 'idge' })).toEqual(['NEW-1']);
    md['masterdata.productDelete']({ id: p.id }, asUser(f.ids.admin));
    expect(skus({ search: 'idge' })).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) FROM products_fts').pluck().get()).toBe(db.prepare('SELECT COUNT(*) FROM products').pluck().get());
  });

  it('past 10,000 matches the total stops counting at "10,000+", and the page is the same whichever way it is found', () => {
    const db = f.ledger.db;
    const insert = db.prepare("INSERT INTO products (sku, name, stock_type, created_at, active) VALUES (?, ?, 'Supplied', 0, ?)");
    db.transaction(() => {
      for (let i = 0; i < 10_050; i++) insert.run(`BULK-${String(i).padStart(5, '0')}`, i % 2 ? `Odd ${i}` : `Even ${i}`, i % 1000 ? 1 : 0);
    })();
    const page = (q: Record<string, unknown>) => md['masterdata.products'](productsListSchema.parse(q));
    expect(page({})).toMatchObject({ total: 10_000, totalCapped: true });
    expect(page({ search: 'bulk' })).toMatchObject({ total: 10_000, totalCapped: true }); // dense: walks the SKU order
    expect(page({ search: 'bulk' }).rows.slice(0, 2).map((r) => r.sku)).toEqual(['BULK-00000', 'BULK-00001']);
    expect(page({ search: 'bu' }).rows.slice(0, 2).map((r) => r.sku)).toEqual(['BULK-00000', 'BULK-00001']);
    expect(page({ search: 'bulk', sort: 'name', desc: true }).rows[0]!.name).toBe('Odd 9999');
    expect(page({ search: 'even' })).toMatchObject({ total: 5_025, totalCapped: false }); // few: sorted candidates
    expect(page({ search: 'odd 1', limit: 3, sort: 'name' }).rows.map((r) => r.name)).toEqual(['Odd 1', 'Odd 10001', 'Odd 10003']);
    expect(page({ search: 'bulk', active: false })).toMatchObject({ total: 11, totalCapped: false });
    expect(page({ search: 'bulk', active: false, limit: 2, offset: 10 }).rows.map((r) => r.sku)).toEqual(['BULK-10000']);
    // the two ways agree: the dense walk (search 'bulk-') and the candidates' sort (search 'ulk-0', fewer) on the same rows
    const dense = page({ search: 'bulk-0', limit: 500 }).rows.map((r) => r.sku);
    const sparse = page({ search: 'ulk-0', limit: 500 }).rows.map((r) => r.sku);
    expect(dense).toEqual(sparse);
  });

  it('grouped: top-level products only, a parent brought in by a matching variant, and its matching variants listed under it', () => {
    const parent = add('TEE', 'Cotton tee', { stockKeeping: false, variantAxes: [{ name: 'Size', values: ['M', 'L', 'XL'] }] });
    const variants = md['masterdata.variantsCreate']({ parentId: parent.id, variants: ['M', 'L', 'XL'].map((size) => ({ sku: `TEE-${size}`, barcodes: size === 'XL' ? ['96385074'] : [], values: { Size: size } })) }, asUser(f.ids.admin));
    const xl = variants.find((v) => v.sku === 'TEE-XL')!;
    md['masterdata.productUpdate'](productUpdateSchema.parse({ ...fieldsOf(xl.id), tracking: 'LOT' }), asUser(f.ids.admin));
    const grouped = (q: Record<string, unknown> = {}) => skus({ ...q, grouped: true });
    const under = (q: Record<string, unknown> = {}) => skus({ ...q, parentId: parent.id });
    expect(grouped()).toEqual(['CLARET-75', 'RICE-1KG', 'RISOTTO', 'SERVICE', 'TAP-01', 'TEE']);
    expect(skus()).toContain('TEE-M'); // ungrouped: every product
    expect(md['masterdata.products'](productsListSchema.parse({ grouped: true })).total).toBe(6);
    expect(under()).toEqual(['TEE-L', 'TEE-M', 'TEE-XL']);
    expect(under({ sort: 'sku', desc: true })).toEqual(['TEE-XL', 'TEE-M', 'TEE-L']);
    // a search or filter that matches only a variant brings its parent, with only that variant under it
    expect(grouped({ search: 'tee-x' })).toEqual(['TEE']);
    expect(under({ search: 'tee-x' })).toEqual(['TEE-XL']);
    expect(grouped({ search: '96385074' })).toEqual(['TEE']);
    expect(grouped({ search: 'TE' })).toEqual(['TEE']); // a short term: the SKU prefix of parent and variants
    expect(grouped({ tracking: 'LOT' })).toEqual(['CLARET-75', 'TEE']);
    expect(under({ tracking: 'LOT' })).toEqual(['TEE-XL']);
    expect(grouped({ tracking: 'LOT', search: 'claret' })).toEqual(['CLARET-75']);
    // a search matching the parent lists it with the variants that match too
    expect(grouped({ search: 'cotton' })).toEqual(['TEE']);
    expect(under({ search: 'cotton' })).toEqual(['TEE-L', 'TEE-M', 'TEE-XL']); // variants carry the parent's name
  });

  it('filters by stock type, tracking, stock keeping, group and active or inactive, alone and together', () => {
    const off = add('OFF-1', 'Old line', { active: false, stockKeeping: false });
    const wine = f.ledger.db.prepare("SELECT id FROM product_groups WHERE code = 'WINE'").pluck().get() as number;
    expect(skus({ stockType: 'Recipe' })).toEqual(['RISOTTO']);
    expect(skus({ tracking: 'LOT' })).toEqual(['CLARET-75']);
    expect(skus({ tracking: 'SERIAL', stockType: 'Supplied' })).toEqual(['TAP-01']);
    expect(skus({ stockKeeping: false })).toEqual([off.sku]);
    expect(skus({ groupId: wine })).toEqual(['CLARET-75', 'RICE-1KG']);
    expect(skus({ active: false })).toEqual(['OFF-1']);
    expect(skus({ active: true })).not.toContain('OFF-1');
    expect(skus({ includeInactive: false })).not.toContain('OFF-1');
    expect(skus({ active: false, includeInactive: false })).toEqual(['OFF-1']); // the explicit filter wins
    expect(total({ groupId: wine, search: 'rice' })).toBe(1);
    expect(total({ groupId: 999_999 })).toBe(0);
  });

  it('rows are the full product records, with on-hand stock summed over sites and bins', () => {
    ops['operations.receive']({ idempotencyKey: `pl-${process.pid}-${++n}`, kind: 'cash_purchase', siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.bulk, qty: 1500, binId: f.ids.binA, unitCost: 10_000 }] }, asUser(f.ids.admin));
    const rice = md['masterdata.products'](productsListSchema.parse({ search: 'RICE-1KG' })).rows[0]!;
    expect(rice).toEqual(md['masterdata.product']({ id: f.ids.bulk }));
    expect(rice).toMatchObject({ sku: 'RICE-1KG', unit: 'kg', scale: 3, onHand: 1500, hasMovements: true });
  });

  it('the contract refuses an unknown filter value with a message that names it', () => {
    const r = productsListSchema.safeParse({ tracking: 'BARCODE' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/tracking must be BULK, LOT, SERIAL or RFID/);
    expect(productsListSchema.safeParse({ sort: 'price' }).success).toBe(false);
  });
});

describe('product details', () => {
  it('stock per real site and bin, batches summed, zero lines left out', () => {
    const receive = (productId: number, siteId: number, binId: number | null, qty: number, batch?: string) =>
      ops['operations.receive']({
          idempotencyKey: `pl-${process.pid}-${++n}`,
          kind: 'cash_purchase',
          siteId,
          dutyPaid: false,
          lines: [{ productId, qty, ...(binId === null ? {} : { binId }), unitCost: 10_000, ...(batch ? { batch: { code: batch, expiry: '2030-01-31' } } : {}) }],
        }, asUser(f.ids.admin));
    receive(f.ids.bulk, f.ids.wh, f.ids.binA, 2500);
    receive(f.ids.bulk, f.ids.wh, f.ids.binB, 750);
    receive(f.ids.bulk, f.ids.shop, null, 125);
    receive(f.ids.lot, f.ids.wh, f.ids.binA, 6, 'L1');
    receive(f.ids.lot, f.ids.wh, f.ids.binA, 4, 'L2');
    expect(md['masterdata.productStock']({ productId: f.ids.bulk }).map((s) => [s.siteName, s.binCode, s.qty])).toEqual([
      ['Central Warehouse', 'A-01', 2500],
      ['Central Warehouse', 'B-01', 750],
      ['Soho Bar', null, 125],
    ]);
    expect(md['masterdata.productStock']({ productId: f.ids.lot }).map((s) => [s.siteCode, s.binCode, s.qty])).toEqual([['WH1', 'A-01', 10]]);
    expect(md['masterdata.productStock']({ productId: f.ids.other })).toEqual([]);
  });

  it('reading a product that does not exist says so, without internal names', () => {
    expect(() => md['masterdata.product']({ id: 999_999 })).toThrow(/That product no longer exists. Reload the list./);
  });

  it('offers the product groups for the filter, by name', () => {
    expect(md['masterdata.groups']().map((g) => g.name)).toEqual(['Wine']);
  });
});
