import { describe, expect, it } from 'vitest';
import { CATALOG_CHOICES } from '../../shared/catalog-choices';
import { CATALOG_SHEETS } from '../../shared/catalog';
import { catalogSheet } from './catalog-sheets';

describe("the Catalog window's allowed values", () => {
  it("name real columns of each sheet, by the header the importer writes", () => {
    for (const name of CATALOG_SHEETS) {
      const headers = catalogSheet(name).columns.map((c) => c.header);
      for (const choice of CATALOG_CHOICES[name]) expect(headers, `${name}: ${choice.header}`).toContain(choice.header);
    }
  });

  it('list every enumerated column of products and sites', () => {
    expect(CATALOG_CHOICES.products.map((c) => c.header)).toEqual(['Stock type', 'Tracking', 'Decimals', 'Stock keeping', 'Active']);
    expect(CATALOG_CHOICES.products[0]!.values).toEqual(['Supplied', 'Preparation', 'Made', 'Recipe', 'Other']);
    expect(CATALOG_CHOICES.sites[0]).toEqual({ header: 'Kind', values: ['warehouse', 'shop', 'kitchen', 'other'], empty: 'warehouse' });
  });
});
