import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { productCreateSchema } from '../../shared/contract/masterdata.schemas';
import { methods } from '../../shared/contract/methods';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { createWorkerContext } from '../ledger/worker-context';
import { masterDataOps, type MasterDataOps } from '../masterdata/masterdata.ops';
import { operationsOps, type OperationsOps } from '../operations/operations.ops';
import { saveRecipeVersion } from './recipe-rules';
import { machineDefaults } from '../company/company-rules';
import { CompanyStore } from '../company/company-store';
import { RecipeStore } from './recipe-store';
import { recipesOps, type RecipesOps } from './recipes.ops';
import { asUser } from '../../test/fixtures/caller';
import { expectFieldRefusal } from '../../test/fixtures/refusal';

let f: Fixture;
let r: RecipesOps;
let md: MasterDataOps;
let ops: OperationsOps;
let n = 0;
const HOUR = 3_600_000;
let now = 0;
const events: { event: string; payload: unknown }[] = [];
const key = () => `recipe-test-${process.pid}-${++n}`;
const iso = (ms: number) => new Date(ms).toISOString();

beforeEach(async () => {
  f = await openFixture();
  now = Date.now();
  events.length = 0;
  const ctx = createWorkerContext(f.ledger, (event, payload) => events.push({ event, payload }));
  r = recipesOps(ctx, () => now);
  md = masterDataOps(ctx);
  ops = operationsOps(ctx);
});
afterEach(async () => {
  expect(f.ledger.verify().ok).toBe(true);
  await f.cleanup();
});

const count = (table: string) => (f.ledger.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
const TABLES = ['recipe_versions', 'recipe_version_components', 'audit_log'];
/** A refusal: an AppError with the code, a message naming the record, the field to mark, and nothing written. */
const expectRefused = (fn: () => unknown, code: string, field: string, pattern: RegExp) => expectFieldRefusal(() => TABLES.map(count), fn, code, field, pattern);

const product = (sku: string, over: Record<string, unknown> = {}) =>
  md['masterdata.productCreate'](productCreateSchema.parse({ sku, name: sku.toLowerCase(), unit: 'ea', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null, ...over }), asUser(f.ids.admin)).id;
const save = (recipeId: number, components: { productId: number; qtyPerUnit: number }[], effectiveFrom?: number) =>
  r['recipes.save']({ recipeId, components, ...(effectiveFrom === undefined ? {} : { effectiveFrom: iso(effectiveFrom) }) }, asUser(f.ids.admin));
const receive = (productId: number, qty: number) =>
  ops['operations.receive']({ idempotencyKey: key(), kind: 'cash_purchase', siteId: f.ids.wh, dutyPaid: false, lines: [{ productId, qty, unitCost: 10_000 }] }, asUser(f.ids.admin));
const sell = (productId: number, qty: number, occurredAt?: number) =>
  ops['operations.despatch']({ idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId, qty }], ...(occurredAt === undefined ? {} : { occurredAt: iso(occurredAt) }) }, asUser(f.ids.admin));
const moved = (documentId: number | null) =>
  f.ledger.db.prepare('SELECT p.sku, m.qty FROM movements m JOIN products p ON p.id = m.product_id WHERE m.document_id = ? ORDER BY p.sku, m.seq').all(documentId) as { sku: string; qty: number }[];

describe('permissions', () => {
  it('changing a recipe needs manage:products; reading and previewing need read:stock', () => {
    expect(methods['recipes.save'].permission).toBe('manage:products');
    for (const m of ['recipes.products', 'recipes.versions', 'recipes.versionAt', 'recipes.explode'] as const) expect(methods[m].permission).toBe('read:stock');
  });
});

