import { describe, expect, it } from 'vitest';
import type { ProductOption } from '../../shared/operations';
import { exactProduct, typedProduct } from './product-match';

const p = (id: number, sku: string, name: string, exact?: boolean): ProductOption => ({ id, sku, name, unit: 'ea', scale: 0, stockType: 'Supplied', tracking: 'BULK', ...(exact ? { exact } : {}) });
const flour = p(1, 'FLOUR', 'Strong white flour');
const cornflour = p(2, 'CORNFLOUR', 'Cornflour');

describe('typedProduct: what Enter on typed text takes', () => {
  it('takes the only product the search found for part of a name', () => {
    expect(typedProduct('flo', [flour])).toBe(flour);
  });
  it('takes the exact SKU (any case) among several matches', () => {
    expect(typedProduct('flour', [cornflour, flour])).toBe(flour);
  });
  it('takes a barcode match the search marked exact', () => {
    const byBarcode = p(3, 'SUGAR', 'Caster sugar', true);
    expect(typedProduct('5012345678900', [cornflour, byBarcode])).toBe(byBarcode);
  });
  it('refuses to guess between several matches with none exact', () => {
    expect(typedProduct('flo', [cornflour, flour])).toBeNull();
  });
  it('takes nothing for no text or no match', () => {
    expect(typedProduct('  ', [flour])).toBeNull();
    expect(typedProduct('zzz', [])).toBeNull();
  });
  it('exactProduct alone never takes a partial match', () => {
    expect(exactProduct('flo', [flour])).toBeNull();
  });
});
