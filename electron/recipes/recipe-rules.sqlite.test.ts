import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { expectFieldRefusal } from '../../test/fixtures/refusal';
import { saveRecipeVersion } from './recipe-rules';
import { RecipeStore } from './recipe-store';

/**
 * SQLite only: the recipe rules run directly on the SQLite RecipeStore, for what the contract never lets through to them
 * (no components, a quantity of 0 or with decimals) and for an importer's own better-sqlite3 transaction. The contract's
 * recipe operations are proven on both stores in recipe-rules.test.ts.
 */
let f: Fixture;
const now = Date.now();

beforeEach(async () => {
  f = await openFixture();
});
afterEach(async () => {
  expect(f.ledger.verify().ok).toBe(true);
  await f.cleanup();
});

const count = (table: string) => (f.ledger.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
const TABLES = ['recipe_versions', 'recipe_version_components', 'audit_log'];
const expectRefused = (fn: () => unknown, code: string, field: string, pattern: RegExp) => expectFieldRefusal(() => TABLES.map(count), fn, code, field, pattern);

describe('the rules refuse what the contract keeps from them, naming the record and the field, and write nothing', () => {
  it('at least one component', () => {
    const store = new RecipeStore(f.ledger.db);
    expectRefused(() => saveRecipeVersion(store, { recipeId: f.ids.recipe, components: [] }, f.ids.admin, now), 'VALIDATION', 'components', /recipe of RISOTTO needs at least one component/);
  });

  it('each quantity is a whole number above 0', () => {
    const store = new RecipeStore(f.ledger.db);
    for (const qtyPerUnit of [0, -5, 1.5]) {
      expectRefused(
        () => saveRecipeVersion(store, { recipeId: f.ids.recipe, components: [{ productId: f.ids.bulk, qtyPerUnit }] }, f.ids.admin, now),
        'VALIDATION',
        'components.0.qtyPerUnit',
        /RISOTTO, line 1: the quantity of RICE-1KG must be more than 0/,
      );
    }
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