describe('versions with effective dates', () => {
  it('a first version takes effect from the beginning, a change from now (or its date); versions list newest first and the one in force is found by time', () => {
    const pizza = product('PIZZA', { stockType: 'Recipe' });
    const dough = product('DOUGH', { stockType: 'Preparation', unit: 'kg', scale: 3 });
    const cheese = product('CHEESE', { unit: 'kg', scale: 3 });
    const v1 = save(pizza, [{ productId: dough, qtyPerUnit: 250 }]);
    expect(v1).toMatchObject({ recipeId: pizza, effectiveFrom: 0, effectiveTo: null, createdBy: 'admin', components: [{ product: { sku: 'DOUGH' }, qtyPerUnit: 250 }] });
    const v2 = save(pizza, [{ productId: dough, qtyPerUnit: 250 }, { productId: cheese, qtyPerUnit: 80 }]);
    expect(v2.effectiveFrom).toBe(now);
    const v3 = save(pizza, [{ productId: cheese, qtyPerUnit: 100 }, { productId: dough, qtyPerUnit: 300 }], now + 24 * HOUR);
    expect(r['recipes.versions']({ recipeId: pizza }).map((v) => [v.id, v.effectiveFrom, v.effectiveTo])).toEqual([
      [v3.id, now + 24 * HOUR, null],
      [v2.id, now, now + 24 * HOUR],
      [v1.id, 0, now],
    ]);
    expect(r['recipes.versionAt']({ recipeId: pizza, at: iso(now - 1) })?.id).toBe(v1.id);
    expect(r['recipes.versionAt']({ recipeId: pizza })?.id).toBe(v2.id);
    expect(r['recipes.versionAt']({ recipeId: pizza, at: iso(now + 25 * HOUR) })?.components.map((c) => [c.product.sku, c.qtyPerUnit])).toEqual([['CHEESE', 100], ['DOUGH', 300]]);
    expect(r['recipes.products']({ search: 'piz', limit: 10 })).toEqual([expect.objectContaining({ sku: 'PIZZA', versionCount: 3, componentCount: 2, currentFrom: now })]);
    // Only products of a stock type that has a recipe are listed.
    expect(r['recipes.products']({ search: '', limit: 50 }).map((p) => p.sku)).toEqual(['DOUGH', 'PIZZA', 'RISOTTO']);
  });

  it('audits each version as a master-data change of record recipe, before → after, and tells open windows', () => {
    const rice = f.ids.bulk;
    save(f.ids.recipe, [{ productId: rice, qtyPerUnit: 150 }], now - HOUR);
    const audit = f.ledger.db.prepare("SELECT username, detail FROM audit_log WHERE action = 'master-data-changed' ORDER BY id DESC LIMIT 1").get() as { username: string; detail: string };
    expect(audit.username).toBe('admin');
    expect(JSON.parse(audit.detail)).toEqual({
      record: 'recipe',
      id: f.ids.recipe,
      label: 'RISOTTO',
      before: { effectiveFrom: 'the beginning', components: [{ sku: 'RICE-1KG', qtyPerUnit: 120 }] },
      after: { effectiveFrom: iso(now - HOUR).replace('.000Z', 'Z'), components: [{ sku: 'RICE-1KG', qtyPerUnit: 150 }] },
    });
    expect(events).toContainEqual({ event: 'stock.changed', payload: { documentId: null, reason: 'recipe' } });
  });
});

