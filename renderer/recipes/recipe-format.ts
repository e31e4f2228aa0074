import { BEGINNING_OF_TIME, type RecipeProductRef } from '../../shared/recipes';
import { formatDateTime, formatQuantity } from '../common/format';

/** When a version takes effect, as shown: "the beginning" for a first version in force from the start. */
export const fromText = (ms: number | null): string => (ms === null ? '—' : ms === BEGINNING_OF_TIME ? 'the beginning' : formatDateTime(ms));

/** "0.250 kg" — a quantity in the product's smallest unit shown in its unit. */
export const qtyText = (qty: number, p: Pick<RecipeProductRef, 'unit' | 'scale'>): string => `${formatQuantity(qty, p.scale)} ${p.unit}`;
