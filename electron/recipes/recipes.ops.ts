import type { RecipeExplodeInput, RecipeProductsInput, RecipeSaveInput, RecipeVersionAtInput } from '../../shared/contract/recipes.schemas';
import type { RecipeExplosion, RecipeProductRow, RecipeVersionRecord } from '../../shared/recipes';
import type { WorkerContext } from '../ledger/worker-context';
import { explodeRecipe } from './explosion';
import { saveRecipeVersion } from './recipe-rules';
import { RecipeStore } from './recipe-store';

/** Recipes in the ledger worker: versions read, saved and exploded. */
export interface RecipesOps {
  recipeProducts(input: RecipeProductsInput): RecipeProductRow[];
  recipeVersions(recipeId: number): RecipeVersionRecord[];
  recipeVersionAt(input: RecipeVersionAtInput): RecipeVersionRecord | null;
  recipeSave(input: RecipeSaveInput, userId: number): RecipeVersionRecord;
  recipeExplode(input: RecipeExplodeInput): RecipeExplosion;
}

const timeOr = (iso: string | undefined, clock: () => number) => (iso ? Date.parse(iso) : clock());

export function recipesOps(ctx: WorkerContext, clock: () => number = Date.now): RecipesOps {
  const store = new RecipeStore(ctx.ledger.db);
  return {
    recipeProducts: (input) => store.recipeProducts(input.search, clock(), input.limit),
    recipeVersions: (recipeId) => store.versions(recipeId),
    recipeVersionAt: (input) => store.versionAt(input.recipeId, timeOr(input.at, clock)),
    recipeSave: (input, userId) => {
      const data = { recipeId: input.recipeId, effectiveFrom: input.effectiveFrom === undefined ? undefined : Date.parse(input.effectiveFrom), components: input.components };
      const saved = saveRecipeVersion(store, data, userId, clock());
      ctx.emit('stock.changed', { documentId: null, reason: 'recipe' });
      return saved;
    },
    recipeExplode: (input) => explodeRecipe(store, input.recipeId, input.qty, timeOr(input.at, clock)),
  };
}