describe('refusals name the record and the field and write nothing', () => {
  it('the recipe product must exist and be of a stock type that has a recipe', () => {
    expectRefused(() => save(999_999, [{ productId: f.ids.bulk, qtyPerUnit: 1 }]), 'NOT_FOUND', 'recipeId', /no longer exists/);
    expectRefused(() => save(f.ids.bulk, [{ productId: f.ids.lot, qtyPerUnit: 1 }]), 'VALIDATION', 'recipeId', /RICE-1KG is a Supplied product; only Recipe, Made and Preparation/);
    expectRefused(() => save(f.ids.other, [{ productId: f.ids.lot, qtyPerUnit: 1 }]), 'VALIDATION', 'recipeId', /SERVICE is a Other product/);
  });

  it('at least one component; each exists, is active, is not the recipe itself and is on one line only', () => {
    const store = new RecipeStore(f.ledger.db);
    expectRefused(() => saveRecipeVersion(store, { recipeId: f.ids.recipe, components: [] }, f.ids.admin, now), 'VALIDATION', 'components', /recipe of RISOTTO needs at least one component/);
    expectRefused(() => save(f.ids.recipe, [{ productId: f.ids.bulk, qtyPerUnit: 1 }, { productId: 999_999, qtyPerUnit: 1 }]), 'NOT_FOUND', 'components.1.productId', /RISOTTO, line 2: that component product no longer exists/);
    expectRefused(() => save(f.ids.recipe, [{ productId: f.ids.recipe, qtyPerUnit: 1 }]), 'VALIDATION', 'components.0.productId', /RISOTTO, line 1: RISOTTO cannot contain itself/);
    const old = product('OLD-HERB', { active: false });
    expectRefused(() => save(f.ids.recipe, [{ productId: old, qtyPerUnit: 5 }]), 'VALIDATION', 'components.0.productId', /RISOTTO, line 1: OLD-HERB is inactive/);
    expectRefused(
      () => save(f.ids.recipe, [{ productId: f.ids.bulk, qtyPerUnit: 100 }, { productId: f.ids.lot, qtyPerUnit: 1 }, { productId: f.ids.bulk, qtyPerUnit: 20 }]),
      'CONFLICT',
      'components.2.productId',
      /RISOTTO, line 3: RICE-1KG is already on line 1/,
    );
  });

  it('each quantity is a whole number above 0 (the contract refuses it too)', () => {
    const store = new RecipeStore(f.ledger.db);
    for (const qtyPerUnit of [0, -5, 1.5]) {
      expectRefused(
        () => saveRecipeVersion(store, { recipeId: f.ids.recipe, components: [{ productId: f.ids.bulk, qtyPerUnit }] }, f.ids.admin, now),
        'VALIDATION',
        'components.0.qtyPerUnit',
        /RISOTTO, line 1: the quantity of RICE-1KG must be more than 0/,
      );
    }
    const parsed = methods['recipes.save'].input.safeParse({ recipeId: 1, components: [{ productId: 2, qtyPerUnit: 0 }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['components', 0, 'qtyPerUnit'], message: 'The quantity must be more than 0' });
  });

  it('refuses a cycle, naming the products on it: A contains B contains A, and through three levels', () => {
    const a = product('A-MEAL', { stockType: 'Recipe' });
    const b = product('B-SAUCE', { stockType: 'Preparation' });
    const c = product('C-BASE', { stockType: 'Recipe' });
    save(a, [{ productId: b, qtyPerUnit: 1 }]);
    expectRefused(() => save(b, [{ productId: f.ids.bulk, qtyPerUnit: 10 }, { productId: a, qtyPerUnit: 1 }]), 'CONFLICT', 'components.1.productId', /B-SAUCE, line 2: B-SAUCE contains A-MEAL, A-MEAL contains B-SAUCE\./);
    save(b, [{ productId: c, qtyPerUnit: 2 }]);
    expectRefused(() => save(c, [{ productId: a, qtyPerUnit: 1 }]), 'CONFLICT', 'components.0.productId', /C-BASE contains A-MEAL, A-MEAL contains B-SAUCE, B-SAUCE contains C-BASE/);
  });

  it('a cycle counts only versions that can still be in force from the new date: a superseded link does not block', () => {
    const a = product('A-MEAL', { stockType: 'Recipe' });
    const b = product('B-SAUCE', { stockType: 'Recipe' });
    save(b, [{ productId: a, qtyPerUnit: 1 }], 0);
    save(b, [{ productId: f.ids.bulk, qtyPerUnit: 10 }], now - HOUR);
    // From now on B no longer contains A, so A may contain B from now; but not from before B changed.
    expectRefused(() => save(a, [{ productId: b, qtyPerUnit: 1 }], now - 2 * HOUR), 'CONFLICT', 'components.0.productId', /A-MEAL contains B-SAUCE, B-SAUCE contains A-MEAL/);
    expect(save(a, [{ productId: b, qtyPerUnit: 1 }], now).components).toHaveLength(1);
  });

  it('refuses recipes nested deeper than a sale explodes (five levels)', () => {
    // L1 contains L2 … contains L5, each a Recipe; L5 contains rice. A recipe of L1 is six levels deep.
    let inner = f.ids.bulk;
    for (let level = 5; level >= 1; level--) {
      const p = product(`L${level}`, { stockType: 'Recipe' });
      save(p, [{ productId: inner, qtyPerUnit: 1 }]);
      inner = p;
    }
    expect(r['recipes.explode']({ recipeId: inner, qty: 1 }).totals.map((t) => t.product.sku)).toEqual(['RICE-1KG']);
    const top = product('TOP', { stockType: 'Recipe' });
    expectRefused(() => save(top, [{ productId: inner, qtyPerUnit: 1 }]), 'VALIDATION', 'components', /The recipe of TOP would nest recipes 6 levels deep; a sale explodes at most 5/);
  });

  it('two versions of a recipe cannot take effect at the same time', () => {
    const at = Date.UTC(2026, 6, 1, 8, 30);
    new CompanyStore(f.ledger.db).saveSettings({ ...machineDefaults(), timeZone: 'Europe/London', locale: 'en-GB' }, at);
    save(f.ids.recipe, [{ productId: f.ids.bulk, qtyPerUnit: 130 }], at);
    // The time as the company reads it (London summer time), never ISO.
    expectRefused(() => save(f.ids.recipe, [{ productId: f.ids.bulk, qtyPerUnit: 140 }], at), 'CONFLICT', 'effectiveFrom', /^RISOTTO already has a recipe version taking effect at 01\/07\/2026, 09:30\. Choose/);
  });

  it('an importer saves inside its own transaction: its rollback takes the version and the audit entry back', () => {
    const store = new RecipeStore(f.ledger.db);
    const before = TABLES.map(count);
    expect(() =>
      f.ledger.db.transaction(() => {
        saveRecipeVersion(store, { recipeId: f.ids.recipe, effectiveFrom: now, components: [{ productId: f.ids.bulk, qtyPerUnit: 200 }] }, f.ids.admin, now);
        expect(count('recipe_versions')).toBe(before[0]! + 1);
        throw new Error('row 7 of the import is wrong');
      })(),
    ).toThrow(/row 7/);
    expect(TABLES.map(count)).toEqual(before);
  });
});

describe('explosion', () => {
  it('previews nested recipes, flattened per stock product, with decimals rounded to the component unit', () => {
    const meal = product('MEAL', { stockType: 'Recipe' });
    const sauce = product('SAUCE', { stockType: 'Recipe', unit: 'kg', scale: 3 });
    const oil = product('OIL', { unit: 'l', scale: 2 });
    // One MEAL: 0.250 kg of SAUCE and 1 RISOTTO; one kg of SAUCE: 0.40 l of OIL and 0.333 kg of RICE.
    save(sauce, [{ productId: oil, qtyPerUnit: 40 }, { productId: f.ids.bulk, qtyPerUnit: 333 }]);
    save(meal, [{ productId: sauce, qtyPerUnit: 250 }, { productId: f.ids.recipe, qtyPerUnit: 1 }]);
    const x = r['recipes.explode']({ recipeId: meal, qty: 3 });
    // Lines in the order the sale takes them (by component).
    expect(x.tree.map((t) => [t.product.sku, t.qty, t.children.map((c) => [c.product.sku, c.qty])])).toEqual([
      ['RISOTTO', 3, [['RICE-1KG', 360]]],
      ['SAUCE', 750, [['RICE-1KG', 250], ['OIL', 30]]],
    ]);
    expect(x.totals.map((t) => [t.product.sku, t.qty]).sort()).toEqual([['OIL', 30], ['RICE-1KG', 610]]);
    // The same numbers leave stock when three are sold.
    receive(oil, 1000);
    receive(f.ids.bulk, 10_000);
    const sale = sell(meal, 3);
    expect(moved(sale.documentId)).toEqual([{ sku: 'OIL', qty: -30 }, { sku: 'RICE-1KG', qty: -360 }, { sku: 'RICE-1KG', qty: -250 }]);
  });

  it('refuses a preview before the first version took effect', () => {
    const meal = product('MEAL', { stockType: 'Recipe' });
    save(meal, [{ productId: f.ids.bulk, qtyPerUnit: 5 }], now);
    new CompanyStore(f.ledger.db).saveSettings({ ...machineDefaults(), timeZone: 'Europe/London', locale: 'en-GB' }, now);
    const before = now - HOUR;
    const shown = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(before);
    expect(() => r['recipes.explode']({ recipeId: meal, qty: 1, at: iso(before) })).toThrow(`MEAL has no recipe in force at ${shown}.`);
    // A sale dated then is refused with the same time.
    expect(() => sell(meal, 1, before)).toThrow(`Line 1: the recipe MEAL has no components in force at ${shown}.`);
  });
});

describe('sales keep the explosion of the version in force at their effective time', () => {
  it('a sale before a change keeps its explosion, one after uses the new version, and a backdated one the version of its date', () => {
    receive(f.ids.bulk, 50_000);
    const before = sell(f.ids.recipe, 2, now - 3 * HOUR);
    expect(moved(before.documentId)).toEqual([{ sku: 'RICE-1KG', qty: -240 }]);
    save(f.ids.recipe, [{ productId: f.ids.bulk, qtyPerUnit: 150 }], now - 2 * HOUR);
    expect(moved(before.documentId)).toEqual([{ sku: 'RICE-1KG', qty: -240 }]);
    const after = sell(f.ids.recipe, 2);
    expect(moved(after.documentId)).toEqual([{ sku: 'RICE-1KG', qty: -300 }]);
    // Posted now, dated before the change: the version in force then.
    const backdated = sell(f.ids.recipe, 2, now - 150 * 60_000);
    expect(moved(backdated.documentId)).toEqual([{ sku: 'RICE-1KG', qty: -240 }]);
    // A version saved for the future does not touch today's sales.
    save(f.ids.recipe, [{ productId: f.ids.bulk, qtyPerUnit: 999 }], now + 24 * HOUR);
    expect(moved(sell(f.ids.recipe, 1).documentId)).toEqual([{ sku: 'RICE-1KG', qty: -150 }]);
  });

  it('production consumes the made product\'s recipe in force at its effective time', () => {
    const bread = product('BREAD', { stockType: 'Made' });
    save(bread, [{ productId: f.ids.bulk, qtyPerUnit: 500 }]);
    save(bread, [{ productId: f.ids.bulk, qtyPerUnit: 400 }], now - HOUR);
    receive(f.ids.bulk, 10_000);
    const old = ops['operations.produce']({ idempotencyKey: key(), kind: 'product_preparation', siteId: f.ids.wh, occurredAt: iso(now - 2 * HOUR), output: { productId: bread, qty: 2 } }, asUser(f.ids.admin));
    const fresh = ops['operations.produce']({ idempotencyKey: key(), kind: 'product_preparation', siteId: f.ids.wh, output: { productId: bread, qty: 2 } }, asUser(f.ids.admin));
    expect(moved(old.documentId)).toEqual([{ sku: 'BREAD', qty: 2 }, { sku: 'RICE-1KG', qty: -1000 }]);
    expect(moved(fresh.documentId)).toEqual([{ sku: 'BREAD', qty: 2 }, { sku: 'RICE-1KG', qty: -800 }]);
  });
});
