import { describe, expect, it } from 'vitest';
import { productCreateSchema } from '../../shared/contract/masterdata.schemas';
import { methods, type MethodInput } from '../../shared/contract/methods';
import type { ProductRecord } from '../../shared/masterdata';
import { suggestVariantSku, missingCombinations } from '../../shared/variants';
import { expectFieldRefusalOf } from '../../test/fixtures/refusal';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/** On the configured store (test/fixtures/store-under-test.ts): SQLite by default, PostgreSQL in `npm run test:unit:pg`. */
let s: StoreUnderTest;
let n = 0;
const key = () => `pr-test-${process.pid}-${++n}`;

storePerTest((opened) => (s = opened));

const TABLES = ['products', 'product_barcodes', 'product_sites', 'product_groups', 'audit_log'];
const all = () => s.call('masterdata.products', { search: '', includeInactive: true, limit: 500, offset: 0 });
/** A refusal: an AppError with the code, a message naming the record, the field to mark, and nothing written. */
const expectRefused = (fn: () => Promise<unknown>, code: string, field: string, pattern: RegExp) =>
  expectFieldRefusalOf(async () => [await Promise.all(TABLES.map((t) => s.count(t))), JSON.stringify([await all(), await s.call('masterdata.groups', {})])], fn, code, field, pattern);

const product = (over: Record<string, unknown> = {}) =>
  ({ sku: 'TEE', name: 'T-shirt', unit: 'ea', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null, ...over }) as MethodInput<'masterdata.productCreate'>;
const group = (over: Record<string, unknown> = {}) => ({ code: 'CLOTHES', name: 'Clothing', postOnCosts: true, ...over }) as MethodInput<'masterdata.groupCreate'>;
const asUpdate = ({ hasMovements: _m, onHand: _o, groupCode: _g, variantLabel: _l, variantCount: _c, ...fields }: ProductRecord) =>
  fields as MethodInput<'masterdata.productUpdate'>;
const byId = async (id: number) => (await all()).rows.find((p) => p.id === id)!;
const receive = (productId: number, siteId: number, binId: number | null, qty: number) =>
  s.call('operations.receive', { idempotencyKey: key(), kind: 'cash_purchase', siteId, dutyPaid: false, lines: [{ productId, qty, ...(binId === null ? {} : { binId }), unitCost: 10_000 }] });
/** The master-data audit entries after entry `since` (the fixture's own master data is audited too), oldest first. */
const audits = async (since = 0) =>
  (await s.rows<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'master-data-changed' AND id > ? ORDER BY id", [since])).map(
    (a) => JSON.parse(a.detail) as { record: string; label: string; before: unknown; after: unknown },
  );
const lastAuditId = async () => (await s.rows<{ id: number }>('SELECT COALESCE(MAX(id), 0) AS id FROM audit_log'))[0]!.id;

const SIZES_COLOURS = [
  { name: 'Size', values: ['M', 'L'] },
  { name: 'Colour', values: ['Red', 'Navy blue'] },
];
/** A T-shirt parent with sizes M, L and colours Red, Navy blue, and its four variants with suggested SKUs. */
async function teeWithVariants() {
  const parent = await s.call('masterdata.productCreate', product({ stockKeeping: false, variantAxes: SIZES_COLOURS }));
  const variants = await s.call('masterdata.variantsCreate', {
    parentId: parent.id,
    variants: missingCombinations(parent.variantAxes, []).map((values) => ({ sku: suggestVariantSku('TEE', parent.variantAxes, values), barcodes: [], values })),
  });
  return { parent, variants };
}

