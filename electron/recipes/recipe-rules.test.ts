import { describe, expect, it } from 'vitest';
import { methods, type MethodInput } from '../../shared/contract/methods';
import { expectFieldRefusalOf } from '../../test/fixtures/refusal';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/**
 * On the configured store (test/fixtures/store-under-test.ts): SQLite by default, PostgreSQL in `npm run test:unit:pg`.
 * The rules' refusals the contract keeps from them (no components, a quantity of 0) and an importer's own transaction are
 * proven on the SQLite rules directly in recipe-rules.sqlite.test.ts.
 */
let s: StoreUnderTest;
let n = 0;
const HOUR = 3_600_000;
let now = Date.now();
const key = () => `recipe-test-${process.pid}-${++n}`;
const iso = (ms: number) => new Date(ms).toISOString();

storePerTest(
  (opened) => {
    s = opened;
    now = Date.now();
  },
  { clock: () => now },
);

const TABLES = ['recipe_versions', 'recipe_version_components', 'audit_log'];
/** A refusal: an AppError with the code, a message naming the record, the field to mark, and nothing written. */
const expectRefused = (fn: () => Promise<unknown>, code: string, field: string, pattern: RegExp) =>
  expectFieldRefusalOf(() => Promise.all(TABLES.map((t) => s.count(t))), fn, code, field, pattern);

const product = async (sku: string, over: Record<string, unknown> = {}) =>
  (await s.call('masterdata.productCreate', { sku, name: sku.toLowerCase(), unit: 'ea', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null, ...over } as MethodInput<'masterdata.productCreate'>)).id;
const save = (recipeId: number, components: { productId: number; qtyPerUnit: number }[], effectiveFrom?: number) =>
  s.call('recipes.save', { recipeId, components, ...(effectiveFrom === undefined ? {} : { effectiveFrom: iso(effectiveFrom) }) });
/** `at`: dated then (a backdated sale or production takes only stock received by its effective time: stock-picker.ts). */
const receive = (productId: number, qty: number, at?: number) =>
  s.call('operations.receive', { idempotencyKey: key(), kind: 'cash_purchase', siteId: s.ids.wh, dutyPaid: false, ...(at === undefined ? {} : { occurredAt: new Date(at).toISOString() }), lines: [{ productId, qty, unitCost: 10_000 }] });
const sell = (productId: number, qty: number, occurredAt?: number) =>
  s.call('operations.despatch', { idempotencyKey: key(), kind: 'sale', siteId: s.ids.wh, lines: [{ productId, qty }], ...(occurredAt === undefined ? {} : { occurredAt: iso(occurredAt) }) });
const moved = (documentId: number | null) =>
  s.rows<{ sku: string; qty: number }>('SELECT p.sku, m.qty FROM movements m JOIN products p ON p.id = m.product_id WHERE m.document_id = ? ORDER BY p.sku, m.seq', [documentId]);
/** The company's time zone and locale, through the contract. */
const companyIn = (timeZone: string, locale: string) => s.call('company.update', { name: 'Test Kitchen Ltd', currency: 'GBP', timeZone, locale, fyStartMonth: 1 });

describe('permissions', () => {
  it('changing a recipe needs manage:products; reading and previewing need read:stock', () => {
    expect(methods['recipes.save'].permission).toBe('manage:products');
    for (const m of ['recipes.products', 'recipes.versions', 'recipes.versionAt', 'recipes.explode'] as const) expect(methods[m].permission).toBe('read:stock');
  });
});

