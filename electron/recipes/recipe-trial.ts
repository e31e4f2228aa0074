import { AppError } from '../../shared/contract/errors';
import type { Steps } from '../ledger/steps';
import { recipeVersionSteps, type RecipeVersionData } from './recipe-rules';
import type { RecipeRecords } from './recipe-store';

/** A version a trial refused: its place in the list tried, the field the rule names, and the rule's message. */
export interface RecipeVersionRefusal {
  index: number;
  field: string;
  message: string;
}

/**
 * Each version saved in turn by saveRecipeVersion's rules (recipeVersionSteps), so a later one meets those before it
 * (two versions at one date, a cycle through two new versions); a refused one is left out. Writes what the saves write:
 * run it only inside a transaction that is rolled back (CatalogRecords.tryRecipeVersions). Plain data in and out, so
 * a job's read connection can have the writer run it.
 */
export function* tryRecipeVersions(store: RecipeRecords, versions: readonly RecipeVersionData[], now: number): Steps<RecipeVersionRefusal[]> {
  const refusals: RecipeVersionRefusal[] = [];
  for (const [index, data] of versions.entries()) {
    try {
      yield* recipeVersionSteps(store, data, null, now);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      refusals.push({ index, field: (e.details as { field?: string } | undefined)?.field ?? '', message: e.message });
    }
  }
  return refusals;
}