describe('product groups', () => {
  it('need manage:products to change and read:stock to list', () => {
    expect(methods['masterdata.groups'].permission).toBe('read:stock');
    expect(methods['masterdata.groupCreate'].permission).toBe('manage:products');
    expect(methods['masterdata.groupUpdate'].permission).toBe('manage:products');
    expect(methods['masterdata.productDelete'].permission).toBe('manage:products');
    expect(methods['masterdata.variantsCreate'].permission).toBe('manage:products');
  });

  it('are created and changed with an audit entry; "post on-costs" is the column the posting rules read', async () => {
    const since = await lastAuditId();
    const g = await s.call('masterdata.groupCreate', group());
    expect(g).toMatchObject({ code: 'CLOTHES', name: 'Clothing', postOnCosts: true, active: true, productCount: 0 });
    const p = await s.call('masterdata.productCreate', product({ groupId: g.id }));
    expect(p).toMatchObject({ groupId: g.id, groupCode: 'CLOTHES' });
    const changed = await s.call('masterdata.groupUpdate', { id: g.id, code: 'APPAREL', name: 'Apparel', postOnCosts: false, active: false });
    expect(changed).toMatchObject({ code: 'APPAREL', postOnCosts: false, active: false, productCount: 1 });
    expect(await s.rows('SELECT g.post_on_costs AS grp FROM products p LEFT JOIN product_groups g ON g.id = p.group_id WHERE p.id = ?', [p.id])).toEqual([{ grp: 0 }]);
    expect((await s.call('masterdata.groups', {})).map((x) => x.code)).toEqual(['APPAREL', 'WINE']);
    expect((await audits(since)).filter((a) => a.record === 'product group').map((a) => [a.label, (a.before as { code?: string } | null)?.code ?? null])).toEqual([
      ['CLOTHES', null],
      ['APPAREL', 'CLOTHES'],
    ]);
    // A product already in an inactive group keeps it on save.
    expect((await s.call('masterdata.productUpdate', { ...asUpdate(await byId(p.id)), name: 'Tee' })).groupId).toBe(g.id);
  });

  it('refuse a duplicate code or name in any case', async () => {
    await s.call('masterdata.groupCreate', group());
    await expectRefused(() => s.call('masterdata.groupCreate', group({ code: 'wine', name: 'Other' })), 'CONFLICT', 'code', /Another product group already has the code wine/);
    await expectRefused(() => s.call('masterdata.groupCreate', group({ code: 'SHIRTS', name: 'CLOTHING' })), 'CONFLICT', 'name', /Another product group is already called CLOTHING/);
    const g = (await s.call('masterdata.groups', {})).find((x) => x.code === 'CLOTHES')!;
    await expectRefused(() => s.call('masterdata.groupUpdate', { id: g.id, code: 'WINE', name: 'Clothing', postOnCosts: true, active: true }), 'CONFLICT', 'code', /already has the code WINE/);
  });

  it('refuse putting a product in a missing or inactive group, naming the product', async () => {
    const g = await s.call('masterdata.groupCreate', group({ active: false }));
    await expectRefused(() => s.call('masterdata.productCreate', product({ groupId: g.id })), 'VALIDATION', 'groupId', /Product group CLOTHES is inactive, so TEE cannot be put in it/);
    await expectRefused(() => s.call('masterdata.productCreate', product({ groupId: 999 })), 'NOT_FOUND', 'groupId', /product group chosen for TEE no longer exists/);
  });
});

describe('country of origin', () => {
  it('takes an ISO 3166-1 alpha-2 code in any case, stored upper case', async () => {
    expect((await s.call('masterdata.productCreate', product({ countryOfOrigin: 'it' }))).countryOfOrigin).toBe('IT');
  });
  it('refuses a code not in the list, naming the field', () => {
    for (const bad of ['XX', 'GBR', 'UK']) {
      const r = productCreateSchema.safeParse({ ...product(), countryOfOrigin: bad });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]).toMatchObject({ path: ['countryOfOrigin'], message: expect.stringMatching(/two-letter ISO 3166 country code/) });
    }
  });
});

