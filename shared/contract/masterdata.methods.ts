import type { BinRecord, HistoryEntry, ProductGroupOption, ProductListPage, ProductRecord, ProductSiteStock, SiteRecord } from '../masterdata';
import { method, returns } from './define-method';
import {
  binCreateSchema,
  binUpdateSchema,
  binsListSchema,
  historySchema,
  productGetSchema,
  productStockSchema,
  productCreateSchema,
  productUpdateSchema,
  productsListSchema,
  siteCreateSchema,
  siteUpdateSchema,
} from './masterdata.schemas';
import { emptySchema } from './schemas';

/** Master data (issue 12): sites, bins and products, created and changed from the Sites & products windows. */
export const masterdataMethods = {
  'masterdata.sites': method({
    input: emptySchema,
    result: returns<SiteRecord[]>(),
    permission: 'read:stock',
    description: 'List sites with their bin and stock counts',
  }),
  'masterdata.siteCreate': method({
    input: siteCreateSchema,
    result: returns<SiteRecord>(),
    permission: 'manage:sites',
    description: 'Create a site',
  }),
  'masterdata.siteUpdate': method({
    input: siteUpdateSchema,
    result: returns<SiteRecord>(),
    permission: 'manage:sites',
    description: 'Change a site',
  }),
  'masterdata.bins': method({
    input: binsListSchema,
    result: returns<BinRecord[]>(),
    permission: 'read:stock',
    description: 'List the bins of a site',
  }),
  'masterdata.binCreate': method({
    input: binCreateSchema,
    result: returns<BinRecord>(),
    permission: 'manage:sites',
    description: 'Create a bin',
  }),
  'masterdata.binUpdate': method({
    input: binUpdateSchema,
    result: returns<BinRecord>(),
    permission: 'manage:sites',
    description: 'Change a bin',
  }),
  'masterdata.products': method({
    input: productsListSchema,
    result: returns<ProductListPage>(),
    permission: 'read:stock',
    description: 'List products: one page for a search, filters and sort, with the total they match',
  }),
  'masterdata.product': method({
    input: productGetSchema,
    result: returns<ProductRecord>(),
    permission: 'read:stock',
    description: 'Read one product',
  }),
  'masterdata.productStock': method({
    input: productStockSchema,
    result: returns<ProductSiteStock[]>(),
    permission: 'read:stock',
    description: 'Stock on hand of a product per site and bin',
  }),
  'masterdata.productGroups': method({
    input: emptySchema,
    result: returns<ProductGroupOption[]>(),
    permission: 'read:stock',
    description: 'The product groups the Products list filters by',
  }),
  'masterdata.history': method({
    input: historySchema,
    result: returns<HistoryEntry[]>(),
    permission: 'read:stock',
    description: "A master-data record's changes: who, when, before and after",
  }),
  'masterdata.productCreate': method({
    input: productCreateSchema,
    result: returns<ProductRecord>(),
    permission: 'manage:products',
    description: 'Create a product',
  }),
  'masterdata.productUpdate': method({
    input: productUpdateSchema,
    result: returns<ProductRecord>(),
    permission: 'manage:products',
    description: 'Change a product',
  }),
} as const;
