import { formatQuantity } from '../../shared/quantity';
import { BEGINNING_OF_TIME, type RecipeProductRef } from '../../shared/recipes';
import { formatDateTime } from '../common/format';

/** When a version takes effect, as shown: "the beginning" for a first version in force from the start. */
export const fromText = (ms: number | null): string => (ms === null ? '—' : ms === BEGINNING_OF_TIME ? 'the beginning' : formatDateTime(new Date(ms).toISOString()));

/** "0.250 kg" — a quantity in the product's smallest unit shown in its unit. */
export const qtyText = (qty: number, p: Pick<RecipeProductRef, 'unit' | 'scale'>): string => `${formatQuantity(qty, p.scale)} ${p.unit}`;
