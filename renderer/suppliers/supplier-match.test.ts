import { describe, expect, it } from 'vitest';
import { matchesSupplier } from './supplier-match';

describe('supplier search', () => {
  const napa = { code: 'NAPA', name: 'Napa Valley Imports' };
  it('matches part of the code or the name in any case, and everything on empty text', () => {
    expect(['napa', 'VALLEY', ' imp ', '', 'AP'].map((q) => matchesSupplier(napa, q))).toEqual([true, true, true, true, true]);
    expect(['acme', 'napa2', 'valley imports ltd'].map((q) => matchesSupplier(napa, q))).toEqual([false, false, false]);
  });
});
