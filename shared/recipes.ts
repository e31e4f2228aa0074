import type { StockType, TrackingMode } from './domain';

/**
 * Recipes / bills of materials (issue 12). A recipe's component list is versioned: each version takes effect from a
 * time and stays in force until the recipe's next version, so a sale explodes with the version in force at its
 * effective time. Quantities are integers in the component's smallest unit per ONE WHOLE unit of the recipe product
 * (per 1 kg of a recipe kept in kg with 3 decimals); a sale of q (in the recipe's smallest unit) takes
 * round(qtyPerUnit × q / 10^recipe decimals) of each component, halves rounded away from zero, level by level.
 */
export const RECIPE_STOCK_TYPES = ['Recipe', 'Made', 'Preparation'] as const satisfies readonly StockType[];
export type RecipeStockType = (typeof RECIPE_STOCK_TYPES)[number];

/** A recipe's first version takes effect from here unless a date is given (epoch ms). */
export const BEGINNING_OF_TIME = 0;

/** Nested recipes explode at most this many levels deep. */
export const MAX_RECIPE_DEPTH = 5;

export interface RecipeProductRef {
  id: number;
  sku: string;
  name: string;
  unit: string;
  scale: number;
  stockType: StockType;
  /** How its units are told apart: a kit with a SERIAL or RFID component takes that component's serial numbers on its line. */
  tracking: TrackingMode;
  active: boolean;
}

/** A product that can have a recipe, with the version in force now. */
export interface RecipeProductRow extends RecipeProductRef {
  versionCount: number;
  /** Components of the version in force now (0 when none). */
  componentCount: number;
  /** When the version in force now took effect (ms), null when none is in force. */
  currentFrom: number | null;
}

export interface RecipeComponentLine {
  product: RecipeProductRef;
  /** In the component's smallest unit, per one whole unit of the recipe product. */
  qtyPerUnit: number;
}

export interface RecipeVersionRecord {
  id: number;
  recipeId: number;
  /** Epoch ms; 0 = from the beginning. */
  effectiveFrom: number;
  /** Epoch ms when the next version takes over, null while this one is the latest. */
  effectiveTo: number | null;
  createdAt: number;
  createdBy: string | null;
  components: RecipeComponentLine[];
}

export interface ExplosionNode {
  product: RecipeProductRef;
  /** In the product's smallest unit. */
  qty: number;
  /** A nested Recipe product's own components; empty for what leaves stock as it is. */
  children: ExplosionNode[];
}

export interface RecipeExplosion {
  recipe: RecipeProductRef;
  qty: number;
  /** The version used (the one in force at `at`). */
  versionId: number;
  at: number;
  tree: ExplosionNode[];
  /** What leaves stock, summed per product (nested recipes flattened). */
  totals: { product: RecipeProductRef; qty: number }[];
}
