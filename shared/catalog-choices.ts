import type { CatalogSheetName } from './catalog';
import { STOCK_TYPES, TRACKING_MODES } from './domain';
import { BIN_STOCK_STATUSES, SITE_KINDS } from './masterdata';

/** The words a yes/no cell of a catalog file is read as (any case); empty is the column's default. */
export const YES_WORDS = ['yes', 'y', 'true', '1', 'on', 'x'] as const;
export const NO_WORDS = ['no', 'n', 'false', '0', 'off'] as const;

/** A catalog column that takes one of a fixed list: its header, the values (any case), and what an empty cell means. */
export interface ColumnChoice {
  header: string;
  values: readonly string[];
  empty: string;
}

const yesNo = (header: string, empty: string): ColumnChoice => ({ header, values: ['yes', 'no'], empty });

/**
 * Every enumerated column of each catalog sheet, from the lists its importer checks against (electron/catalog/*.sheet.ts
 * read the same constants; catalog-choices.test.ts holds each header to a column of its sheet). The Catalog window
 * lists them, so a user need not guess "Supplied" or "BULK".
 */
export const CATALOG_CHOICES: Record<CatalogSheetName, readonly ColumnChoice[]> = {
  sites: [{ header: 'Kind', values: SITE_KINDS, empty: 'warehouse' }, yesNo('Allow negative stock', 'no'), yesNo('Active', 'yes')],
  bins: [{ header: 'Stock status', values: BIN_STOCK_STATUSES, empty: 'sellable' }, yesNo('Active', 'yes')],
  groups: [yesNo('Post on-costs', 'no'), yesNo('Active', 'yes')],
  suppliers: [yesNo('In EC', 'from the country'), yesNo('Active', 'yes')],
  products: [
    { header: 'Stock type', values: STOCK_TYPES, empty: 'Supplied' },
    { header: 'Tracking', values: TRACKING_MODES, empty: 'BULK' },
    { header: 'Decimals', values: ['0', '1', '2', '3'], empty: '0' },
    yesNo('Stock keeping', 'yes'),
    yesNo('Active', 'yes'),
  ],
  productSites: [],
  supplierCodes: [],
  recipes: [],
};
