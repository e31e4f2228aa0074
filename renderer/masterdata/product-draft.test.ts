import { describe, expect, it } from 'vitest';
import { savedNow } from '../common/saved-now';
import { DraftError, EMPTY_PRODUCT, PRODUCT_FIELDS, draftOf, inputOf, withStockType } from './product-draft';

describe('product draft', () => {
  it('a Recipe or Other stock type switches stock keeping off; a stocked type back on, except on a variant parent', () => {
    expect(withStockType(EMPTY_PRODUCT, 'Recipe', false)).toMatchObject({ stockType: 'Recipe', stockKeeping: false });
    expect(withStockType(EMPTY_PRODUCT, 'Other', false)).toMatchObject({ stockType: 'Other', stockKeeping: false });
    expect(withStockType({ ...EMPTY_PRODUCT, stockType: 'Other', stockKeeping: false }, 'Made', false)).toMatchObject({ stockType: 'Made', stockKeeping: true });
    expect(withStockType({ ...EMPTY_PRODUCT, stockKeeping: false }, 'Supplied', true).stockKeeping).toBe(false);
  });

  it('reads the low-stock level in the product decimals and splits barcodes on lines, spaces and commas', () => {
    const input = inputOf({ ...EMPTY_PRODUCT, sku: ' FLOUR ', name: 'Flour', unit: 'kg', scale: 3, lowStockLevel: '2.5', barcodes: '4006381333931\n96385074, INT-1  ' }, 'en-GB');
    expect(input).toMatchObject({ sku: 'FLOUR', lowStockLevel: 2500, barcodes: ['4006381333931', '96385074', 'INT-1'] });
    expect(inputOf({ ...EMPTY_PRODUCT, lowStockLevel: '' }).lowStockLevel).toBeNull();
  });

  it('refuses a low-stock level with more decimals than the product has, naming the field', () => {
    expect(() => inputOf({ ...EMPTY_PRODUCT, scale: 0, lowStockLevel: '2.5' }, 'en-GB')).toThrow(/^Low-stock level: "2.5" must be a whole number/);
    expect(() => inputOf({ ...EMPTY_PRODUCT, scale: 0, lowStockLevel: '2.5' }, 'en-GB')).toThrow(DraftError);
  });

  it('shows a stored level back as it would be typed, so saving unchanged reads the same number in en-GB and de-DE', () => {
    const stored = {
      id: 1, version: 1, sku: 'F', name: 'F', description: '', barcodes: ['A', 'B'], unit: 'kg', scale: 3, stockType: 'Supplied' as const, tracking: 'BULK' as const,
      stockKeeping: true, lowStockLevel: 5_002_500, active: true, hasMovements: false, onHand: 0,
      groupId: null, groupCode: null, countryOfOrigin: null, sites: [{ siteId: 4, lowStockLevel: 1_500, defaultBinId: 9 }],
      parentId: null, variantAxes: [], variantAttributes: {}, variantLabel: null, variantCount: 0,
    };
    for (const [locale, text] of [['en-GB', '5002.500'], ['de-DE', '5002,500']] as const) {
      const d = draftOf(stored, locale);
      expect(d).toMatchObject({ lowStockLevel: text, barcodes: 'A\nB' });
      expect(inputOf(d, locale).lowStockLevel).toBe(5_002_500);
      expect(inputOf(d, locale).sites).toEqual([{ siteId: 4, lowStockLevel: 1_500, defaultBinId: 9 }]);
    }
  });

  it('a stale save lists what the other person changed, labelled as the form labels it', () => {
    const opened = {
      id: 1, version: 1, sku: 'FLOUR', name: 'Flour', description: '', barcodes: [], unit: 'kg', scale: 0, stockType: 'Supplied' as const, tracking: 'BULK' as const,
      stockKeeping: true, lowStockLevel: null, active: true, hasMovements: false, onHand: 0,
      groupId: null, groupCode: null, countryOfOrigin: null, sites: [], parentId: null, variantAxes: [], variantAttributes: {}, variantLabel: null, variantCount: 0,
    };
    const now = { ...opened, version: 2, name: 'Flour 00 Caputo', countryOfOrigin: 'IT', active: false };
    expect(savedNow(opened, now, PRODUCT_FIELDS)).toEqual([
      { label: 'Name', value: 'Flour 00 Caputo' },
      { label: 'Country of origin', value: 'IT' },
      { label: 'Active', value: 'No' },
    ]);
  });

  it('per-site levels: blank sites are dropped, a bad level names the site and marks the per-site field', () => {
    const d = { ...EMPTY_PRODUCT, unit: 'kg', scale: 3, sites: [
      { siteId: 1, lowStockLevel: '1.25', defaultBinId: null },
      { siteId: 2, lowStockLevel: '', defaultBinId: null },
      { siteId: 3, lowStockLevel: '', defaultBinId: 7 },
    ] };
    expect(inputOf(d, 'en-GB').sites).toEqual([{ siteId: 1, lowStockLevel: 1250, defaultBinId: null }, { siteId: 3, lowStockLevel: null, defaultBinId: 7 }]);
    let error: unknown;
    try {
      inputOf({ ...d, sites: [{ siteId: 2, lowStockLevel: '1.2345', defaultBinId: null }] }, 'en-GB', () => 'Main kitchen');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DraftError);
    expect((error as DraftError).field).toBe('sites');
    expect((error as DraftError).message).toMatch(/^Low-stock level at Main kitchen: /);
  });

  it('country upper-cased or null; attributes split on commas, blank lines dropped', () => {
    const input = inputOf({ ...EMPTY_PRODUCT, countryOfOrigin: ' it ', variantAxes: [{ name: 'Size', values: 'S, M ,,L' }, { name: ' ', values: '' }] }, 'en-GB');
    expect(input).toMatchObject({ countryOfOrigin: 'IT', variantAxes: [{ name: 'Size', values: ['S', 'M', 'L'] }] });
    expect(inputOf(EMPTY_PRODUCT).countryOfOrigin).toBeNull();
  });
});
