import { describe, expect, it } from 'vitest';
import { combinationKey, combinations, missingCombinations, suggestVariantSku, variantLabel } from './variants';

const axes = [
  { name: 'Size', values: ['S', 'M'] },
  { name: 'Colour', values: ['Red', 'Navy blue'] },
];

describe('variants', () => {
  it('lists every combination, the first attribute varying slowest', () => {
    expect(combinations(axes)).toEqual([
      { Size: 'S', Colour: 'Red' },
      { Size: 'S', Colour: 'Navy blue' },
      { Size: 'M', Colour: 'Red' },
      { Size: 'M', Colour: 'Navy blue' },
    ]);
    expect(combinations([])).toEqual([]);
  });
  it('suggests PARENT-VALUE-VALUE SKUs and labels in attribute order', () => {
    expect(suggestVariantSku('TEE', axes, { Colour: 'Navy blue', Size: 'M' })).toBe('TEE-M-NAVYBLUE');
    expect(variantLabel(axes, { Colour: 'Red', Size: 'S' })).toBe('S / Red');
  });
  it('finds the missing combinations, whatever the case of existing values', () => {
    expect(combinationKey(axes, { Size: 's', Colour: 'RED' })).toBe(combinationKey(axes, { Colour: 'Red', Size: 'S' }));
    expect(missingCombinations(axes, [{ Size: 's', Colour: 'red' }, { Size: 'M', Colour: 'Navy blue' }])).toEqual([
      { Size: 'S', Colour: 'Navy blue' },
      { Size: 'M', Colour: 'Red' },
    ]);
  });
});
