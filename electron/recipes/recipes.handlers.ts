import type { recipesMethods } from '../../shared/contract/recipes.methods';
import type { HandlersFor } from '../app/dispatcher';
import type { LedgerClient } from '../ledger/ledger-client';

/** Thin: forwards each recipes method to the ledger worker (changes with the caller's user id). */
export function createRecipesHandlers(ledger: LedgerClient): HandlersFor<typeof recipesMethods> {
  return {
    'recipes.products': (input) => ledger.call('recipeProducts', input),
    'recipes.versions': (input) => ledger.call('recipeVersions', input.recipeId),
    'recipes.versionAt': (input) => ledger.call('recipeVersionAt', input),
    'recipes.save': (input, ctx) => ledger.call('recipeSave', input, ctx.userId),
    'recipes.explode': (input) => ledger.call('recipeExplode', input),
  };
}
