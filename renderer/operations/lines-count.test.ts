import { describe, expect, it } from 'vitest';
import type { ProductOption } from '../../shared/operations';
import { emptyLine, type FormLine } from './line-model';
import { linesCountText } from './lines-count';

const tart: ProductOption = { id: 7, sku: 'TART', name: 'Tart', unit: 'ea', scale: 0, stockType: 'Made', tracking: 'BULK' };
const egg: ProductOption = { id: 8, sku: 'EGG', name: 'Egg', unit: 'ea', scale: 0, stockType: 'Supplied', tracking: 'BULK' };
const line = (p: Partial<FormLine>): FormLine => ({ ...emptyLine(), ...p });

describe('the count beside Review', () => {
  it('counts the started lines of an ordinary form', () => {
    expect(linesCountText('receive', { lines: [line({ product: egg, qty: '2' }), line({})], output: emptyLine(), useRecipe: true }, null)).toBe('1 line');
  });

  it('counts production as its output plus the components it consumes, never "0 lines" with the output filled in', () => {
    const output = line({ product: tart, qty: '4' });
    expect(linesCountText('produce', { lines: [emptyLine()], output, useRecipe: true }, 3)).toBe('1 output + 3 components by its recipe');
    expect(linesCountText('produce', { lines: [emptyLine()], output, useRecipe: true }, null)).toBe('1 output + the components of its recipe');
    expect(linesCountText('produce', { lines: [line({ product: egg, qty: '2' })], output, useRecipe: false }, null)).toBe('1 output + 1 component consumed');
  });

  it('says what is missing', () => {
    expect(linesCountText('produce', { lines: [emptyLine()], output: emptyLine(), useRecipe: true }, null)).toBe('Pick the output product');
    expect(linesCountText('produce', { lines: [emptyLine()], output: line({ product: tart }), useRecipe: true }, 2)).toBe('1 output (enter the quantity made) + 2 components by its recipe');
    expect(linesCountText('produce', { lines: [emptyLine()], output: line({ product: tart, qty: '1' }), useRecipe: false }, null)).toBe('1 output; add the components consumed');
    expect(linesCountText('produce', { lines: [emptyLine()], output: line({ product: tart, qty: '1' }), useRecipe: true }, 'none')).toBe('1 output; TART has no recipe: untick "Consume by recipe" and list the components');
  });
});
