import { describe, expect, it } from 'vitest';
import { matchesSupplier, rankSuppliers } from './supplier-match';

describe('supplier search', () => {
  const napa = { code: 'NAPA', name: 'Napa Valley Imports' };
  it('matches part of the code or the name in any case, and everything on empty text', () => {
    expect(['napa', 'VALLEY', ' imp ', '', 'AP'].map((q) => matchesSupplier(napa, q))).toEqual([true, true, true, true, true]);
    expect(['acme', 'napa2', 'valley imports ltd'].map((q) => matchesSupplier(napa, q))).toEqual([false, false, false]);
  });
});

describe('supplier ranking (the Receive supplier picker)', () => {
  const list = [
    { code: 'ADMIN', name: 'Admiral Wines' },
    { code: 'BORD', name: 'Bordeaux Minervois Traders' },
    { code: 'CAMIN', name: 'Camino Foods' },
    { code: 'MINO', name: 'Minotaur Beverages' },
    { code: 'XYZ', name: 'Minerals & Co' },
    { code: 'MIN', name: 'Mineral Springs' },
    { code: 'ACME', name: 'Acme Supplies' },
  ];
  it('puts the exact code first, then code prefix, name prefix, name word, then anywhere; drops the rest', () => {
    expect(rankSuppliers(list, 'min').map((s) => s.code)).toEqual(['MIN', 'MINO', 'XYZ', 'BORD', 'ADMIN', 'CAMIN']);
    expect(rankSuppliers(list, ' Acme ').map((s) => s.code)).toEqual(['ACME']);
    expect(rankSuppliers(list, 'nothing like it')).toEqual([]);
  });
  it('keeps every supplier in its own order on empty text', () => {
    expect(rankSuppliers(list, '  ').map((s) => s.code)).toEqual(list.map((s) => s.code));
  });
});