describe('versions with effective dates', () => {
  it('a first version takes effect from the beginning, a change from now (or its date); versions list newest first and the one in force is found by time', async () => {
    const pizza = await product('PIZZA', { stockType: 'Recipe' });
    const dough = await product('DOUGH', { stockType: 'Preparation', unit: 'kg', scale: 3 });
    const cheese = await product('CHEESE', { unit: 'kg', scale: 3 });
    const v1 = await save(pizza, [{ productId: dough, qtyPerUnit: 250 }]);
    expect(v1).toMatchObject({ recipeId: pizza, effectiveFrom: 0, effectiveTo: null, createdBy: 'admin', components: [{ product: { sku: 'DOUGH' }, qtyPerUnit: 250 }] });
    const v2 = await save(pizza, [{ productId: dough, qtyPerUnit: 250 }, { productId: cheese, qtyPerUnit: 80 }]);
    expect(v2.effectiveFrom).toBe(now);
    const v3 = await save(pizza, [{ productId: cheese, qtyPerUnit: 100 }, { productId: dough, qtyPerUnit: 300 }], now + 24 * HOUR);
    expect((await s.call('recipes.versions', { recipeId: pizza })).map((v) => [v.id, v.effectiveFrom, v.effectiveTo])).toEqual([
      [v3.id, now + 24 * HOUR, null],
      [v2.id, now, now + 24 * HOUR],
      [v1.id, 0, now],
    ]);
    expect((await s.call('recipes.versionAt', { recipeId: pizza, at: iso(now - 1) }))?.id).toBe(v1.id);
    expect((await s.call('recipes.versionAt', { recipeId: pizza }))?.id).toBe(v2.id);
    expect((await s.call('recipes.versionAt', { recipeId: pizza, at: iso(now + 25 * HOUR) }))?.components.map((c) => [c.product.sku, c.qtyPerUnit])).toEqual([['CHEESE', 100], ['DOUGH', 300]]);
    expect(await s.call('recipes.products', { search: 'piz', limit: 10 })).toEqual([expect.objectContaining({ sku: 'PIZZA', versionCount: 3, componentCount: 2, currentFrom: now })]);
    // Only products of a stock type that has a recipe are listed.
    expect((await s.call('recipes.products', { search: '', limit: 50 })).map((p) => p.sku)).toEqual(['DOUGH', 'PIZZA', 'RISOTTO']);
  });

  it('audits each version as a master-data change of record recipe, before → after, and tells open windows', async () => {
    const rice = s.ids.bulk;
    await save(s.ids.recipe, [{ productId: rice, qtyPerUnit: 150 }], now - HOUR);
    const [audit] = await s.rows<{ username: string; detail: string }>("SELECT username, detail FROM audit_log WHERE action = 'master-data-changed' ORDER BY id DESC LIMIT 1");
    expect(audit!.username).toBe('admin');
    expect(JSON.parse(audit!.detail)).toEqual({
      record: 'recipe',
      id: s.ids.recipe,
      label: 'RISOTTO',
      // The fixture's first version of RISOTTO takes effect from 1 January 2000.
      before: { effectiveFrom: '2000-01-01T00:00:00Z', components: [{ sku: 'RICE-1KG', qtyPerUnit: 120 }] },
      after: { effectiveFrom: iso(now - HOUR).replace('.000Z', 'Z'), components: [{ sku: 'RICE-1KG', qtyPerUnit: 150 }] },
    });
    expect(s.events).toContainEqual({ event: 'stock.changed', payload: { documentId: null, reason: 'recipe' } });
  });
});

