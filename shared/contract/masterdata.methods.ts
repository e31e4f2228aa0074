import type { BinRecord, HistoryEntry, ProductGroupRecord, ProductListPage, ProductRecord, ProductSiteStock, SiteRecord } from '../masterdata';
import { method, returns } from './define-method';
import {
  binCreateSchema,
  binUpdateSchema,
  binsListSchema,
  historySchema,
  productGetSchema,
  productStockSchema,
  productCreateSchema,
  productDeleteSchema,
  productGroupCreateSchema,
  productGroupUpdateSchema,
  productUpdateSchema,
  productsListSchema,
  variantsCreateSchema,
  variantsListSchema,
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
    description: 'Show the stock on hand of a product per site and bin',
  }),
  'masterdata.history': method({
    input: historySchema,
    result: returns<HistoryEntry[]>(),
    permission: 'read:stock',
    description: "Show a master-data record's changes: who, when, before and after",
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
  'masterdata.productDelete': method({
    input: productDeleteSchema,
    result: returns<{ id: number; sku: string }>(),
    permission: 'manage:products',
    description: 'Delete a product that has never moved',
  }),
  'masterdata.variants': method({
    input: variantsListSchema,
    result: returns<ProductRecord[]>(),
    permission: 'read:stock',
    description: 'List the variants of a variant parent',
  }),
  'masterdata.variantsCreate': method({
    input: variantsCreateSchema,
    result: returns<ProductRecord[]>(),
    permission: 'manage:products',
    description: 'Create variants of a variant parent, all or none',
  }),
  'masterdata.groups': method({
    input: emptySchema,
    result: returns<ProductGroupRecord[]>(),
    permission: 'read:stock',
    description: 'List product groups',
  }),
  'masterdata.groupCreate': method({
    input: productGroupCreateSchema,
    result: returns<ProductGroupRecord>(),
    permission: 'manage:products',
    description: 'Create a product group',
  }),
  'masterdata.groupUpdate': method({
    input: productGroupUpdateSchema,
    result: returns<ProductGroupRecord>(),
    permission: 'manage:products',
    description: 'Change a product group',
  }),
} as const;
