import { z } from 'zod';
import { oneLineString } from './one-line';
import { MOVEMENT_TYPE_CODES } from '../movement-types';

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const epochMs = z.number().int().min(0).max(8.64e15);
const isoDate = z.iso.date();
/** An inclusive range; either end may be open. */
const timeRange = z.object({ from: epochMs.optional(), to: epochMs.optional() }).strict();
const dateRange = z.object({ from: isoDate.optional(), to: isoDate.optional() }).strict();
/** One page of a long report: the window loads the rows it shows (offset paging; the answer carries the total). */
const reportPage = { offset: z.number().int().min(0).max(10_000_000).default(0), limit: z.number().int().min(1).max(5000).default(500) };

/** What the enquiry window filters movements by. Every field narrows; absent fields do not. */
export const movementFilterSchema = z
  .object({
    /** SKU prefix, product name (word prefix), batch code prefix, serial prefix (letter case included), or an exact barcode. */
    search: oneLineString().max(200).optional(),
    types: z.array(z.enum(MOVEMENT_TYPE_CODES)).max(MOVEMENT_TYPE_CODES.length).optional(),
    occurred: timeRange.optional(),
    recorded: timeRange.optional(),
    expiry: dateRange.optional(),
    productId: id.optional(),
    siteId: id.optional(),
    binId: id.optional(),
    batchId: id.optional(),
    documentId: id.optional(),
    userId: id.optional(),
  })
  .strict();
export type MovementFilter = z.infer<typeof movementFilterSchema>;

export const movementCursorSchema = z.object({ occurredAt: z.number().int(), seq: id }).strict();

export const movementPageQuerySchema = z
  .object({
    filter: movementFilterSchema.default({}),
    /** newest first (default) or oldest first. */
    order: z.enum(['desc', 'asc']).default('desc'),
    /** Rows after the cursor in `order`, or the rows just before it (paging back). */
    after: movementCursorSchema.optional(),
    before: movementCursorSchema.optional(),
    limit: z.number().int().min(1).max(2000).default(200),
    /** Compute each row's balance on that date (its column is shown); false leaves it null and skips the work. */
    balanceOnDate: z.boolean().default(true),
  })
  .strict()
  .refine((q) => !(q.after && q.before), 'give either after or before, not both');
export type MovementPageQuery = z.input<typeof movementPageQuerySchema>;
export type MovementPageQueryParsed = z.output<typeof movementPageQuerySchema>;

export const movementCountQuerySchema = z
  .object({ filter: movementFilterSchema.default({}), cap: z.number().int().min(1).max(10_000_000).default(100_000) })
  .strict();

export const batchJourneyQuerySchema = z.object({ batchId: id }).strict();
export const productDetailsQuerySchema = z.object({ productId: id }).strict();

export const stockAtDateQuerySchema = z
  .object({
    /** A date (the end of that local day in the business time zone), a local date and time there, or an instant with an offset. */
    at: z.union([z.iso.datetime({ offset: true }), z.iso.date(), z.iso.datetime({ local: true })]),
    productId: id.optional(),
    siteId: id.optional(),
    /** 'batch' (default): per product/site/bin/batch; 'site': per product/site. */
    level: z.enum(['batch', 'site']).default('batch'),
    ...reportPage,
  })
  .strict();
export type StockAtDateQuery = z.output<typeof stockAtDateQuerySchema>;

export const lowStockQuerySchema = z
  .object({
    siteId: id.optional(),
    includeOut: z.boolean().default(true),
    limit: z.number().int().min(1).max(5000).default(1000),
    offset: z.number().int().min(0).max(10_000_000).default(0),
  })
  .strict();

export const exportStartSchema = z
  .object({ filter: movementFilterSchema.default({}), format: z.enum(['csv', 'xlsx']).default('csv'), summary: z.string().max(500).default('') })
  .strict();

export const lookupsQuerySchema = z.object({ search: z.string().max(100).default('') }).strict();

export const dashboardQuerySchema = z.object({ days: z.number().int().min(1).max(366).default(30) }).strict();

export const countRefineSchema = z.object({ filter: movementFilterSchema.default({}) }).strict();

/** A report period (epoch ms, inclusive) with optional product and site. */
export const stockBalanceQuerySchema = z
  .object({ from: epochMs, to: epochMs, productId: id.optional(), siteId: id.optional(), ...reportPage })
  .strict()
  .refine((q) => q.from <= q.to, 'the period must start before it ends');
export type StockBalanceQuery = z.output<typeof stockBalanceQuerySchema>;
