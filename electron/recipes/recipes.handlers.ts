import { recipesMethods } from '../../shared/contract/recipes.methods';
import type { HandlersFor } from '../app/dispatcher';
import { forwardToLedger } from '../app/forward-to-ledger';
import type { LedgerClient } from '../ledger/ledger-client';

/** Every recipes method forwards to the worker operation of its name (electron/recipes/recipes.ops.ts). */
export function createRecipesHandlers(ledger: LedgerClient): HandlersFor<typeof recipesMethods> {
  return forwardToLedger(recipesMethods, ledger);
}
