import { describe, expect, it } from 'vitest';
import type { ProductOption } from '../../shared/operations';
import { defaultBinId, rebinned } from './default-bin';
import { emptyLine } from './line-model';

const product = (defaultBins?: Record<string, number>) => ({ id: 7, sku: 'BROT', name: 'Brot', unit: 'Stk', scale: 0, tracking: 'BULK', ...(defaultBins ? { defaultBins } : {}) }) as unknown as ProductOption;

describe('default bin of stock coming in', () => {
  it("is the product's default bin at the site it arrives at", () => {
    expect(defaultBinId(product({ '1': 11, '2': 22 }), 2)).toBe('22');
    expect(defaultBinId(product({ '1': 11, '2': 22 }), 1)).toBe('11');
  });
  it('is none where the product has none at that site, no site is picked or no product', () => {
    expect(defaultBinId(product({ '1': 11 }), 2)).toBe('');
    expect(defaultBinId(product(), 1)).toBe('');
    expect(defaultBinId(product({ '1': 11 }), null)).toBe('');
    expect(defaultBinId(null, 1)).toBe('');
  });
  it('never replaces a bin the clerk chose', () => {
    expect(defaultBinId(product({ '1': 11 }), 1, '15')).toBe('15');
  });
  it('a change of site drops the old site\'s bins: incoming lines take the new default, outgoing any bin', () => {
    const lines = [{ ...emptyLine(), product: product({ '1': 11, '2': 22 }), binId: '11', toBinId: '11' }, { ...emptyLine(), binId: '5', toBinId: '5' }];
    expect(rebinned(lines, 'toBinId', 2, true).map((l) => [l.binId, l.toBinId])).toEqual([['11', '22'], ['5', '']]);
    expect(rebinned(lines, 'binId', 2, false).map((l) => [l.binId, l.toBinId])).toEqual([['', '11'], ['', '5']]);
  });
});
