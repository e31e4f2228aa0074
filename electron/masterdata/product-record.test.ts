import { describe, expect, it } from 'vitest';
import { productCreateSchema, productGroupCreateSchema } from '../../shared/contract/masterdata.schemas';
import { methods } from '../../shared/contract/methods';
import type { ProductRecord } from '../../shared/masterdata';
import { suggestVariantSku, missingCombinations } from '../../shared/variants';
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
const key = () => `pr-test-${process.pid}-${++n}`;

masterOpsPerTest((o) => ({ f, md, ops } = o));

const TABLES = ['products', 'product_barcodes', 'product_sites', 'product_groups', 'audit_log'];
const count = (table: string) => (f.ledger.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
const all = () => md['masterdata.products']({ search: '', includeInactive: true, limit: 500, offset: 0 });
/** A refusal: an AppError with the code, a message naming the record, the field to mark, and nothing written. */
const expectRefused = (fn: () => unknown, code: string, field: string, pattern: RegExp) =>
  expectFieldRefusal(() => [TABLES.map(count), JSON.stringify([all(), md['masterdata.groups']()])], fn, code, field, pattern);

const product = (over: Record<string, unknown> = {}) =>
  productCreateSchema.parse({ sku: 'TEE', name: 'T-shirt', unit: 'ea', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null, ...over });
const group = (over: Record<string, unknown> = {}) => productGroupCreateSchema.parse({ code: 'CLOTHES', name: 'Clothing', postOnCosts: true, ...over });
const asUpdate = ({ hasMovements: _m, onHand: _o, groupCode: _g, variantLabel: _l, variantCount: _c, ...fields }: ProductRecord) =>
  fields as Parameters<MasterDataOps['masterdata.productUpdate']>[0];
const byId = (id: number) => all().rows.find((p) => p.id === id)!;
const receive = (productId: number, siteId: number, binId: number | null, qty: number) =>
  ops['operations.receive']({ idempotencyKey: key(), kind: 'cash_purchase', siteId, dutyPaid: false, lines: [{ productId, qty, ...(binId === null ? {} : { binId }), unitCost: 10_000 }] }, asUser(f.ids.admin));
const audits = () =>
  (f.ledger.db.prepare("SELECT detail FROM audit_log WHERE action = 'master-data-changed' ORDER BY id").all() as { detail: string }[]).map(
    (a) => JSON.parse(a.detail) as { record: string; label: string; before: unknown; after: unknown },
  );

const SIZES_COLOURS = [
  { name: 'Size', values: ['M', 'L'] },
  { name: 'Colour', values: ['Red', 'Navy blue'] },
];
/** A T-shirt parent with sizes M, L and colours Red, Navy blue, and its four variants with suggested SKUs. */
function teeWithVariants() {
  const parent = md['masterdata.productCreate'](product({ stockKeeping: false, variantAxes: SIZES_COLOURS }), asUser(f.ids.admin));
  const variants = md['masterdata.variantsCreate']({ parentId: parent.id, variants: missingCombinations(parent.variantAxes, []).map((values) => ({ sku: suggestVariantSku('TEE', parent.variantAxes, values), barcodes: [], values })) }, asUser(f.ids.admin));
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

  it('are created and changed with an audit entry; "post on-costs" is the column the posting rules read', () => {
    const g = md['masterdata.groupCreate'](group(), asUser(f.ids.admin));
    expect(g).toMatchObject({ code: 'CLOTHES', name: 'Clothing', postOnCosts: true, active: true, productCount: 0 });
    const p = md['masterdata.productCreate'](product({ groupId: g.id }), asUser(f.ids.admin));
    expect(p).toMatchObject({ groupId: g.id, groupCode: 'CLOTHES' });
    const changed = md['masterdata.groupUpdate']({ id: g.id, code: 'APPAREL', name: 'Apparel', postOnCosts: false, active: false }, asUser(f.ids.admin));
    expect(changed).toMatchObject({ code: 'APPAREL', postOnCosts: false, active: false, productCount: 1 });
    const read = f.ledger.db.prepare('SELECT g.post_on_costs AS grp FROM products p LEFT JOIN product_groups g ON g.id = p.group_id WHERE p.id = ?');
    expect(read.get(p.id)).toEqual({ grp: 0 });
    expect(md['masterdata.groups']().map((x) => x.code)).toEqual(['APPAREL', 'WINE']);
    expect(audits().filter((a) => a.record === 'product group').map((a) => [a.label, (a.before as { code?: string } | null)?.code ?? null])).toEqual([
      ['CLOTHES', null],
      ['APPAREL', 'CLOTHES'],
    ]);
    // A product already in an inactive group keeps it on save.
    expect(md['masterdata.productUpdate']({ ...asUpdate(byId(p.id)), name: 'Tee' }, asUser(f.ids.admin)).groupId).toBe(g.id);
  });

  it('refuse a duplicate code or name in any case', () => {
    md['masterdata.groupCreate'](group(), asUser(f.ids.admin));
    expectRefused(() => md['masterdata.groupCreate'](group({ code: 'wine', name: 'Other' }), asUser(f.ids.admin)), 'CONFLICT', 'code', /Another product group already has the code wine/);
    expectRefused(() => md['masterdata.groupCreate'](group({ code: 'SHIRTS', name: 'CLOTHING' }), asUser(f.ids.admin)), 'CONFLICT', 'name', /Another product group is already called CLOTHING/);
    const g = md['masterdata.groups']().find((x) => x.code === 'CLOTHES')!;
    expectRefused(() => md['masterdata.groupUpdate']({ id: g.id, code: 'WINE', name: 'Clothing', postOnCosts: true, active: true }, asUser(f.ids.admin)), 'CONFLICT', 'code', /already has the code WINE/);
  });

  it('refuse putting a product in a missing or inactive group, naming the product', () => {
    const g = md['masterdata.groupCreate'](group({ active: false }), asUser(f.ids.admin));
    expectRefused(() => md['masterdata.productCreate'](product({ groupId: g.id }), asUser(f.ids.admin)), 'VALIDATION', 'groupId', /Product group CLOTHES is inactive, so TEE cannot be put in it/);
    expectRefused(() => md['masterdata.productCreate'](product({ groupId: 999 }), asUser(f.ids.admin)), 'NOT_FOUND', 'groupId', /product group chosen for TEE no longer exists/);
  });
});