describe('per-site settings', () => {
  it('hold a low-stock level and a default bin per site; the low-stock enquiry uses the site level, else the product level', async () => {
    const rice = await byId(s.ids.bulk); // product-wide low-stock level 5.000 kg
    await receive(rice.id, s.ids.wh, s.ids.binA, 3000);
    await receive(rice.id, s.ids.shop, null, 3000);
    const low = async () =>
      (await s.call('stock.current', { status: 'low', limit: 50, offset: 0, sort: 'sku', direction: 'asc', search: 'RICE' })).rows.map((r) => [r.siteCode, r.lowStockLevel]);
    expect(await low()).toEqual([
      ['BAR', 5000],
      ['WH1', 5000],
    ]);
    const saved = await s.call('masterdata.productUpdate', {
      ...asUpdate(await byId(rice.id)),
      sites: [
        { siteId: s.ids.shop, lowStockLevel: 2000, defaultBinId: null },
        { siteId: s.ids.wh, lowStockLevel: null, defaultBinId: s.ids.binB },
      ],
    });
    expect(saved.sites).toEqual([
      { siteId: s.ids.wh, lowStockLevel: null, defaultBinId: s.ids.binB },
      { siteId: s.ids.shop, lowStockLevel: 2000, defaultBinId: null },
    ]);
    // 3 kg at the bar is above its own 2 kg level; the warehouse still uses the product's 5 kg.
    expect(await low()).toEqual([['WH1', 5000]]);
    // The Receive form's product search carries the default bin per site, to preselect it.
    expect((await s.call('operations.products', { search: 'RICE-1KG', limit: 5 }))[0]).toMatchObject({ sku: 'RICE-1KG', defaultBins: { [s.ids.wh]: s.ids.binB } });
    expect((await s.call('operations.products', { search: '', limit: 50 })).find((p) => p.sku === 'RICE-1KG')?.defaultBins).toEqual({ [s.ids.wh]: s.ids.binB });
    expect((await s.call('operations.products', { search: 'CLARET', limit: 5 }))[0]).not.toHaveProperty('defaultBins');
    // A site with neither a level nor a bin keeps no row.
    await s.call('masterdata.productUpdate', { ...asUpdate(await byId(rice.id)), sites: [{ siteId: s.ids.shop, lowStockLevel: null, defaultBinId: null }] });
    expect(await s.count('product_sites')).toBe(0);
  });

  it('refuse a bin of another site, an inactive bin, the External site and a site listed twice', async () => {
    const shopBin = await s.call('masterdata.binCreate', { siteId: s.ids.shop, code: 'CELLAR', name: '', stockStatus: 'sellable', active: true });
    await s.call('masterdata.binUpdate', { id: s.ids.binB, code: 'B-01', name: 'B-01', stockStatus: 'sellable', active: false });
    const at = (sites: unknown[]) => () => s.call('masterdata.productCreate', product({ sites }));
    await expectRefused(at([{ siteId: s.ids.wh, lowStockLevel: null, defaultBinId: shopBin.id }]), 'VALIDATION', 'sites', /default bin of TEE at Central Warehouse is not a bin of Central Warehouse/);
    await expectRefused(at([{ siteId: s.ids.wh, lowStockLevel: null, defaultBinId: s.ids.binB }]), 'VALIDATION', 'sites', /Bin B-01 at Central Warehouse is inactive, so it cannot be the default bin of TEE/);
    await expectRefused(at([{ siteId: s.ids.external, lowStockLevel: 1, defaultBinId: null }]), 'VALIDATION', 'sites', /TEE cannot have a low-stock level or bin at the External site/);
    await expectRefused(
      at([
        { siteId: s.ids.wh, lowStockLevel: 1, defaultBinId: null },
        { siteId: s.ids.wh, lowStockLevel: 2, defaultBinId: null },
      ]),
      'VALIDATION',
      'sites',
      /Central Warehouse is listed twice in the per-site settings of TEE/,
    );
    await expectRefused(at([{ siteId: 999, lowStockLevel: 1, defaultBinId: null }]), 'NOT_FOUND', 'sites', /A site in the per-site settings of TEE no longer exists/);
  });
});

describe('delete', () => {
  it('removes a product that never moved, with its barcodes and per-site settings, and audits it', async () => {
    const p = await s.call('masterdata.productCreate', product({ barcodes: ['4006381333931'], sites: [{ siteId: s.ids.wh, lowStockLevel: 5, defaultBinId: s.ids.binA }] }));
    expect(await s.call('masterdata.productDelete', { id: p.id })).toEqual({ id: p.id, sku: 'TEE' });
    expect((await all()).rows.map((r) => r.sku)).not.toContain('TEE');
    expect([await s.count('product_barcodes'), await s.count('product_sites')]).toEqual([0, 0]);
    expect((await audits()).at(-1)).toMatchObject({ record: 'product', label: 'TEE', before: { sku: 'TEE' }, after: null });
    // Its SKU and barcode are free again.
    expect((await s.call('masterdata.productCreate', product({ barcodes: ['4006381333931'] }))).sku).toBe('TEE');
  });

  it('refuses a product with movements (deactivate instead), a recipe component and a parent with variants', async () => {
    const p = await s.call('masterdata.productCreate', product());
    await receive(p.id, s.ids.wh, s.ids.binA, 1);
    await expectRefused(() => s.call('masterdata.productDelete', { id: p.id }), 'CONFLICT', 'id', /TEE has movements, so it can never be deleted.*Deactivate it instead/);
    await expectRefused(() => s.call('masterdata.productDelete', { id: s.ids.bulk }), 'CONFLICT', 'id', /RICE-1KG is a component of recipe RISOTTO/);
    await s.call('masterdata.productUpdate', { ...asUpdate(await byId(p.id)), sku: 'TEE-OLD', active: false });
    const { parent } = await teeWithVariants();
    await expectRefused(() => s.call('masterdata.productDelete', { id: parent.id }), 'CONFLICT', 'id', /TEE has 4 variants. Delete its variants first/);
    await expectRefused(() => s.call('masterdata.productDelete', { id: 999 }), 'NOT_FOUND', 'id', /no longer exists/);
  });
});