describe('refusals name the record and the field and write nothing', () => {
  it('the recipe product must exist and be of a stock type that has a recipe', async () => {
    await expectRefused(() => save(999_999, [{ productId: s.ids.bulk, qtyPerUnit: 1 }]), 'NOT_FOUND', 'recipeId', /no longer exists/);
    await expectRefused(() => save(s.ids.bulk, [{ productId: s.ids.lot, qtyPerUnit: 1 }]), 'VALIDATION', 'recipeId', /RICE-1KG is a Supplied product; only Recipe, Made and Preparation/);
    await expectRefused(() => save(s.ids.other, [{ productId: s.ids.lot, qtyPerUnit: 1 }]), 'VALIDATION', 'recipeId', /SERVICE is a Other product/);
  });

  it('each component exists, is active, is not the recipe itself and is on one line only', async () => {
    await expectRefused(() => save(s.ids.recipe, [{ productId: s.ids.bulk, qtyPerUnit: 1 }, { productId: 999_999, qtyPerUnit: 1 }]), 'NOT_FOUND', 'components.1.productId', /RISOTTO, line 2: that component product no longer exists/);
    await expectRefused(() => save(s.ids.recipe, [{ productId: s.ids.recipe, qtyPerUnit: 1 }]), 'VALIDATION', 'components.0.productId', /RISOTTO, line 1: RISOTTO cannot contain itself/);
    const old = await product('OLD-HERB', { active: false });
    await expectRefused(() => save(s.ids.recipe, [{ productId: old, qtyPerUnit: 5 }]), 'VALIDATION', 'components.0.productId', /RISOTTO, line 1: OLD-HERB is inactive/);
    await expectRefused(
      () => save(s.ids.recipe, [{ productId: s.ids.bulk, qtyPerUnit: 100 }, { productId: s.ids.lot, qtyPerUnit: 1 }, { productId: s.ids.bulk, qtyPerUnit: 20 }]),
      'CONFLICT',
      'components.2.productId',
      /RISOTTO, line 3: RICE-1KG is already on line 1/,
    );
  });

  it('the contract refuses a quantity that is not a whole number above 0', () => {
    const parsed = methods['recipes.save'].input.safeParse({ recipeId: 1, components: [{ productId: 2, qtyPerUnit: 0 }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['components', 0, 'qtyPerUnit'], message: 'The quantity must be more than 0' });
  });

  it('refuses a cycle, naming the products on it: A contains B contains A, and through three levels', async () => {
    const a = await product('A-MEAL', { stockType: 'Recipe' });
    const b = await product('B-SAUCE', { stockType: 'Preparation' });
    const c = await product('C-BASE', { stockType: 'Recipe' });
    await save(a, [{ productId: b, qtyPerUnit: 1 }]);
    await expectRefused(() => save(b, [{ productId: s.ids.bulk, qtyPerUnit: 10 }, { productId: a, qtyPerUnit: 1 }]), 'CONFLICT', 'components.1.productId', /B-SAUCE, line 2: B-SAUCE contains A-MEAL, A-MEAL contains B-SAUCE\./);
    await save(b, [{ productId: c, qtyPerUnit: 2 }]);
    await expectRefused(() => save(c, [{ productId: a, qtyPerUnit: 1 }]), 'CONFLICT', 'components.0.productId', /C-BASE contains A-MEAL, A-MEAL contains B-SAUCE, B-SAUCE contains C-BASE/);
  });

  it('a cycle counts only versions that can still be in force from the new date: a superseded link does not block', async () => {
    const a = await product('A-MEAL', { stockType: 'Recipe' });
    const b = await product('B-SAUCE', { stockType: 'Recipe' });
    await save(b, [{ productId: a, qtyPerUnit: 1 }], 0);
    await save(b, [{ productId: s.ids.bulk, qtyPerUnit: 10 }], now - HOUR);
    // From now on B no longer contains A, so A may contain B from now; but not from before B changed.
    await expectRefused(() => save(a, [{ productId: b, qtyPerUnit: 1 }], now - 2 * HOUR), 'CONFLICT', 'components.0.productId', /A-MEAL contains B-SAUCE, B-SAUCE contains A-MEAL/);
    expect((await save(a, [{ productId: b, qtyPerUnit: 1 }], now)).components).toHaveLength(1);
  });

  it('refuses recipes nested deeper than a sale explodes (five levels)', async () => {
    // L1 contains L2 … contains L5, each a Recipe; L5 contains rice. A recipe of L1 is six levels deep.
    let inner = s.ids.bulk;
    for (let level = 5; level >= 1; level--) {
      const p = await product(`L${level}`, { stockType: 'Recipe' });
      await save(p, [{ productId: inner, qtyPerUnit: 1 }]);
      inner = p;
    }
    expect((await s.call('recipes.explode', { recipeId: inner, qty: 1 })).totals.map((t) => t.product.sku)).toEqual(['RICE-1KG']);
    const top = await product('TOP', { stockType: 'Recipe' });
    await expectRefused(() => save(top, [{ productId: inner, qtyPerUnit: 1 }]), 'VALIDATION', 'components', /The recipe of TOP would nest recipes 6 levels deep; a sale explodes at most 5/);
  });

  it('two versions of a recipe cannot take effect at the same time', async () => {
    const at = Date.UTC(2026, 6, 1, 8, 30);
    await companyIn('Europe/London', 'en-GB');
    await save(s.ids.recipe, [{ productId: s.ids.bulk, qtyPerUnit: 130 }], at);
    // The time as the company reads it (London summer time), never ISO.
    await expectRefused(() => save(s.ids.recipe, [{ productId: s.ids.bulk, qtyPerUnit: 140 }], at), 'CONFLICT', 'effectiveFrom', /^RISOTTO already has a recipe version taking effect at 01\/07\/2026, 09:30\. Choose/);
  });
});

describe('explosion', () => {
  it('previews nested recipes, flattened per stock product, with decimals rounded to the component unit', async () => {
    const meal = await product('MEAL', { stockType: 'Recipe' });
    const sauce = await product('SAUCE', { stockType: 'Recipe', unit: 'kg', scale: 3 });
    const oil = await product('OIL', { unit: 'l', scale: 2 });
    // One MEAL: 0.250 kg of SAUCE and 1 RISOTTO; one kg of SAUCE: 0.40 l of OIL and 0.333 kg of RICE.
    await save(sauce, [{ productId: oil, qtyPerUnit: 40 }, { productId: s.ids.bulk, qtyPerUnit: 333 }]);
    await save(meal, [{ productId: sauce, qtyPerUnit: 250 }, { productId: s.ids.recipe, qtyPerUnit: 1 }]);
    const x = await s.call('recipes.explode', { recipeId: meal, qty: 3 });
    // Lines in the order the sale takes them (by component).
    expect(x.tree.map((t) => [t.product.sku, t.qty, t.children.map((c) => [c.product.sku, c.qty])])).toEqual([
      ['RISOTTO', 3, [['RICE-1KG', 360]]],
      ['SAUCE', 750, [['RICE-1KG', 250], ['OIL', 30]]],
    ]);
    expect(x.totals.map((t) => [t.product.sku, t.qty]).sort()).toEqual([['OIL', 30], ['RICE-1KG', 610]]);
    // The same numbers leave stock when three are sold.
    await receive(oil, 1000);
    await receive(s.ids.bulk, 10_000);
    const sale = await sell(meal, 3);
    expect(await moved(sale.documentId)).toEqual([{ sku: 'OIL', qty: -30 }, { sku: 'RICE-1KG', qty: -360 }, { sku: 'RICE-1KG', qty: -250 }]);
  });

  it('refuses a preview before the first version took effect', async () => {
    const meal = await product('MEAL', { stockType: 'Recipe' });
    await save(meal, [{ productId: s.ids.bulk, qtyPerUnit: 5 }], now);
    await companyIn('Europe/London', 'en-GB');
    const before = now - HOUR;
    const shown = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(before);
    await expect(s.call('recipes.explode', { recipeId: meal, qty: 1, at: iso(before) })).rejects.toThrow(`MEAL has no recipe in force at ${shown}.`);
    // A sale dated then is refused with the same time.
    await expect(sell(meal, 1, before)).rejects.toThrow(`Line 1: the recipe MEAL has no components in force at ${shown}.`);
  });
});

describe('sales keep the explosion of the version in force at their effective time', () => {
  it('a sale before a change keeps its explosion, one after uses the new version, and a backdated one the version of its date', async () => {
    await receive(s.ids.bulk, 50_000, now - 4 * HOUR);
    const before = await sell(s.ids.recipe, 2, now - 3 * HOUR);
    expect(await moved(before.documentId)).toEqual([{ sku: 'RICE-1KG', qty: -240 }]);
    await save(s.ids.recipe, [{ productId: s.ids.bulk, qtyPerUnit: 150 }], now - 2 * HOUR);
    expect(await moved(before.documentId)).toEqual([{ sku: 'RICE-1KG', qty: -240 }]);
    const after = await sell(s.ids.recipe, 2);
    expect(await moved(after.documentId)).toEqual([{ sku: 'RICE-1KG', qty: -300 }]);
    // Posted now, dated before the change: the version in force then.
    const backdated = await sell(s.ids.recipe, 2, now - 150 * 60_000);
    expect(await moved(backdated.documentId)).toEqual([{ sku: 'RICE-1KG', qty: -240 }]);
    // A version saved for the future does not touch today's sales.
    await save(s.ids.recipe, [{ productId: s.ids.bulk, qtyPerUnit: 999 }], now + 24 * HOUR);
    expect(await moved((await sell(s.ids.recipe, 1)).documentId)).toEqual([{ sku: 'RICE-1KG', qty: -150 }]);
  });

  it("production consumes the made product's recipe in force at its effective time", async () => {
    const bread = await product('BREAD', { stockType: 'Made' });
    await save(bread, [{ productId: s.ids.bulk, qtyPerUnit: 500 }]);
    await save(bread, [{ productId: s.ids.bulk, qtyPerUnit: 400 }], now - HOUR);
    await receive(s.ids.bulk, 10_000, now - 3 * HOUR);
    const old = await s.call('operations.produce', { idempotencyKey: key(), kind: 'product_preparation', siteId: s.ids.wh, occurredAt: iso(now - 2 * HOUR), output: { productId: bread, qty: 2 } });
    const fresh = await s.call('operations.produce', { idempotencyKey: key(), kind: 'product_preparation', siteId: s.ids.wh, output: { productId: bread, qty: 2 } });
    expect(await moved(old.documentId)).toEqual([{ sku: 'BREAD', qty: 2 }, { sku: 'RICE-1KG', qty: -1000 }]);
    expect(await moved(fresh.documentId)).toEqual([{ sku: 'BREAD', qty: 2 }, { sku: 'RICE-1KG', qty: -800 }]);
  });
});