describe('country of origin', () => {
  it('takes an ISO 3166-1 alpha-2 code in any case, stored upper case', () => {
    expect(md['masterdata.productCreate'](product({ countryOfOrigin: 'it' }), asUser(f.ids.admin)).countryOfOrigin).toBe('IT');
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
  it('hold a low-stock level and a default bin per site; the low-stock enquiry uses the site level, else the product level', () => {
    const rice = byId(f.ids.bulk); // product-wide low-stock level 5.000 kg
    receive(rice.id, f.ids.wh, f.ids.binA, 3000);
    receive(rice.id, f.ids.shop, null, 3000);
    const low = () =>
      f.ledger.queries
        .currentStock({ status: 'low', limit: 50, offset: 0, sort: 'sku', direction: 'asc', search: 'RICE' })
        .rows.map((r) => [r.siteCode, r.lowStockLevel]);
    expect(low()).toEqual([
      ['BAR', 5000],
      ['WH1', 5000],
    ]);
    const saved = md['masterdata.productUpdate']({
        ...asUpdate(byId(rice.id)),
        sites: [
          { siteId: f.ids.shop, lowStockLevel: 2000, defaultBinId: null },
          { siteId: f.ids.wh, lowStockLevel: null, defaultBinId: f.ids.binB },
        ],
      }, asUser(f.ids.admin));
    expect(saved.sites).toEqual([
      { siteId: f.ids.wh, lowStockLevel: null, defaultBinId: f.ids.binB },
      { siteId: f.ids.shop, lowStockLevel: 2000, defaultBinId: null },
    ]);
    // 3 kg at the bar is above its own 2 kg level; the warehouse still uses the product's 5 kg.
    expect(low()).toEqual([['WH1', 5000]]);
    // The Receive form's product search carries the default bin per site, to preselect it.
    expect(ops['operations.products']({ search: 'RICE-1KG', limit: 5 })[0]).toMatchObject({ sku: 'RICE-1KG', defaultBins: { [f.ids.wh]: f.ids.binB } });
    expect(ops['operations.products']({ search: '', limit: 50 }).find((p) => p.sku === 'RICE-1KG')?.defaultBins).toEqual({ [f.ids.wh]: f.ids.binB });
    expect(ops['operations.products']({ search: 'CLARET', limit: 5 })[0]).not.toHaveProperty('defaultBins');
    // A site with neither a level nor a bin keeps no row.
    md['masterdata.productUpdate']({ ...asUpdate(byId(rice.id)), sites: [{ siteId: f.ids.shop, lowStockLevel: null, defaultBinId: null }] }, asUser(f.ids.admin));
    expect(count('product_sites')).toBe(0);
  });

  it('refuse a bin of another site, an inactive bin, the External site and a site listed twice', () => {
    const shopBin = md['masterdata.binCreate']({ siteId: f.ids.shop, code: 'CELLAR', name: '', stockStatus: 'sellable', active: true }, asUser(f.ids.admin));
    md['masterdata.binUpdate']({ id: f.ids.binB, code: 'B-01', name: 'B-01', stockStatus: 'sellable', active: false }, asUser(f.ids.admin));
    const at = (sites: unknown[]) => () => md['masterdata.productCreate'](product({ sites }), asUser(f.ids.admin));
    expectRefused(at([{ siteId: f.ids.wh, lowStockLevel: null, defaultBinId: shopBin.id }]), 'VALIDATION', 'sites', /default bin of TEE at Central Warehouse is not a bin of Central Warehouse/);
    expectRefused(at([{ siteId: f.ids.wh, lowStockLevel: null, defaultBinId: f.ids.binB }]), 'VALIDATION', 'sites', /Bin B-01 at Central Warehouse is inactive, so it cannot be the default bin of TEE/);
    expectRefused(at([{ siteId: f.ids.external, lowStockLevel: 1, defaultBinId: null }]), 'VALIDATION', 'sites', /TEE cannot have a low-stock level or bin at the External site/);
    expectRefused(
      at([
        { siteId: f.ids.wh, lowStockLevel: 1, defaultBinId: null },
        { siteId: f.ids.wh, lowStockLevel: 2, defaultBinId: null },
      ]),
      'VALIDATION',
      'sites',
      /Central Warehouse is listed twice in the per-site settings of TEE/,
    );
    expectRefused(at([{ siteId: 999, lowStockLevel: 1, defaultBinId: null }]), 'NOT_FOUND', 'sites', /A site in the per-site settings of TEE no longer exists/);
  });
});

describe('delete', () => {
  it('removes a product that never moved, with its barcodes and per-site settings, and audits it', () => {
    const p = md['masterdata.productCreate'](product({ barcodes: ['4006381333931'], sites: [{ siteId: f.ids.wh, lowStockLevel: 5, defaultBinId: f.ids.binA }] }), asUser(f.ids.admin));
    expect(md['masterdata.productDelete']({ id: p.id }, asUser(f.ids.admin))).toEqual({ id: p.id, sku: 'TEE' });
    expect(all().rows.map((r) => r.sku)).not.toContain('TEE');
    expect([count('product_barcodes'), count('product_sites')]).toEqual([0, 0]);
    expect(audits().at(-1)).toMatchObject({ record: 'product', label: 'TEE', before: { sku: 'TEE' }, after: null });
    // Its SKU and barcode are free again.
    expect(md['masterdata.productCreate'](product({ barcodes: ['4006381333931'] }), asUser(f.ids.admin)).sku).toBe('TEE');
  });

  it('refuses a product with movements (deactivate instead), a recipe component and a parent with variants', () => {
    const p = md['masterdata.productCreate'](product(), asUser(f.ids.admin));
    receive(p.id, f.ids.wh, f.ids.binA, 1);
    expectRefused(() => md['masterdata.productDelete']({ id: p.id }, asUser(f.ids.admin)), 'CONFLICT', 'id', /TEE has movements, so it can never be deleted.*Deactivate it instead/);
    expectRefused(() => md['masterdata.productDelete']({ id: f.ids.bulk }, asUser(f.ids.admin)), 'CONFLICT', 'id', /RICE-1KG is a component of recipe RISOTTO/);
    const { parent } = (() => {
      md['masterdata.productUpdate']({ ...asUpdate(byId(p.id)), sku: 'TEE-OLD', active: false }, asUser(f.ids.admin));
      return teeWithVariants();
    })();
    expectRefused(() => md['masterdata.productDelete']({ id: parent.id }, asUser(f.ids.admin)), 'CONFLICT', 'id', /TEE has 4 variants. Delete its variants first/);
    expectRefused(() => md['masterdata.productDelete']({ id: 999 }, asUser(f.ids.admin)), 'NOT_FOUND', 'id', /no longer exists/);
  });
});

describe('variants', () => {
  it('a parent with 2×2 attributes gets four stock-kept variants with their own SKUs; the ledger moves them, not the parent', () => {
    const { parent, variants } = teeWithVariants();
    expect(variants.map((v) => [v.sku, v.variantLabel, v.name, v.stockKeeping, v.parentId])).toEqual([
      ['TEE-M-RED', 'M / Red', 'T-shirt M / Red', true, parent.id],
      ['TEE-M-NAVYBLUE', 'M / Navy blue', 'T-shirt M / Navy blue', true, parent.id],
      ['TEE-L-RED', 'L / Red', 'T-shirt L / Red', true, parent.id],
      ['TEE-L-NAVYBLUE', 'L / Navy blue', 'T-shirt L / Navy blue', true, parent.id],
    ]);
    expect(byId(parent.id)).toMatchObject({ variantCount: 4, stockKeeping: false, variantAxes: SIZES_COLOURS });
    expect(md['masterdata.variants']({ parentId: parent.id }).map((v) => v.variantAttributes)).toEqual(missingCombinations(SIZES_COLOURS, []));
    expect(missingCombinations(SIZES_COLOURS, md['masterdata.variants']({ parentId: parent.id }).map((v) => v.variantAttributes))).toEqual([]);
    expect(receive(variants[0]!.id, f.ids.wh, f.ids.binA, 3).movementCount).toBe(1);
    expect(() => receive(parent.id, f.ids.wh, f.ids.binA, 3)).toThrow(/stock keeping is switched off for TEE/);
    // A variant's SKU and barcode can be edited; its values are kept in the parent's spelling.
    const v = md['masterdata.productUpdate']({ ...asUpdate(byId(variants[1]!.id)), sku: 'TEE-M-NAVY', barcodes: ['96385074'], variantAttributes: { Size: 'm', Colour: 'NAVY BLUE' } }, asUser(f.ids.admin));
    expect(v).toMatchObject({ sku: 'TEE-M-NAVY', barcodes: ['96385074'], variantAttributes: { Size: 'M', Colour: 'Navy blue' } });
    // A new value on the parent leaves two combinations to generate.
    const grown = md['masterdata.productUpdate']({ ...asUpdate(byId(parent.id)), variantAxes: [{ name: 'Size', values: ['M', 'L', 'XL'] }, SIZES_COLOURS[1]!] }, asUser(f.ids.admin));
    expect(missingCombinations(grown.variantAxes, md['masterdata.variants']({ parentId: parent.id }).map((x) => x.variantAttributes))).toEqual([
      { Size: 'XL', Colour: 'Red' },
      { Size: 'XL', Colour: 'Navy blue' },
    ]);
  });

  it('refuses a parent that keeps stock, an attribute or value listed twice, and a parent that already moved', () => {
    expectRefused(() => md['masterdata.productCreate'](product({ variantAxes: SIZES_COLOURS }), asUser(f.ids.admin)), 'VALIDATION', 'stockKeeping', /TEE has variant attributes: its variants keep the stock/);
    const twice = [{ name: 'Size', values: ['M'] }, { name: 'size', values: ['L'] }];
    expectRefused(() => md['masterdata.productCreate'](product({ stockKeeping: false, variantAxes: twice }), asUser(f.ids.admin)), 'VALIDATION', 'variantAxes', /TEE lists the attribute size twice/);
    expectRefused(() => md['masterdata.productCreate'](product({ stockKeeping: false, variantAxes: [{ name: 'Size', values: ['M', 'm'] }] }), asUser(f.ids.admin)), 'VALIDATION', 'variantAxes', /TEE lists the value m of Size twice/);
    const moved = md['masterdata.productCreate'](product(), asUser(f.ids.admin));
    receive(moved.id, f.ids.wh, f.ids.binA, 1);
    ops['operations.writeOff']({ idempotencyKey: key(), kind: 'clear', siteId: f.ids.wh, reason: 'obsolete', lines: [{ productId: moved.id, qty: 1, binId: f.ids.binA }] }, asUser(f.ids.admin));
    expectRefused(
      () => md['masterdata.productUpdate']({ ...asUpdate(byId(moved.id)), stockKeeping: false, variantAxes: SIZES_COLOURS }, asUser(f.ids.admin)),
      'CONFLICT',
      'variantAxes',
      /TEE already has movements, so it cannot become a variant parent/,
    );
  });

  it('refuses a combination taken by a sibling, a value the parent does not list, a missing value, all or nothing', () => {
    const { parent } = teeWithVariants();
    const create = (variants: { sku: string; values: Record<string, string> }[]) => () =>
      md['masterdata.variantsCreate']({ parentId: parent.id, variants: variants.map((v) => ({ ...v, barcodes: [] })) }, asUser(f.ids.admin));
    expectRefused(
      create([{ sku: 'TEE-X1', values: { Size: 'M', Colour: 'Blue' } }]),
      'VALIDATION',
      'variants.0.variantAttributes',
      /Variant 1: Colour Blue of TEE-X1 is not one of the values of TEE \(Red, Navy blue\)/,
    );
    expectRefused(create([{ sku: 'TEE-X1', values: { Size: 'M' } }]), 'VALIDATION', 'variants.0.variantAttributes', /TEE-X1 needs a value for Colour, one of Red, Navy blue/);
    expectRefused(create([{ sku: 'TEE-X1', values: { Size: 'M', Colour: 'Red', Fit: 'Slim' } }]), 'VALIDATION', 'variants.0.variantAttributes', /TEE-X1 has a value for Fit, which is not an attribute of TEE/);
    // The second row repeats a combination: the first row is not written either.
    md['masterdata.productUpdate']({ ...asUpdate(byId(parent.id)), variantAxes: [{ name: 'Size', values: ['M', 'L', 'XL'] }, SIZES_COLOURS[1]!] }, asUser(f.ids.admin));
    expectRefused(
      create([
        { sku: 'TEE-XL-RED', values: { Size: 'XL', Colour: 'Red' } },
        { sku: 'TEE-M-RED-2', values: { Size: 'm', Colour: 'red' } },
      ]),
      'CONFLICT',
      'variants.1.variantAttributes',
      /Variant 2: TEE-M-RED is already the M \/ Red variant of TEE, so TEE-M-RED-2 cannot be too/,
    );
    expectRefused(create([{ sku: 'tee-l-red', values: { Size: 'XL', Colour: 'Red' } }]), 'CONFLICT', 'variants.0.sku', /Another product already has the SKU tee-l-red/);
  });

  it('refuses parent changes that would orphan variants, and variants that nest or change parent', () => {
    const { parent, variants } = teeWithVariants();
    const p = asUpdate(byId(parent.id));
    expectRefused(
      () => md['masterdata.productUpdate']({ ...p, variantAxes: [{ name: 'Size', values: ['M'] }, SIZES_COLOURS[1]!] }, asUser(f.ids.admin)),
      'CONFLICT',
      'variantAxes',
      /Variant TEE-L-RED of TEE is L \/ Red, which these attributes no longer allow/,
    );
    expectRefused(() => md['masterdata.productUpdate']({ ...p, variantAxes: [SIZES_COLOURS[0]!] }, asUser(f.ids.admin)), 'CONFLICT', 'variantAxes', /Variant TEE-M-RED of TEE is M \/ Red, which these attributes no longer allow/);
    expectRefused(() => md['masterdata.productUpdate']({ ...p, variantAxes: [], stockKeeping: true }, asUser(f.ids.admin)), 'CONFLICT', 'variantAxes', /TEE has 4 variants, so it keeps its attributes/);
    expectRefused(() => md['masterdata.productUpdate']({ ...p, stockKeeping: true }, asUser(f.ids.admin)), 'VALIDATION', 'stockKeeping', /its variants keep the stock/);
    const v = asUpdate(byId(variants[0]!.id));
    expectRefused(() => md['masterdata.productUpdate']({ ...v, stockKeeping: false, variantAxes: SIZES_COLOURS }, asUser(f.ids.admin)), 'VALIDATION', 'variantAxes', /TEE-M-RED is a variant of another product, so it cannot have variants of its own/);
    expectRefused(() => md['masterdata.productUpdate']({ ...v, parentId: null }, asUser(f.ids.admin)), 'CONFLICT', 'parentId', /TEE-M-RED cannot move away from its variant parent/);
    expectRefused(() => md['masterdata.productUpdate']({ ...v, variantAttributes: { Size: 'L', Colour: 'Red' } }, asUser(f.ids.admin)), 'CONFLICT', 'variantAttributes', /TEE-L-RED is already the L \/ Red variant of TEE/);
    expectRefused(() => md['masterdata.variantsCreate']({ parentId: f.ids.bulk, variants: [{ sku: 'R-1', barcodes: [], values: {} }] }, asUser(f.ids.admin)), 'VALIDATION', 'variants.0.parentId', /RICE-1KG has no variant attributes, so R-1 cannot be its variant/);
  });
});
