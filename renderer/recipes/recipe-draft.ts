import { AppError } from '../../shared/contract/errors';
import type { MethodInput } from '../../shared/contract/methods';
import type { ProductOption } from '../../shared/operations';
import { fromWallClock } from '../../shared/business-time';
import { numberLocale, shownTimeZone } from '../common/format';
import { parseQuantity } from '../../shared/quantity';
import type { RecipeProductRef, RecipeVersionRecord } from '../../shared/recipes';
import { quantityText } from '../masterdata/product-draft';

/** One component line as typed: the picked product and its quantity in the component's own unit ("0.25" kg). */
export interface ComponentLineDraft {
  key: number;
  product: ProductOption | null;
  qty: string;
}

let nextKey = 1;
export const blankLine = (): ComponentLineDraft => ({ key: nextKey++, product: null, qty: '' });

const optionOf = (p: RecipeProductRef): ProductOption => ({ id: p.id, sku: p.sku, name: p.name, unit: p.unit, scale: p.scale, stockType: p.stockType, tracking: 'BULK' });

/** The lines of a version, as they would be typed back (a starting point for the next version). */
export function linesOf(version: RecipeVersionRecord | null, locale: string = numberLocale()): ComponentLineDraft[] {
  if (!version || version.components.length === 0) return [blankLine()];
  return version.components.map((c) => ({ key: nextKey++, product: optionOf(c.product), qty: quantityText(c.qtyPerUnit, c.product.scale, locale) }));
}

/** `YYYY-MM-DDTHH:mm` from the date-time field (the company's wall clock) as an ISO time; blank: undefined (now, or the beginning for a first version). */
export function effectiveFromIso(local: string): string | undefined {
  const t = local.trim();
  if (!t) return undefined;
  let ms = Number.NaN;
  try {
    ms = fromWallClock(t, shownTimeZone());
  } catch {
    // Not a wall-clock value: refused below.
  }
  if (!Number.isFinite(ms)) throw new AppError('VALIDATION', `Effective from: "${t}" is not a date and time. Enter it as 2026-05-31 17:00, or leave it empty for now.`, { field: 'effectiveFrom' });
  return new Date(ms).toISOString();
}

/**
 * The contract's input for saving a version: blank lines skipped, each quantity read in its component's unit and
 * decimals. A line that cannot be read is refused here, naming its line and field, before anything is sent.
 */
export function saveInputOf(recipeId: number, lines: readonly ComponentLineDraft[], effectiveFrom: string, locale: string = numberLocale()): MethodInput<'recipes.save'> {
  const components: { productId: number; qtyPerUnit: number }[] = [];
  lines.forEach((l, i) => {
    if (!l.product && !l.qty.trim()) return;
    const n = components.length;
    if (!l.product) throw new AppError('VALIDATION', `Line ${i + 1}: pick the component product.`, { field: `components.${n}.productId`, line: i });
    let qty: number;
    try {
      qty = parseQuantity(l.qty, l.product.scale, locale);
    } catch (e) {
      throw new AppError('VALIDATION', `Line ${i + 1} (${l.product.sku}): ${e instanceof Error ? e.message : String(e)}`, { field: `components.${n}.qtyPerUnit`, line: i });
    }
    components.push({ productId: l.product.id, qtyPerUnit: qty });
  });
  const from = effectiveFromIso(effectiveFrom);
  return { recipeId, components, ...(from ? { effectiveFrom: from } : {}) };
}

/**
 * Which field of the form an error is about, as `components.<n>.<productId|qtyPerUnit>`, `components`, `effectiveFrom`
 * or `recipeId`: `details.field` from main (or from saveInputOf), or the full path of the contract's first issue.
 */
export function errorField(error: AppError | null): string | null {
  const d = error?.details as { field?: unknown; issues?: { path?: unknown }[] } | undefined;
  if (typeof d?.field === 'string') return d.field;
  const path = d?.issues?.[0]?.path;
  return typeof path === 'string' && path !== '(input)' ? path : null;
}

/** The draft line an error field points at: component n of the sent input is the n-th non-blank line. */
export function lineOfField(field: string | null, lines: readonly ComponentLineDraft[]): number | null {
  const m = field ? /^components\.(\d+)\./.exec(field) : null;
  if (!m) return null;
  let n = Number(m[1]);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (!l.product && !l.qty.trim()) continue;
    if (n-- === 0) return i;
  }
  return null;
}
