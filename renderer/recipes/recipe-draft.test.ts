import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import type { ProductOption } from '../../shared/operations';
import { blankLine, effectiveFromIso, errorField, lineOfField, linesOf, saveInputOf } from './recipe-draft';

const flour: ProductOption = { id: 7, sku: 'FLOUR', name: 'Flour', unit: 'kg', scale: 3, stockType: 'Supplied', tracking: 'BULK' };
const egg: ProductOption = { id: 8, sku: 'EGG', name: 'Egg', unit: 'ea', scale: 0, stockType: 'Supplied', tracking: 'BULK' };
const line = (product: ProductOption | null, qty: string) => ({ ...blankLine(), product, qty });

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a refusal');
}

describe('recipe draft', () => {
  it('reads each quantity in its component unit and skips blank lines', () => {
    expect(saveInputOf(3, [line(flour, '0.25'), blankLine(), line(egg, '2')], '', 'en-GB')).toEqual({
      recipeId: 3,
      components: [{ productId: 7, qtyPerUnit: 250 }, { productId: 8, qtyPerUnit: 2 }],
    });
    expect(saveInputOf(3, [line(flour, '1,5')], '', 'de-DE').components).toEqual([{ productId: 7, qtyPerUnit: 1500 }]);
  });

  it('refuses a line without a product or with an unreadable quantity, naming the line and its field', () => {
    const noProduct = refusal(() => saveInputOf(3, [blankLine(), line(flour, '1'), line(null, '2')], '', 'en-GB'));
    expect(noProduct.message).toBe('Line 3: pick the component product.');
    expect(errorField(noProduct)).toBe('components.1.productId');
    const decimals = refusal(() => saveInputOf(3, [line(egg, '1.5')], '', 'en-GB'));
    expect(decimals.message).toMatch(/^Line 1 \(EGG\): "1.5" must be a whole number/);
    expect(errorField(decimals)).toBe('components.0.qtyPerUnit');
  });

  it('maps an error field back to the draft line, past blank lines', () => {
    const lines = [line(flour, '1'), blankLine(), line(egg, '2')];
    expect(lineOfField('components.1.qtyPerUnit', lines)).toBe(2);
    expect(lineOfField('effectiveFrom', lines)).toBeNull();
    expect(errorField(new AppError('VALIDATION', 'x', { issues: [{ path: 'components.0.qtyPerUnit', message: 'm' }] }))).toBe('components.0.qtyPerUnit');
  });

  it('takes the effective date from the date-time input, blank for now, and shows a version back as typed', () => {
    expect(effectiveFromIso('')).toBeUndefined();
    expect(effectiveFromIso('2026-05-31T17:00')).toBe(new Date('2026-05-31T17:00').toISOString());
    expect(errorField(refusal(() => effectiveFromIso('soon')))).toBe('effectiveFrom');
    const v = { id: 1, recipeId: 3, effectiveFrom: 0, effectiveTo: null, createdAt: 0, createdBy: 'admin', components: [{ product: { ...flour, active: true }, qtyPerUnit: 250 }] };
    expect(linesOf(v, 'en-GB').map((l) => [l.product?.sku, l.qty])).toEqual([['FLOUR', '0.250']]);
    expect(linesOf(null)).toHaveLength(1);
  });
});
