import { describe, expect, it } from 'vitest';
import { productsListSchema } from '../../shared/contract/masterdata.schemas';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/** The Products window's list and details, on the configured store (SQLite or PostgreSQL, issue 17), through the contract. */
let s: StoreUnderTest;
let n = 0;

storePerTest((opened) => (s = opened));

const add = (sku: string, name: string, over: Record<string, unknown> = {}) =>
  s.call('masterdata.productCreate', { sku, name, unit: 'ea', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null, ...over });
const fieldsOf = async (id: number) => {
  const { hasMovements: _m, onHand: _o, groupCode: _g, variantLabel: _l, variantCount: _c, ...fields } = await s.call('masterdata.product', { id });
  return fields;
};
/** One page for a list query as the window sends it (defaults applied by the contract schema). */
const page = (q: Record<string, unknown> = {}) => s.call('masterdata.products', q);
/** The SKUs of the first page for a list query. */
const skus = async (q: Record<string, unknown> = {}) => (await page(q)).rows.map((r) => r.sku);
const total = async (q: Record<string, unknown> = {}) => (await page(q)).total;

describe('products list', () => {
  it('lists every product by SKU (any case) with the total, and pages through them without gaps or repeats', async () => {
    await add('apple-1', 'Apple');
    await add('Banana-1', 'Banana');
    expect(await skus()).toEqual(['apple-1', 'Banana-1', 'CLARET-75', 'RICE-1KG', 'RISOTTO', 'SERVICE', 'TAP-01']);
    expect(await total()).toBe(7);
    expect(await skus({ search: 'e-1' })).toEqual(['apple-1', 'RICE-1KG']); // a search sorts its matches the same way
    const pages = await Promise.all([0, 3, 6].map((offset) => skus({ limit: 3, offset })));
    expect(pages).toEqual([['apple-1', 'Banana-1', 'CLARET-75'], ['RICE-1KG', 'RISOTTO', 'SERVICE'], ['TAP-01']]);
    expect((await page({ limit: 3, offset: 3 })).total).toBe(7);
  });

  it('sorts by name, either way, ties kept in a stable order', async () => {
    await add('Z-1', 'Apple');
    await add('A-1', 'apple');
    expect(await skus({ sort: 'name' })).toEqual(['Z-1', 'A-1', 'RICE-1KG', 'TAP-01', 'CLARET-75', 'SERVICE', 'RISOTTO']);
    expect(await skus({ sort: 'name', desc: true })).toEqual(['RISOTTO', 'SERVICE', 'CLARET-75', 'TAP-01', 'RICE-1KG', 'A-1', 'Z-1']);
    expect((await skus({ sort: 'sku', desc: true }))[0]).toBe('Z-1');
  });

  it('searches SKU and name anywhere (any case) and a barcode exactly', async () => {
    await add('FLOUR-00', 'Flour 00', { barcodes: ['4006381333931'] });
    expect(await skus({ search: 'flour' })).toEqual(['FLOUR-00']);
    expect(await skus({ search: 'our-0' })).toEqual(['FLOUR-00']);
    expect(await skus({ search: 'claret 2019' })).toEqual(['CLARET-75']);
    expect(await skus({ search: '  4006381333931 ' })).toEqual(['FLOUR-00']);
    expect(await skus({ search: '400638133393' })).toEqual([]); // part of a barcode is no match
    expect(await total({ search: 'nothing like it' })).toBe(0);
  });

  it('takes % and _ in a search as the characters themselves, not wildcards', async () => {
    await add('PCT-1', 'Discount 50% off');
    await add('UND-1', 'Snake_case name');
    await add('BSL-1', 'Back\\slash');
    expect(await skus({ search: '50%' })).toEqual(['PCT-1']);
    expect(await skus({ search: '0% o' })).toEqual(['PCT-1']);
    expect(await skus({ search: 'e_c' })).toEqual(['UND-1']);
    expect(await skus({ search: 'k\\s' })).toEqual(['BSL-1']);
    expect(await skus({ search: 'T-_' })).toEqual([]);
    expect(await skus({ search: '%' })).toEqual([]); // short terms are prefixes: no name starts with %
    expect(await skus({ search: 'Sn' })).toEqual(['UND-1']);
  });

  it('a search of three characters or more finds SKU, name or supplier code anywhere, any case (on SQLite through the trigram index)', async () => {
    await add('FL-00', 'Flour "Tipo" 00');
    await add('SALT-1', 'Sea Salt OR NOT');
    expect(await skus({ search: 'ipo' })).toEqual(['FL-00']);
    expect(await skus({ search: '"tipo"' })).toEqual(['FL-00']); // quotes are characters, not query syntax
    expect(await skus({ search: 'salt or not' })).toEqual(['SALT-1']); // OR, NOT are words, not operators
    expect(await skus({ search: 'alt*' })).toEqual([]);
    expect(await skus({ search: 'LT-' })).toEqual(['SALT-1']);
    // PostgreSQL reads the products table (pg-product-list-store.ts: no trigram index there)
    if (s.store === 'sqlite') {
      const plan = await s.rows<{ detail: string }>(`EXPLAIN QUERY PLAN SELECT rowid FROM products_fts WHERE products_fts MATCH '"ipo"'`);
      expect(plan.map((r) => r.detail).join()).toMatch(/VIRTUAL TABLE INDEX/);
    }
  });

  it('a search of one or two characters finds SKUs and names that start with it (any case), and a barcode exactly', async () => {
    await add('AB-1', 'Zebra');
    await add('ZZ-1', 'abacus');
    await add('XY-1', 'Crab', { barcodes: ['96385074'] });
    expect(await skus({ search: 'ab' })).toEqual(['AB-1', 'ZZ-1']); // Crab holds "ab" but does not start with it
    expect(await skus({ search: 'a' })).toEqual(['AB-1', 'RICE-1KG', 'ZZ-1']); // Arborio rice
    expect(await skus({ search: 'R' })).toEqual(['RICE-1KG', 'RISOTTO']);
    expect(await total({ search: 'ri', stockType: 'Recipe' })).toBe(1);
  });

  it('a search follows every insert, change and delete of a product and of its supplier codes', async () => {
    const p = await add('NEW-1', 'Gadget');
    expect(await skus({ search: 'adge' })).toEqual(['NEW-1']);
    await s.call('masterdata.productUpdate', { ...(await fieldsOf(p.id)), name: 'Widget' });
    expect(await skus({ search: 'adge' })).toEqual([]);
    expect(await skus({ search: 'idge' })).toEqual(['NEW-1']);
    const supplier = (await s.rows<{ id: number }>("INSERT INTO suppliers (code, name, country) VALUES ('ACME', 'Acme', 'GB') RETURNING id"))[0]!.id;
    const code = (await s.rows<{ id: number }>('INSERT INTO product_supplier_codes (product_id, supplier_id, supplier_code) VALUES (?, ?, ?) RETURNING id', [p.id, supplier, 'AC-99871']))[0]!.id;
    expect(await skus({ search: '99871' })).toEqual(['NEW-1']);
    await s.exec(`UPDATE product_supplier_codes SET supplier_code = 'AC-55512' WHERE id = ${code}`);
    expect(await skus({ search: '99871' })).toEqual([]);
    expect(await skus({ search: 'c-555' })).toEqual(['NEW-1']);
    await s.exec(`DELETE FROM product_supplier_codes WHERE id = ${code}`);
    expect(await skus({ search: 'c-555' })).toEqual([]);
    expect(await skus({ search: 'idge' })).toEqual(['NEW-1']);
    await s.call('masterdata.productDelete', { id: p.id });
    expect(await skus({ search: 'idge' })).toEqual([]);
    // SQLite's search index is a table of its own, kept by triggers: one row per product
    if (s.store === 'sqlite') expect(await s.count('products_fts')).toBe(await s.count('products'));
  });

  it('past 10,000 matches the total stops counting at "10,000+", and the page is the same whichever way it is found', async () => {
    // 10,050 products BULK-00000…: odd and even names, every thousandth inactive (one statement in each store's dialect)
    await s.exec(
      s.store === 'sqlite'
        ? `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 10049)
           INSERT INTO products (sku, name, stock_type, created_at, active)
           SELECT 'BULK-' || substr('0000' || i, -5), CASE WHEN i % 2 THEN 'Odd ' ELSE 'Even ' END || i, 'Supplied', 0, CASE WHEN i % 1000 THEN 1 ELSE 0 END FROM n`
        : `INSERT INTO products (sku, name, stock_type, created_at, active)
           SELECT 'BULK-' || lpad(i::text, 5, '0'), CASE WHEN i % 2 = 1 THEN 'Odd ' ELSE 'Even ' END || i, 'Supplied', 0, i % 1000 <> 0 FROM generate_series(0, 10049) AS i`,
    );
    expect(await s.count('products')).toBe(10_055);
    expect(await page({})).toMatchObject({ total: 10_000, totalCapped: true });
    expect(await page({ search: 'bulk' })).toMatchObject({ total: 10_000, totalCapped: true }); // dense: walks the SKU order
    expect((await page({ search: 'bulk' })).rows.slice(0, 2).map((r) => r.sku)).toEqual(['BULK-00000', 'BULK-00001']);
    expect((await page({ search: 'bu' })).rows.slice(0, 2).map((r) => r.sku)).toEqual(['BULK-00000', 'BULK-00001']);
    expect((await page({ search: 'bulk', sort: 'name', desc: true })).rows[0]!.name).toBe('Odd 9999');
    expect(await page({ search: 'even' })).toMatchObject({ total: 5_025, totalCapped: false }); // few: sorted candidates
    expect((await page({ search: 'odd 1', limit: 3, sort: 'name' })).rows.map((r) => r.name)).toEqual(['Odd 1', 'Odd 10001', 'Odd 10003']);
    expect(await page({ search: 'bulk', active: false })).toMatchObject({ total: 11, totalCapped: false });
    expect((await page({ search: 'bulk', active: false, limit: 2, offset: 10 })).rows.map((r) => r.sku)).toEqual(['BULK-10000']);
    // the two ways agree: the dense walk (search 'bulk-') and the candidates' sort (search 'ulk-0', fewer) on the same rows
    const dense = (await page({ search: 'bulk-0', limit: 500 })).rows.map((r) => r.sku);
    const sparse = (await page({ search: 'ulk-0', limit: 500 })).rows.map((r) => r.sku);
    expect(dense).toHaveLength(500);
    expect(dense).toEqual(sparse);
  });

  it('grouped: top-level products only, a parent brought in by a matching variant, and its matching variants listed under it', async () => {
    const parent = await add('TEE', 'Cotton tee', { stockKeeping: false, variantAxes: [{ name: 'Size', values: ['M', 'L', 'XL'] }] });
    const variants = await s.call('masterdata.variantsCreate', { parentId: parent.id, variants: ['M', 'L', 'XL'].map((size) => ({ sku: `TEE-${size}`, barcodes: size === 'XL' ? ['96385074'] : [], values: { Size: size } })) });
    const xl = variants.find((v) => v.sku === 'TEE-XL')!;
    await s.call('masterdata.productUpdate', { ...(await fieldsOf(xl.id)), tracking: 'LOT' });
    const grouped = (q: Record<string, unknown> = {}) => skus({ ...q, grouped: true });
    const under = (q: Record<string, unknown> = {}) => skus({ ...q, parentId: parent.id });
    expect(await grouped()).toEqual(['CLARET-75', 'RICE-1KG', 'RISOTTO', 'SERVICE', 'TAP-01', 'TEE']);
    expect(await skus()).toContain('TEE-M'); // ungrouped: every product
    expect(await total({ grouped: true })).toBe(6);
    expect(await under()).toEqual(['TEE-L', 'TEE-M', 'TEE-XL']);
    expect(await under({ sort: 'sku', desc: true })).toEqual(['TEE-XL', 'TEE-M', 'TEE-L']);
    // a search or filter that matches only a variant brings its parent, with only that variant under it
    expect(await grouped({ search: 'tee-x' })).toEqual(['TEE']);
    expect(await under({ search: 'tee-x' })).toEqual(['TEE-XL']);
    expect(await grouped({ search: '96385074' })).toEqual(['TEE']);
    expect(await grouped({ search: 'TE' })).toEqual(['TEE']); // a short term: the SKU prefix of parent and variants
    expect(await grouped({ tracking: 'LOT' })).toEqual(['CLARET-75', 'TEE']);
    expect(await under({ tracking: 'LOT' })).toEqual(['TEE-XL']);
    expect(await grouped({ tracking: 'LOT', search: 'claret' })).toEqual(['CLARET-75']);
    // a search matching the parent lists it with the variants that match too
    expect(await grouped({ search: 'cotton' })).toEqual(['TEE']);
    expect(await under({ search: 'cotton' })).toEqual(['TEE-L', 'TEE-M', 'TEE-XL']); // variants carry the parent's name
  });

  it('filters by stock type, tracking, stock keeping, group and active or inactive, alone and together', async () => {
    const off = await add('OFF-1', 'Old line', { active: false, stockKeeping: false });
    const wine = s.ids.group;
    expect(await skus({ stockType: 'Recipe' })).toEqual(['RISOTTO']);
    expect(await skus({ tracking: 'LOT' })).toEqual(['CLARET-75']);
    expect(await skus({ tracking: 'SERIAL', stockType: 'Supplied' })).toEqual(['TAP-01']);
    expect(await skus({ stockKeeping: false })).toEqual([off.sku, 'SERVICE']); // the fixture's Corkage (Other) keeps no stock
    expect(await skus({ groupId: wine })).toEqual(['CLARET-75', 'RICE-1KG']);
    expect(await skus({ active: false })).toEqual(['OFF-1']);
    expect(await skus({ active: true })).not.toContain('OFF-1');
    expect(await skus({ includeInactive: false })).not.toContain('OFF-1');
    expect(await skus({ active: false, includeInactive: false })).toEqual(['OFF-1']); // the explicit filter wins
    expect(await total({ groupId: wine, search: 'rice' })).toBe(1);
    expect(await total({ groupId: 999_999 })).toBe(0);
  });

  it('rows are the full product records, with on-hand stock summed over sites and bins', async () => {
    await s.call('operations.receive', { idempotencyKey: `pl-${process.pid}-${++n}`, kind: 'cash_purchase', siteId: s.ids.wh, dutyPaid: false, lines: [{ productId: s.ids.bulk, qty: 1500, binId: s.ids.binA, unitCost: 10_000 }] });
    const rice = (await page({ search: 'RICE-1KG' })).rows[0]!;
    expect(rice).toEqual(await s.call('masterdata.product', { id: s.ids.bulk }));
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
  it('stock per real site and bin, batches summed, zero lines left out', async () => {
    const receive = (productId: number, siteId: number, binId: number | null, qty: number, batch?: string) =>
      s.call('operations.receive', {
        idempotencyKey: `pl-${process.pid}-${++n}`,
        kind: 'cash_purchase',
        siteId,
        dutyPaid: false,
        lines: [{ productId, qty, ...(binId === null ? {} : { binId }), unitCost: 10_000, ...(batch ? { batch: { code: batch, expiry: '2030-01-31' } } : {}) }],
      });
    await receive(s.ids.bulk, s.ids.wh, s.ids.binA, 2500);
    await receive(s.ids.bulk, s.ids.wh, s.ids.binB, 750);
    await receive(s.ids.bulk, s.ids.shop, null, 125);
    await receive(s.ids.lot, s.ids.wh, s.ids.binA, 6, 'L1');
    await receive(s.ids.lot, s.ids.wh, s.ids.binA, 4, 'L2');
    expect((await s.call('masterdata.productStock', { productId: s.ids.bulk })).map((x) => [x.siteName, x.binCode, x.qty])).toEqual([
      ['Central Warehouse', 'A-01', 2500],
      ['Central Warehouse', 'B-01', 750],
      ['Soho Bar', null, 125],
    ]);
    expect((await s.call('masterdata.productStock', { productId: s.ids.lot })).map((x) => [x.siteCode, x.binCode, x.qty])).toEqual([['WH1', 'A-01', 10]]);
    expect(await s.call('masterdata.productStock', { productId: s.ids.other })).toEqual([]);
  });

  it('reading a product that does not exist says so, without internal names', async () => {
    await expect(s.call('masterdata.product', { id: 999_999 })).rejects.toThrow(/That product no longer exists. Reload the list./);
  });

  it('offers the product groups for the filter, by name', async () => {
    expect((await s.call('masterdata.groups', {})).map((g) => g.name)).toEqual(['Wine']);
  });
});
