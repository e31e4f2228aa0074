import { AppError } from '../../shared/contract/errors';
import { MAX_RECIPE_DEPTH, type ExplosionNode, type RecipeExplosion, type RecipeProductRef } from '../../shared/recipes';
import { runNow, value, type Steps } from '../ledger/steps';
import type { RecipeRecords, RecipeStore } from './recipe-store';

/**
 * How much of a component `qty` of a recipe takes: `qtyPerUnit` is per ONE WHOLE unit of the recipe product, `qty` is in
 * the recipe's smallest unit (10^scale per whole unit), so a recipe kept with decimals takes a proportional share,
 * rounded to the component's smallest unit (halves up). The sale explosion and the preview both use this.
 */
export function componentQty(qtyPerUnit: number, qty: number, recipeScale: number): number {
  return Math.round((qtyPerUnit * qty) / 10 ** recipeScale);
}


/**
 * The explosion of `qty` of a recipe product with the versions in force at `at`: nested Recipe products explode into
 * their own components; Supplied, Made and Preparation components leave stock as they are (as a sale takes them).
 */
export function explodeRecipe(store: RecipeStore, recipeId: number, qty: number, at: number): RecipeExplosion {
  return runNow(explosionSteps(store, recipeId, qty, at));
}

/** explodeRecipe on either store (RecipeRecords), as steps (ledger/steps.ts): PostgreSQL's run is in recipes.pg-ops.ts. */
export function* explosionSteps(store: RecipeRecords, recipeId: number, qty: number, at: number): Steps<RecipeExplosion> {
  const recipe = yield* value(store.product(recipeId));
  if (!recipe) throw new AppError('NOT_FOUND', 'That product no longer exists. Reload the list.', { field: 'recipeId' });
  const version = yield* value(store.versionAt(recipeId, at));
  if (!version) throw new AppError('NOT_FOUND', `${recipe.sku} has no recipe in force at ${yield* value(store.dateTime(at))}. Save a version that takes effect by then.`, { field: 'at' });
  const totals = new Map<number, { product: RecipeProductRef; qty: number }>();
  const tree = yield* explodeLevel(store, recipe, qty, at, 1, totals, [recipe.sku]);
  return { recipe, qty, versionId: version.id, at, tree, totals: [...totals.values()].filter((t) => t.qty > 0) };
}

function* explodeLevel(
  store: RecipeRecords,
  recipe: RecipeProductRef,
  qty: number,
  at: number,
  depth: number,
  totals: Map<number, { product: RecipeProductRef; qty: number }>,
  path: string[],
): Steps<ExplosionNode[]> {
  if (depth > MAX_RECIPE_DEPTH) {
    throw new AppError('VALIDATION', `${path.join(' → ')}: recipes nest more than ${MAX_RECIPE_DEPTH} levels deep. Flatten a level of the recipe.`, { field: 'components' });
  }
  const components = yield* value(store.componentsAt(recipe.id, at));
  if (components.length === 0) {
    throw new AppError('VALIDATION', `${path.join(' → ')}: ${recipe.sku} has no recipe in force at ${yield* value(store.dateTime(at))}. Save its components first.`, { field: 'components' });
  }
  const nodes: ExplosionNode[] = [];
  for (const c of components) {
    const product = (yield* value(store.product(c.productId)))!;
    const q = componentQty(c.qtyPerUnit, qty, recipe.scale);
    const children = product.stockType === 'Recipe' && q > 0 ? yield* explodeLevel(store, product, q, at, depth + 1, totals, [...path, product.sku]) : [];
    if (product.stockType !== 'Recipe' && product.stockType !== 'Other') {
      const t = totals.get(product.id) ?? { product, qty: 0 };
      t.qty += q;
      totals.set(product.id, t);
    }
    nodes.push({ product, qty: q, children });
  }
  return nodes;
}
