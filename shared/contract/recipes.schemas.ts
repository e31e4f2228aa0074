import { z } from 'zod';
import { MAX_QUANTITY_UNITS } from '../quantity';

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const isoTime = z.iso.datetime({ offset: true, error: 'Enter the date and time as 2026-05-31T17:00:00Z' });

export const recipeProductsSchema = z
  .object({ search: z.string().max(200).default(''), limit: z.number().int().min(1).max(500).default(200) })
  .strict();
export const recipeVersionsSchema = z.object({ recipeId: id }).strict();
/** `at` omitted: now. */
export const recipeVersionAtSchema = z.object({ recipeId: id, at: isoTime.optional() }).strict();
export const recipeComponentSchema = z
  .object({
    productId: id,
    qtyPerUnit: z
      .number()
      .int('The quantity must be a whole number of the component’s smallest unit')
      .positive('The quantity must be more than 0')
      .max(MAX_QUANTITY_UNITS, 'The quantity is too large'),
  })
  .strict();
/** `effectiveFrom` omitted: now (the beginning of time for a recipe's first version). */
export const recipeSaveSchema = z
  .object({
    recipeId: id,
    effectiveFrom: isoTime.optional(),
    components: z.array(recipeComponentSchema).min(1, 'Add at least one component').max(200, 'A recipe may have at most 200 components'),
  })
  .strict();
export const recipeExplodeSchema = z
  .object({ recipeId: id, qty: z.number().int().positive('The quantity must be more than 0').max(MAX_QUANTITY_UNITS, 'The quantity is too large'), at: isoTime.optional() })
  .strict();

export type RecipeProductsInput = z.output<typeof recipeProductsSchema>;
export type RecipeVersionsInput = z.output<typeof recipeVersionsSchema>;
export type RecipeVersionAtInput = z.output<typeof recipeVersionAtSchema>;
export type RecipeSaveInput = z.output<typeof recipeSaveSchema>;
export type RecipeExplodeInput = z.output<typeof recipeExplodeSchema>;