describe('variants', () => {
  it('a parent with 2×2 attributes gets four stock-kept variants with their own SKUs; the ledger moves them, not the parent', async () => {
    const { parent, variants } = await teeWithVariants();
    expect(variants.map((v) => [v.sku, v.variantLabel, v.name, v.stockKeeping, v.parentId])).toEqual([
      ['TEE-M-RED', 'M / Red', 'T-shirt M / Red', true, parent.id],
      ['TEE-M-NAVYBLUE', 'M / Navy blue', 'T-shirt M / Navy blue', true, parent.id],
      ['TEE-L-RED', 'L / Red', 'T-shirt L / Red', true, parent.id],
      ['TEE-L-NAVYBLUE', 'L / Navy blue', 'T-shirt L / Navy blue', true, parent.id],
    ]);
    expect(await byId(parent.id)).toMatchObject({ variantCount: 4, stockKeeping: false, variantAxes: SIZES_COLOURS });
    const siblings = async () => (await s.call('masterdata.variants', { parentId: parent.id })).map((v) => v.variantAttributes);
    expect(await siblings()).toEqual(missingCombinations(SIZES_COLOURS, []));
    expect(missingCombinations(SIZES_COLOURS, await siblings())).toEqual([]);
    expect((await receive(variants[0]!.id, s.ids.wh, s.ids.binA, 3)).movementCount).toBe(1);
    await expect(receive(parent.id, s.ids.wh, s.ids.binA, 3)).rejects.toThrow(/stock keeping is switched off for TEE/);
    // A variant's SKU and barcode can be edited; its values are kept in the parent's spelling.
    const v = await s.call('masterdata.productUpdate', { ...asUpdate(await byId(variants[1]!.id)), sku: 'TEE-M-NAVY', barcodes: ['96385074'], variantAttributes: { Size: 'm', Colour: 'NAVY BLUE' } });
    expect(v).toMatchObject({ sku: 'TEE-M-NAVY', barcodes: ['96385074'], variantAttributes: { Size: 'M', Colour: 'Navy blue' } });
    // A new value on the parent leaves two combinations to generate.
    const grown = await s.call('masterdata.productUpdate', { ...asUpdate(await byId(parent.id)), variantAxes: [{ name: 'Size', values: ['M', 'L', 'XL'] }, SIZES_COLOURS[1]!] });
    expect(missingCombinations(grown.variantAxes, await siblings())).toEqual([
      { Size: 'XL', Colour: 'Red' },
      { Size: 'XL', Colour: 'Navy blue' },
    ]);
  });

  it('refuses a parent that keeps stock, an attribute or value listed twice, and a parent that already moved', async () => {
    await expectRefused(() => s.call('masterdata.productCreate', product({ variantAxes: SIZES_COLOURS })), 'VALIDATION', 'stockKeeping', /TEE has variant attributes: its variants keep the stock/);
    const twice = [{ name: 'Size', values: ['M'] }, { name: 'size', values: ['L'] }];
    await expectRefused(() => s.call('masterdata.productCreate', product({ stockKeeping: false, variantAxes: twice })), 'VALIDATION', 'variantAxes', /TEE lists the attribute size twice/);
    await expectRefused(() => s.call('masterdata.productCreate', product({ stockKeeping: false, variantAxes: [{ name: 'Size', values: ['M', 'm'] }] })), 'VALIDATION', 'variantAxes', /TEE lists the value m of Size twice/);
    const moved = await s.call('masterdata.productCreate', product());
    await receive(moved.id, s.ids.wh, s.ids.binA, 1);
    await s.call('operations.writeOff', { idempotencyKey: key(), kind: 'clear', siteId: s.ids.wh, reason: 'obsolete', lines: [{ productId: moved.id, qty: 1, binId: s.ids.binA }] });
    await expectRefused(
      async () => s.call('masterdata.productUpdate', { ...asUpdate(await byId(moved.id)), stockKeeping: false, variantAxes: SIZES_COLOURS }),
      'CONFLICT',
      'variantAxes',
      /TEE already has movements, so it cannot become a variant parent/,
    );
  });

  it('refuses a combination taken by a sibling, a value the parent does not list, a missing value, all or nothing', async () => {
    const { parent } = await teeWithVariants();
    const create = (variants: { sku: string; values: Record<string, string> }[]) => () =>
      s.call('masterdata.variantsCreate', { parentId: parent.id, variants: variants.map((v) => ({ ...v, barcodes: [] })) });
    await expectRefused(
      create([{ sku: 'TEE-X1', values: { Size: 'M', Colour: 'Blue' } }]),
      'VALIDATION',
      'variants.0.variantAttributes',
      /Variant 1: Colour Blue of TEE-X1 is not one of the values of TEE \(Red, Navy blue\)/,
    );
    await expectRefused(create([{ sku: 'TEE-X1', values: { Size: 'M' } }]), 'VALIDATION', 'variants.0.variantAttributes', /TEE-X1 needs a value for Colour, one of Red, Navy blue/);
    await expectRefused(create([{ sku: 'TEE-X1', values: { Size: 'M', Colour: 'Red', Fit: 'Slim' } }]), 'VALIDATION', 'variants.0.variantAttributes', /TEE-X1 has a value for Fit, which is not an attribute of TEE/);
    // The second row repeats a combination: the first row is not written either.
    await s.call('masterdata.productUpdate', { ...asUpdate(await byId(parent.id)), variantAxes: [{ name: 'Size', values: ['M', 'L', 'XL'] }, SIZES_COLOURS[1]!] });
    await expectRefused(
      create([
        { sku: 'TEE-XL-RED', values: { Size: 'XL', Colour: 'Red' } },
        { sku: 'TEE-M-RED-2', values: { Size: 'm', Colour: 'red' } },
      ]),
      'CONFLICT',
      'variants.1.variantAttributes',
      /Variant 2: TEE-M-RED is already the M \/ Red variant of TEE, so TEE-M-RED-2 cannot be too/,
    );
    await expectRefused(create([{ sku: 'tee-l-red', values: { Size: 'XL', Colour: 'Red' } }]), 'CONFLICT', 'variants.0.sku', /Another product already has the SKU tee-l-red/);
  });

  it('refuses parent changes that would orphan variants, and variants that nest or change parent', async () => {
    const { parent, variants } = await teeWithVariants();
    const p = asUpdate(await byId(parent.id));
    const update = (input: MethodInput<'masterdata.productUpdate'>) => () => s.call('masterdata.productUpdate', input);
    await expectRefused(
      update({ ...p, variantAxes: [{ name: 'Size', values: ['M'] }, SIZES_COLOURS[1]!] }),
      'CONFLICT',
      'variantAxes',
      /Variant TEE-L-RED of TEE is L \/ Red, which these attributes no longer allow/,
    );
    await expectRefused(update({ ...p, variantAxes: [SIZES_COLOURS[0]!] }), 'CONFLICT', 'variantAxes', /Variant TEE-M-RED of TEE is M \/ Red, which these attributes no longer allow/);
    await expectRefused(update({ ...p, variantAxes: [], stockKeeping: true }), 'CONFLICT', 'variantAxes', /TEE has 4 variants, so it keeps its attributes/);
    await expectRefused(update({ ...p, stockKeeping: true }), 'VALIDATION', 'stockKeeping', /its variants keep the stock/);
    const v = asUpdate(await byId(variants[0]!.id));
    await expectRefused(update({ ...v, stockKeeping: false, variantAxes: SIZES_COLOURS }), 'VALIDATION', 'variantAxes', /TEE-M-RED is a variant of another product, so it cannot have variants of its own/);
    await expectRefused(update({ ...v, parentId: null }), 'CONFLICT', 'parentId', /TEE-M-RED cannot move away from its variant parent/);
    await expectRefused(update({ ...v, variantAttributes: { Size: 'L', Colour: 'Red' } }), 'CONFLICT', 'variantAttributes', /TEE-L-RED is already the L \/ Red variant of TEE/);
    await expectRefused(
      () => s.call('masterdata.variantsCreate', { parentId: s.ids.bulk, variants: [{ sku: 'R-1', barcodes: [], values: {} }] }),
      'VALIDATION',
      'variants.0.parentId',
      /RICE-1KG has no variant attributes, so R-1 cannot be its variant/,
    );
  });
});
