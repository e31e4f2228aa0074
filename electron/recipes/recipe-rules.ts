import { AppError } from '../../shared/contract/errors';
import { BEGINNING_OF_TIME, MAX_RECIPE_DEPTH, RECIPE_STOCK_TYPES, type RecipeVersionRecord } from '../../shared/recipes';
import { runNow, value, type Steps } from '../ledger/steps';
import type { ComponentQty, RecipeRecords, RecipeStore } from './recipe-store';

/** Plain data for one new version: what the Recipes window and a catalog importer both hand over. */
export interface RecipeVersionData {
  recipeId: number;
  /** Epoch ms the version takes effect from; omitted: now, or the beginning of time for a recipe's first version. */
  effectiveFrom?: number | undefined;
  components: readonly ComponentQty[];
}

const refuse = (field: string, message: string, code: 'VALIDATION' | 'CONFLICT' | 'NOT_FOUND' = 'VALIDATION') => new AppError(code, message, { field });
/** For the audit trail: an exact instant. */
const when = (at: number) => (at === BEGINNING_OF_TIME ? 'the beginning' : new Date(at).toISOString().replace('.000Z', 'Z'));

/**
 * Saves a new version of a recipe after checking every rule: the product has a stock type with a recipe, at least one
 * component, each component exists, is active, is not the recipe itself and appears once, each quantity is a whole
 * number above 0 (in the component's smallest unit per one whole unit of the recipe), no component contains the recipe
 * again (through any version that can be in force from the new date on), nested recipes explode at most
 * MAX_RECIPE_DEPTH levels deep, and no other version takes effect at the same
 * time. A refusal names the recipe, the line and the field, and writes nothing. Runs in the caller's transaction when
 * one is open (an importer's), else in its own; one audit entry per version. SQLite's run of recipeVersionSteps.
 */
export function saveRecipeVersion(store: RecipeStore, data: RecipeVersionData, userId: number | null, now: number): RecipeVersionRecord {
  return store.transaction(() => runNow(recipeVersionSteps(store, data, userId, now)));
}

/**
 * saveRecipeVersion's rules on either store (RecipeRecords), as steps (ledger/steps.ts): SQLite runs them at once,
 * PostgreSQL awaiting each call in one transaction (recipes.pg-ops.ts). Every recipe is held first (lockRecipes), so
 * two servers cannot each save half of a cycle, or two versions at one date.
 */
