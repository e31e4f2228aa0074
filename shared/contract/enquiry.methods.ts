import type { CurrentStockPage } from '../domain';
import type {
  BatchJourney, DashboardData, ExportJobInfo, StockBalanceReport, MovementCount, MovementPage, ProductDetails, StockAtDateResult,
} from '../enquiry';
import { method, returns } from './define-method';
import {
  batchJourneyQuerySchema, countRefineSchema, dashboardQuerySchema, exportStartSchema, lowStockQuerySchema, lookupsQuerySchema, movementCountQuerySchema,
  movementPageQuerySchema, productDetailsQuerySchema, stockAtDateQuerySchema, stockBalanceQuerySchema,
} from './enquiry.schemas';
import { emptySchema } from './schemas';

export interface EnquiryLookups {
  users: { id: number; name: string }[];
  bins: { id: number; siteId: number; code: string }[];
  products: { id: number; sku: string; name: string }[];
}

export const enquiryMethods = {
  'enquiry.movements': method({
    input: movementPageQuerySchema,
    result: returns<MovementPage>(),
    permission: 'read:stock',
    description: 'Search and filter movements, one keyset page at a time',
  }),
  'enquiry.count': method({
    input: movementCountQuerySchema,
    result: returns<MovementCount>(),
    permission: 'read:stock',
    description: 'Count the movements matching a filter (exact up to a cap)',
  }),
  'enquiry.batchJourney': method({
    input: batchJourneyQuerySchema,
    result: returns<BatchJourney>(),
    permission: 'read:stock',
    description: "Show a batch's whole life with its running remainder",
  }),
  'enquiry.productDetails': method({
    input: productDetailsQuerySchema,
    result: returns<ProductDetails>(),
    permission: 'read:stock',
    description: 'Show a product with its stock by site, bin and batch and its stock level over time',
  }),
  'enquiry.stockAt': method({
    input: stockAtDateQuerySchema,
    result: returns<StockAtDateResult>(),
    permission: 'read:stock',
    description: 'Show stock as at a past date and time',
  }),
  'enquiry.lowStock': method({
    input: lowStockQuerySchema,
    result: returns<CurrentStockPage>(),
    permission: 'read:stock',
    description: 'List products at or under their low-stock level',
  }),
  'enquiry.lookups': method({
    input: lookupsQuerySchema,
    result: returns<EnquiryLookups>(),
    permission: 'read:stock',
    description: 'Look up users, bins and products for the enquiry filters',
  }),
  'enquiry.rebuildSnapshots': method({
    input: emptySchema,
    result: returns<{ snapshots: number }>(),
    permission: 'manage:data',
    description: 'Rebuild the derived daily stock snapshots',
  }),
  'enquiry.exportStart': method({
    input: exportStartSchema,
    result: returns<ExportJobInfo>(),
    permission: 'read:stock',
    description: 'Export the filtered movements to a file as a background job',
  }),
  'enquiry.dashboard': method({
    input: dashboardQuerySchema,
    result: returns<DashboardData>(),
    permission: 'read:stock',
    description: 'Show the dashboard: movements by type per day, stock value over time, top movers',
  }),
  'enquiry.stockBalance': method({
    input: stockBalanceQuerySchema,
    result: returns<StockBalanceReport>(),
    permission: 'read:stock',
    description: 'Show the stock balance report: opening, in, out and closing per product and site over a period',
  }),
  'enquiry.countRefine': method({
    input: countRefineSchema,
    result: returns<{ jobId: string }>(),
    permission: 'read:stock',
    description: 'Count the movements matching a filter exactly, in the background (job.finished\'s message starts with the count)',
  }),
  'enquiry.exports': method({
    input: emptySchema,
    result: returns<ExportJobInfo[]>(),
    permission: 'read:stock',
    description: 'List export jobs and their files',
  }),
} as const;
