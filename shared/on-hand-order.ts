/**
 * The order of an "On hand" column: quantities of different units do not compare (2.2 kg is not more than 811 ea), so
 * rows are grouped by unit (A→Z, whichever way the column is sorted), and within a unit ordered by the real quantity
 * — the stored integer ÷ 10^scale — not by the stored integer (2.2 kg is 2200 at scale 3, 811 ea is 811 at scale 0).
 * electron/ledger/store/stock-queries.ts sorts the same way in SQL; its test checks that the two agree.
 */
export interface OnHandKey {
  unit: string;
  /** Decimals of the product's unit (0 to MAX_QUANTITY_SCALE). */
  scale: number;
  /** Stored integer, in the unit's smallest step. */
  onHand: number;
}

/** The most decimals a product's unit can have (the product form's limit). */
export const MAX_QUANTITY_SCALE = 3;

/** The real quantity as a whole number of 1/10^MAX_QUANTITY_SCALE units: exact, comparable across scales. */
export function onHandInFinestSteps(k: Pick<OnHandKey, 'scale' | 'onHand'>): number {
  return k.onHand * 10 ** (MAX_QUANTITY_SCALE - k.scale);
}

export function compareOnHand(a: OnHandKey, b: OnHandKey, direction: 'asc' | 'desc' = 'asc'): number {
  if (a.unit !== b.unit) return a.unit < b.unit ? -1 : 1;
  const d = onHandInFinestSteps(a) - onHandInFinestSteps(b);
  return direction === 'asc' ? d : -d;
}