export function* recipeVersionSteps(store: RecipeRecords, data: RecipeVersionData, userId: number | null, now: number): Steps<RecipeVersionRecord> {
  yield* value(store.lockRecipes());
  const recipe = yield* value(store.product(data.recipeId));
  if (!recipe) throw refuse('recipeId', 'That product no longer exists. Reload the list.', 'NOT_FOUND');
  if (!(RECIPE_STOCK_TYPES as readonly string[]).includes(recipe.stockType)) {
    throw refuse(
      'recipeId',
      `${recipe.sku} is a ${recipe.stockType} product; only Recipe, Made and Preparation products have a recipe. Change its stock type in Products first.`,
    );
  }
  const effectiveFrom = data.effectiveFrom ?? ((yield* value(store.versionAt(recipe.id, Number.MAX_SAFE_INTEGER))) ? now : BEGINNING_OF_TIME);
  if (!Number.isSafeInteger(effectiveFrom) || effectiveFrom < 0) {
    throw refuse('effectiveFrom', `The recipe of ${recipe.sku}: the effective-from date is not a date. Enter a date and time.`);
  }
  if (data.components.length === 0) throw refuse('components', `The recipe of ${recipe.sku} needs at least one component. Add a component line.`);
  const seen = new Map<number, number>();
  for (const [i, c] of data.components.entries()) {
    const where = `The recipe of ${recipe.sku}, line ${i + 1}`;
    const field = `components.${i}`;
    const component = yield* value(store.product(c.productId));
    if (!component) throw refuse(`${field}.productId`, `${where}: that component product no longer exists. Pick the component again.`, 'NOT_FOUND');
    if (component.id === recipe.id) throw refuse(`${field}.productId`, `${where}: ${recipe.sku} cannot contain itself. Pick another component.`);
    if (!component.active) throw refuse(`${field}.productId`, `${where}: ${component.sku} is inactive. Reactivate it in Products or pick another component.`);
    const earlier = seen.get(component.id);
    if (earlier !== undefined) {
      throw refuse(`${field}.productId`, `${where}: ${component.sku} is already on line ${earlier + 1}. Put its whole quantity on one line.`, 'CONFLICT');
    }
    seen.set(component.id, i);
    if (!Number.isSafeInteger(c.qtyPerUnit) || c.qtyPerUnit <= 0) {
      throw refuse(`${field}.qtyPerUnit`, `${where}: the quantity of ${component.sku} must be more than 0. Enter how much one ${recipe.unit} of ${recipe.sku} takes.`);
    }
    const cycle = yield* pathBack(store, component.id, recipe.id, effectiveFrom, [recipe.id, component.id]);
    if (cycle) {
      const skus: string[] = [];
      for (const id of cycle) skus.push((yield* value(store.product(id)))!.sku);
      const chain = skus.slice(1).map((s, k) => `${skus[k]} contains ${s}`).join(', ');
      throw refuse(`${field}.productId`, `${where}: ${chain}. A recipe cannot contain itself through its components; remove ${component.sku} or change its recipe.`, 'CONFLICT');
    }
  }
  let deepest = 0;
  for (const c of data.components) deepest = Math.max(deepest, yield* nestedDepth(store, c.productId, effectiveFrom));
  const depth = 1 + deepest;
  if (depth > MAX_RECIPE_DEPTH) {
    throw refuse('components', `The recipe of ${recipe.sku} would nest recipes ${depth} levels deep; a sale explodes at most ${MAX_RECIPE_DEPTH}. Use a component that is not itself a recipe of recipes.`);
  }
  if ((yield* value(store.versionIdFrom(recipe.id, effectiveFrom))) !== null) {
    const at = effectiveFrom === BEGINNING_OF_TIME ? 'the beginning' : yield* value(store.dateTime(effectiveFrom));
    throw refuse('effectiveFrom', `${recipe.sku} already has a recipe version taking effect at ${at}. Choose another date and time.`, 'CONFLICT');
  }
  const before = yield* value(store.versionAt(recipe.id, effectiveFrom));
  const id = yield* value(store.insertVersion(recipe.id, effectiveFrom, data.components, now, userId));
  const after = (yield* value(store.version(id)))!;
  const summary = (v: RecipeVersionRecord) => ({
    effectiveFrom: when(v.effectiveFrom),
    components: v.components.map((c) => ({ sku: c.product.sku, qtyPerUnit: c.qtyPerUnit })),
  });
  const username = yield* value(store.username(userId));
  yield* value(store.audit({ userId, username }, 'master-data-changed', {
    record: 'recipe',
    // the recipe product's id, so a History of the recipe finds its versions by an index
    id: recipe.id,
    label: recipe.sku,
    before: before ? summary(before) : null,
    after: summary(after),
  }, now));
  return after;
}

/** How many levels a component adds when a sale explodes it: a Recipe product explodes into its own components; anything else leaves stock as it is. */
function* nestedDepth(store: RecipeRecords, productId: number, at: number): Steps<number> {
  if ((yield* value(store.product(productId)))?.stockType !== 'Recipe') return 0;
  let deepest = 0;
  for (const c of yield* value(store.componentIdsFrom(productId, at))) deepest = Math.max(deepest, yield* nestedDepth(store, c, at));
  return 1 + deepest;
}

/** A path of product ids from `from` back to `target` through recipes that can be in force at or after `at`, if any. */
function* pathBack(store: RecipeRecords, from: number, target: number, at: number, path: number[], visited = new Set<number>()): Steps<number[] | null> {
  if (visited.has(from)) return null;
  visited.add(from);
  for (const next of yield* value(store.componentIdsFrom(from, at))) {
    if (next === target) return [...path, target];
    const found = yield* pathBack(store, next, target, at, [...path, next], visited);
    if (found) return found;
  }
  return null;
}
