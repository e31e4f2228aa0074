import type { RecipeExplodeInput, RecipeProductsInput, RecipeSaveInput, RecipeVersionAtInput } from '../../shared/contract/recipes.schemas';
import type { RecipeExplosion, RecipeProductRow, RecipeVersionRecord } from '../../shared/recipes';
import type { WorkerContext } from '../ledger/worker-context';
import { explodeRecipe } from './explosion';
import { saveRecipeVersion } from './recipe-rules';
import { RecipeStore } from './recipe-store';
import type { Caller } from '../ledger/caller';
import type { MethodParsedInput } from '../../shared/contract/methods';

/** Recipes in the ledger worker: versions read, saved and exploded. */
export interface RecipesOps {
  'recipes.products'(input: RecipeProductsInput): RecipeProductRow[];
  'recipes.versions'(input: MethodParsedInput<'recipes.versions'>): RecipeVersionRecord[];
  'recipes.versionAt'(input: RecipeVersionAtInput): RecipeVersionRecord | null;
  'recipes.save'(input: RecipeSaveInput, caller: Caller): RecipeVersionRecord;
  'recipes.explode'(input: RecipeExplodeInput): RecipeExplosion;
}

const timeOr = (iso: string | undefined, clock: () => number) => (iso ? Date.parse(iso) : clock());

export function recipesOps(ctx: WorkerContext, clock: () => number = Date.now): RecipesOps {
  const store = new RecipeStore(ctx.ledger.db);
  return {
    'recipes.products': (input) => store.products(input.search, clock(), input.limit),
    'recipes.versions': ({ recipeId }) => store.versions(recipeId),
    'recipes.versionAt': (input) => store.versionAt(input.recipeId, timeOr(input.at, clock)),
    'recipes.save': (input, { userId }) => {
      const data = { recipeId: input.recipeId, effectiveFrom: input.effectiveFrom === undefined ? undefined : Date.parse(input.effectiveFrom), components: input.components };
      const saved = saveRecipeVersion(store, data, userId, clock());
      ctx.emit('stock.changed', { documentId: null, reason: 'recipe' });
      return saved;
    },
    'recipes.explode': (input) => explodeRecipe(store, input.recipeId, input.qty, timeOr(input.at, clock)),
  };
}
