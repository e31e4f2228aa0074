import type { RecipeExplosion, RecipeProductRow, RecipeVersionRecord } from '../recipes';
import { method, returns } from './define-method';
import { recipeExplodeSchema, recipeProductsSchema, recipeSaveSchema, recipeVersionAtSchema, recipeVersionsSchema } from './recipes.schemas';

/** Recipes / bills of materials (issue 12): versioned component lists with effective dates, edited in the Recipes window. */
export const recipesMethods = {
  'recipes.products': method({
    input: recipeProductsSchema,
    result: returns<RecipeProductRow[]>(),
    permission: 'read:stock',
    description: 'List the products that have a recipe (Recipe, Made, Preparation)',
  }),
  'recipes.versions': method({
    input: recipeVersionsSchema,
    result: returns<RecipeVersionRecord[]>(),
    permission: 'read:stock',
    description: "List a recipe's versions, newest first",
  }),
  'recipes.versionAt': method({
    input: recipeVersionAtSchema,
    result: returns<RecipeVersionRecord | null>(),
    permission: 'read:stock',
    description: 'Get the recipe version in force at a time',
  }),
  'recipes.save': method({
    input: recipeSaveSchema,
    result: returns<RecipeVersionRecord>(),
    permission: 'manage:products',
    description: 'Save a new version of a recipe from a date',
  }),
  'recipes.explode': method({
    input: recipeExplodeSchema,
    result: returns<RecipeExplosion>(),
    permission: 'read:stock',
    description: 'Preview the explosion of a quantity of a recipe',
  }),
} as const;
