import { value, type Steps } from '../ledger/steps';
import type { ProductRow } from '../masterdata/master-store';
import type { RecipeVersionData } from '../recipes/recipe-rules';
import type { RecipeRecords } from '../recipes/recipe-store';
import { tryRecipeVersions, type RecipeVersionRefusal } from '../recipes/recipe-trial';
import type { CatalogMaster } from './catalog-records';

/**
 * A Recipes sheet's new versions with what the same file does to the products they meet, as plain data (a job's
 * read-only connection hands it to the writer): the import writes its products before its recipes, so a trial must
 * too, or it could not try a recipe of a product the file creates, nor see a component the file deactivates.
 */
export interface CatalogRecipeTrial {
  /** The file's products as the import writes them (in file order): id null for a product it creates. */
  products: { id: number | null; row: ProductRow }[];
  /** The versions in the order the import saves them; a product the file creates is named by trialProductId. */
  versions: RecipeVersionData[];
}

/** How a trial's version names the product at `index` of its products, which has no id until the trial creates it. */
export const trialProductId = (index: number) => -(index + 1);

/**
 * The trial's products created or changed as the import would, then its versions tried by saveRecipeVersion's rules
 * (tryRecipeVersions): the same refusals, in the same words, as the import's write. Writes what those write: run it
 * only inside a transaction that is rolled back (CatalogRecords.tryRecipeVersions).
 */
export function* tryCatalogRecipes(md: Pick<CatalogMaster, 'insertProduct' | 'updateProduct'>, recipes: RecipeRecords, trial: CatalogRecipeTrial, now: number): Steps<RecipeVersionRefusal[]> {
  const ids: number[] = [];
  for (const { id, row } of trial.products) {
    if (id === null) ids.push(yield* value(md.insertProduct(row, now)));
    else {
      yield* value(md.updateProduct(id, row, { userId: 0, at: now }));
      ids.push(id);
    }
  }
  const real = (id: number) => (id < 0 ? ids[-id - 1]! : id);
  const versions = trial.versions.map((v) => ({ ...v, recipeId: real(v.recipeId), components: v.components.map((c) => ({ ...c, productId: real(c.productId) })) }));
  return yield* tryRecipeVersions(recipes, versions, now);
}
