import { describe, expect, it } from 'vitest';
import { EMPTY_PRODUCT, draftOf, inputOf } from './product-draft';

describe('product draft', () => {
  it('reads the low-stock level in the product decimals and splits barcodes on lines, spaces and commas', () => {
    const input = inputOf({ ...EMPTY_PRODUCT, sku: ' FLOUR ', name: 'Flour', unit: 'kg', scale: 3, lowStockLevel: '2.5', barcodes: '4006381333931\n96385074, INT-1  ' }, 'en-GB');
    expect(input).toMatchObject({ sku: 'FLOUR', lowStockLevel: 2500, barcodes: ['4006381333931', '96385074', 'INT-1'] });
    expect(inputOf({ ...EMPTY_PRODUCT, lowStockLevel: '' }).lowStockLevel).toBeNull();
  });

  it('refuses a low-stock level with more decimals than the product has, naming the field', () => {
    expect(() => inputOf({ ...EMPTY_PRODUCT, scale: 0, lowStockLevel: '2.5' }, 'en-GB')).toThrow(/^Low-stock level: "2.5" must be a whole number/);
  });

  it('shows a stored level back as it would be typed, so saving unchanged reads the same number in en-GB and de-DE', () => {
    const stored = {
      id: 1, sku: 'F', name: 'F', description: '', barcodes: ['A', 'B'], unit: 'kg', scale: 3, stockType: 'Supplied' as const, tracking: 'BULK' as const,
      stockKeeping: true, lowStockLevel: 5_002_500, active: true, hasMovements: false, onHand: 0,
    };
    for (const [locale, text] of [['en-GB', '5002.500'], ['de-DE', '5002,500']] as const) {
      const d = draftOf(stored, locale);
      expect(d).toMatchObject({ lowStockLevel: text, barcodes: 'A\nB' });
      expect(inputOf(d, locale).lowStockLevel).toBe(5_002_500);
    }
  });
});
