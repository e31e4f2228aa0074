import { describe, expect, it } from 'vitest';
import type { ProductOption } from '../../shared/operations';
import { defaultBinId, productReplaced, rebinned } from './default-bin';
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
  it("another product replaces what the line held for the old one; the same product again, or an emptied box, keeps it", () => {
    const monitor = { ...product({ '1': 11 }), id: 8, tracking: 'SERIAL' } as ProductOption;
    const saline = { ...product({ '1': 12 }), id: 9 } as ProductOption;
    const line = { ...emptyLine(), product: monitor, qty: '1', binId: '11', batch: 'L1', expiry: '2027-01-31', serials: 'SN-2', toBinId: '11' };
    const replaced = { ...line, ...productReplaced(line, saline) };
    expect([replaced.binId, replaced.toBinId, replaced.batch, replaced.expiry, replaced.serials, replaced.qty]).toEqual(['', '', '', '', '', '1']);
    expect(defaultBinId(saline, 1, replaced.binId)).toBe('12');
    expect(productReplaced(line, monitor)).toEqual({});
    expect(productReplaced(line, null)).toEqual({});
  });
});
