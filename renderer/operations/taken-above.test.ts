import { describe, expect, it } from 'vitest';
import type { ProductOption } from '../../shared/operations';
import { emptyLine, type FormLine } from './line-model';
import { lineQty, takenAbove } from './taken-above';

const loaf: ProductOption = { id: 1, sku: 'LOAF', name: 'Loaf', unit: 'each', scale: 0, stockType: 'Supplied', tracking: 'BULK' };
const rice: ProductOption = { id: 2, sku: 'RICE', name: 'Rice', unit: 'kg', scale: 3, stockType: 'Supplied', tracking: 'LOT' };
const line = (p: Partial<FormLine>): FormLine => ({ ...emptyLine(), ...p });

describe('what the lines above take from a pick line\'s On hand', () => {
  it('two lines of 3 of one product: the second finds what the first leaves (8 → 5, then 5 → 2), as the Review does', () => {
    expect(takenAbove([line({ product: loaf, qty: '3' }), line({ product: loaf, qty: '3' })])).toEqual([0, 3]);
    expect(takenAbove([line({ product: loaf, qty: '5' }), line({ product: loaf, qty: '5' }), line({ product: loaf, qty: '1' })])).toEqual([0, 5, 10]);
  });

  it('counts a line above only for the same product, from within this line\'s bin and batch; a quantity read in the product\'s decimals', () => {
    const lines = [
      line({ product: rice, qty: '1.5', binId: '4', batch: 'L1' }),
      line({ product: loaf, qty: '2', binId: '4' }),
      line({ product: rice, qty: '2', binId: '5', batch: 'L1' }),
      line({ product: rice, qty: '1', batch: 'L2' }),
      // site-wide: every rice line above takes from it
      line({ product: rice, qty: '1' }),
      // bin 4: only the first (the third is bin 5; the fourth may take from anywhere, which only the Review knows)
      line({ product: rice, qty: '1', binId: '4' }),
      // batch L1 in any bin: the first and the third
      line({ product: rice, qty: '1', batch: ' L1 ' }),
    ];
    expect(takenAbove(lines)).toEqual([0, 0, 0, 0, 4500, 1500, 3500]);
  });

  it('leaves out lines above with no product or a quantity not yet readable, and a line with no product reads 0', () => {
    expect(lineQty(line({ product: loaf, qty: '2.5' }))).toBeNull();
    expect(lineQty(line({ product: loaf, qty: '' }))).toBeNull();
    expect(takenAbove([line({ product: loaf, qty: 'x' }), line({ product: null, qty: '4' }), line({ product: loaf, qty: '-2' }), line({ product: loaf, qty: '1' }), line({})])).toEqual([0, 0, 0, 0, 0]);
  });

  it('an internal transfer leaves the site as it was: only a line from a named bin counts what the lines above take from it', () => {
    const lines = [line({ product: loaf, qty: '3', binId: '4', toBinId: '5' }), line({ product: loaf, qty: '1' }), line({ product: loaf, qty: '1', binId: '4' })];
    expect(takenAbove(lines, true)).toEqual([0, 0, 3]);
  });
});
