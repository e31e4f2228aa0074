import type { CatalogSheetName } from '../../shared/catalog';
import { binsSheet } from './bins.sheet';
import type { CatalogSheet } from './catalog-sheet';
import { groupsSheet } from './groups.sheet';
import { productSitesSheet } from './product-sites.sheet';
import { productsSheet } from './products.sheet';
import { recipesSheet } from './recipes.sheet';
import { sitesSheet } from './sites.sheet';
import { supplierCodesSheet } from './supplier-codes.sheet';
import { suppliersSheet } from './suppliers.sheet';

/**
 * Every catalog sheet, in the order an import checks and writes them: a sheet may refer to records of the sheets
 * before it (bins to sites; later, variants and recipes to products, products to groups and suppliers).
 */
export const CATALOG_SHEET_MODULES: readonly CatalogSheet<unknown, unknown>[] = [
  sitesSheet as unknown as CatalogSheet<unknown, unknown>,
  binsSheet as unknown as CatalogSheet<unknown, unknown>,
  groupsSheet as unknown as CatalogSheet<unknown, unknown>,
  suppliersSheet as unknown as CatalogSheet<unknown, unknown>,
  productsSheet as unknown as CatalogSheet<unknown, unknown>,
  productSitesSheet as unknown as CatalogSheet<unknown, unknown>,
  supplierCodesSheet as unknown as CatalogSheet<unknown, unknown>,
  recipesSheet as unknown as CatalogSheet<unknown, unknown>,
];

export const catalogSheet = (name: CatalogSheetName) => CATALOG_SHEET_MODULES.find((s) => s.name === name)!;
