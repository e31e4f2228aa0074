import { AppError } from '../../shared/contract/errors';
import { BEGINNING_OF_TIME, MAX_RECIPE_DEPTH, RECIPE_STOCK_TYPES, type RecipeVersionRecord } from '../../shared/recipes';
import { companyDateTime } from '../company/company-time';
import { audit } from '../safety/audit';
import type { ComponentQty, RecipeStore } from './recipe-store';

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
 * one is open (an importer's), else in its own; one audit entry per version.
 */
export function saveRecipeVersion(store: RecipeStore, data: RecipeVersionData, userId: number | null, now: number): RecipeVersionRecord {
  return store.transaction(() => {
    const recipe = store.product(data.recipeId);
    if (!recipe) throw refuse('recipeId', 'That product no longer exists. Reload the list.', 'NOT_FOUND');
    if (!(RECIPE_STOCK_TYPES as readonly string[]).includes(recipe.stockType)) {
      throw refuse(
        'recipeId',
        `${recipe.sku} is a ${recipe.stockType} product; only Recipe, Made and Preparation products have a recipe. Change its stock type in Products first.`,
      );
    }
    const effectiveFrom = data.effectiveFrom ?? (store.versionAt(recipe.id, Number.MAX_SAFE_INTEGER) ? now : BEGINNING_OF_TIME);
    if (!Number.isSafeInteger(effectiveFrom) || effectiveFrom < 0) {
      throw refuse('effectiveFrom', `The recipe of ${recipe.sku}: the effective-from date is not a date. Enter a date and time.`);
    }
    if (data.components.length === 0) throw refuse('components', `The recipe of ${recipe.sku} needs at least one component. Add a component line.`);
    const seen = new Map<number, number>();
    data.components.forEach((c, i) => {
      const where = `The recipe of ${recipe.sku}, line ${i + 1}`;
      const field = `components.${i}`;
      const component = store.product(c.productId);
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
      const cycle = pathBack(store, component.id, recipe.id, effectiveFrom, [recipe.id, component.id]);
      if (cycle) {
        const skus = cycle.map((id) => store.product(id)!.sku);
        const chain = skus.slice(1).map((s, k) => `${skus[k]} contains ${s}`).join(', ');
        throw refuse(`${field}.productId`, `${where}: ${chain}. A recipe cannot contain itself through its components; remove ${component.sku} or change its recipe.`, 'CONFLICT');
      }
    });
    const depth = 1 + Math.max(0, ...data.components.map((c) => nestedDepth(store, c.productId, effectiveFrom)));
    if (depth > MAX_RECIPE_DEPTH) {
      throw refuse('components', `The recipe of ${recipe.sku} would nest recipes ${depth} levels deep; a sale explodes at most ${MAX_RECIPE_DEPTH}. Use a component that is not itself a recipe of recipes.`);
    }
    if (store.versionIdFrom(recipe.id, effectiveFrom) !== null) {
      throw refuse('effectiveFrom', `${recipe.sku} already has a recipe version taking effect at ${effectiveFrom === BEGINNING_OF_TIME ? 'the beginning' : companyDateTime(store.db, effectiveFrom)}. Choose another date and time.`, 'CONFLICT');
    }
    const before = store.versionAt(recipe.id, effectiveFrom);
    const id = store.insertVersion(recipe.id, effectiveFrom, data.components, now, userId);
    const after = store.version(id)!;
    const summary = (v: RecipeVersionRecord) => ({
      effectiveFrom: when(v.effectiveFrom),
      components: v.components.map((c) => ({ sku: c.product.sku, qtyPerUnit: c.qtyPerUnit })),
    });
    audit(store.db, { userId, username: store.username(userId) }, 'master-data-changed', {
      record: 'recipe',
      // the recipe product's id, so a History of the recipe finds its versions by an index
      id: recipe.id,
      label: recipe.sku,
      before: before ? summary(before) : null,
      after: summary(after),
    }, now);
    return after;
  });
}

/** How many levels a component adds when a sale explodes it: a Recipe product explodes into its own components; anything else leaves stock as it is. */
function nestedDepth(store: RecipeStore, productId: number, at: number): number {
  if (store.product(productId)?.stockType !== 'Recipe') return 0;
  return 1 + Math.max(0, ...store.componentIdsFrom(productId, at).map((c) => nestedDepth(store, c, at)));
}

/** A path of product ids from `from` back to `target` through recipes that can be in force at or after `at`, if any. */
function pathBack(store: RecipeStore, from: number, target: number, at: number, path: number[], visited = new Set<number>()): number[] | null {
  if (visited.has(from)) return null;
  visited.add(from);
  for (const next of store.componentIdsFrom(from, at)) {
    if (next === target) return [...path, target];
    const found = pathBack(store, next, target, at, [...path, next], visited);
    if (found) return found;
  }
  return null;
}
