import type { CatalogExportFile, CatalogPreview } from '../catalog';
import { method, returns } from './define-method';
import { catalogExportSchema, catalogImportSchema, catalogPreviewSchema } from './catalog.schemas';

/**
 * Catalog import and export (issue 12): products, sites and bins as CSV or XLSX. Changing a sheet's records needs that
 * sheet's permission (products: manage:products; sites and bins: manage:sites), checked per sheet in main: a sheet the
 * caller may not change is a problem in the preview and the import refuses it, so reading the file needs only read:stock.
 */
export const catalogMethods = {
  'catalog.preview': method({
    input: catalogPreviewSchema,
    result: returns<CatalogPreview>(),
    permission: 'read:stock',
    description: 'Check a catalog file: what it would create, update or leave unchanged, and every row problem',
  }),
  'catalog.importStart': method({
    input: catalogImportSchema,
    result: returns<{ started: true }>(),
    permission: 'read:stock',
    description: 'Import a catalog file as a background job: all rows or none (its sheets need the Manage products or Manage sites and bins permission)',
  }),
  'catalog.export': method({
    input: catalogExportSchema,
    result: returns<CatalogExportFile>(),
    permission: 'read:stock',
    description: 'Export products, sites and bins as a CSV or XLSX file that imports back unchanged',
  }),
} as const;
