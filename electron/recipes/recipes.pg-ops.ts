import { pgTransaction } from '../ledger/pg/store/pg-ledger-store';
import type { PgOpsFactory } from '../ledger/pg/pg-ops';
import { readSnapshot } from '../ledger/pg/store/pg-read-snapshot';
import { runLater } from '../ledger/steps';
import { explosionSteps } from './explosion';
import { PgRecipeStore } from './pg-recipe-store';
import { recipeVersionSteps } from './recipe-rules';

const timeOr = (iso: string | undefined, clock: () => number) => (iso ? Date.parse(iso) : clock());

/**
 * Recipes on a PostgreSQL ledger (the twin of recipes.ops.ts): the same rules (recipe-rules.ts, explosion.ts); a save
 * in one transaction holding every recipe, an explosion read in one snapshot (its recipe's version, its components and
 * every nested recipe's as they stood at one moment: a version another server saves meanwhile is in none of it).
 */
export const recipesPgOps: PgOpsFactory = (ctx) => {
  const reads = new PgRecipeStore(ctx.pool);
  return {
    'recipes.products': (input) => reads.products(input.search, ctx.clock(), input.limit),
    'recipes.versions': ({ recipeId }) => reads.versions(recipeId),
    'recipes.versionAt': (input) => reads.versionAt(input.recipeId, timeOr(input.at, ctx.clock)),
    'recipes.save': async (input, { userId }) => {
      const data = { recipeId: input.recipeId, effectiveFrom: input.effectiveFrom === undefined ? undefined : Date.parse(input.effectiveFrom), components: input.components };
      const now = ctx.clock();
      const saved = await pgTransaction(ctx.pool, (c) => runLater(recipeVersionSteps(new PgRecipeStore(c), data, userId, now)));
      ctx.emit('stock.changed', { documentId: null, reason: 'recipe' });
      return saved;
    },
    'recipes.explode': (input) => {
      const at = timeOr(input.at, ctx.clock);
      return readSnapshot(ctx.pool, (c) => runLater(explosionSteps(new PgRecipeStore(c), input.recipeId, input.qty, at)));
    },
  };
};
