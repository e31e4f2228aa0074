import { z } from 'zod';
import { MAX_QUANTITY_UNITS } from '../quantity';
import { oneLineString } from './one-line';
import { STOCK_TYPES, TRACKING_MODES } from '../domain';
import { isCountryCode } from '../countries';
import { BIN_STOCK_STATUSES, SITE_KINDS } from '../masterdata';

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const code = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} is required`)
    .max(32, `${what} must be at most 32 characters`)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, `${what} may hold letters, digits and . _ / - only (no spaces)`);
const name = (what: string, max: number) => oneLineString().min(1, `${what} is required`).max(max, `${what} must be at most ${max} characters`);

export const siteFieldsSchema = z
  .object({
    code: code('The site code'),
    name: name('The site name', 128),
    kind: z.enum(SITE_KINDS, 'The kind must be warehouse, shop, kitchen or other'),
    allowNegative: z.boolean(),
    active: z.boolean(),
  })
  .strict();
export const siteCreateSchema = siteFieldsSchema.extend({ active: z.boolean().default(true) }).strict();
/** The version the editor opened (optimistic versioning): a save from an older one is refused. Absent: saved over whatever is there. */
export const expectedVersion = z.number().int().positive().optional();
export const siteUpdateSchema = siteFieldsSchema.extend({ id, version: expectedVersion }).strict();

export const binFieldsSchema = z
  .object({
    code: code('The bin code'),
    name: oneLineString().max(128, 'The bin name must be at most 128 characters').default(''),
    stockStatus: z.enum(BIN_STOCK_STATUSES, 'The stock status must be sellable, defective or quarantine'),
    active: z.boolean(),
  })
  .strict();
export const binsListSchema = z.object({ siteId: id }).strict();
export const binCreateSchema = binFieldsSchema.extend({ siteId: id, active: z.boolean().default(true) }).strict();
export const binUpdateSchema = binFieldsSchema.extend({ id }).strict();

const quantityLevel = (what: string) =>
  z.number().int().min(0, `${what} must not be negative`).max(MAX_QUANTITY_UNITS, `${what} is too large`).nullable();

export const productSiteSchema = z
  .object({ siteId: id, lowStockLevel: quantityLevel('The site\'s low-stock level'), defaultBinId: id.nullable() })
  .strict();

const attributeText = (what: string) =>
  z.string().trim().min(1, `${what} must not be empty`).max(40, `${what} must be at most 40 characters`);
export const variantAxisSchema = z
  .object({
    name: attributeText('An attribute name'),
    values: z.array(attributeText('An attribute value')).min(1, 'Each attribute needs at least one value').max(50, 'An attribute may have at most 50 values'),
  })
  .strict();

export const productFieldsSchema = z
  .object({
    sku: z
      .string()
      .trim()
      .min(1, 'The SKU is required')
      .max(64, 'The SKU must be at most 64 characters')
      .regex(/^\S+$/, 'The SKU must not contain spaces'),
    name: name('The product name', 200),
    description: z.string().trim().max(2000, 'The description must be at most 2,000 characters').default(''),
    barcodes: z
      .array(z.string().trim().min(1, 'A barcode must not be empty').max(64, 'A barcode must be at most 64 characters').regex(/^\S+$/, 'A barcode must not contain spaces'))
      .max(50, 'A product may have at most 50 barcodes')
      .default([]),
    unit: z.string().trim().min(1, 'The unit is required').max(16, 'The unit must be at most 16 characters'),
    scale: z.number().int().min(0, 'Decimals must be 0 to 3').max(3, 'Decimals must be 0 to 3'),
    stockType: z.enum(STOCK_TYPES, 'The stock type must be Supplied, Preparation, Made, Recipe or Other'),
    tracking: z.enum(TRACKING_MODES, 'The tracking must be BULK, LOT, SERIAL or RFID'),
    stockKeeping: z.boolean(),
    lowStockLevel: quantityLevel('The low-stock level'),
    active: z.boolean(),
    groupId: id.nullable().default(null),
    countryOfOrigin: z
      .string()
      .trim()
      .toUpperCase()
      .refine((c): boolean => isCountryCode(c), 'The country of origin must be a two-letter ISO 3166 country code, such as GB, FR or IT')
      .nullable()
      .default(null),
    sites: z.array(productSiteSchema).max(1000).default([]),
    variantAxes: z.array(variantAxisSchema).max(3, 'A product may have at most 3 variant attributes').default([]),
    parentId: id.nullable().default(null),
    variantAttributes: z.record(z.string().max(40), z.string().max(40)).default({}),
  })
  .strict();
export const productCreateSchema = productFieldsSchema.extend({ active: z.boolean().default(true) }).strict();
export const productUpdateSchema = productFieldsSchema.extend({ id, version: expectedVersion }).strict();
export const productsListSchema = z
  .object({
    search: z.string().max(200).default(''),
    includeInactive: z.boolean().default(true),
    limit: z.number().int().min(1).max(500).default(200),
    offset: z.number().int().min(0).default(0),
    /** Only active (true) or only inactive (false) products; absent: as includeInactive says. */
    active: z.boolean().optional(),
    stockType: z.enum(STOCK_TYPES, 'The stock type must be Supplied, Preparation, Made, Recipe or Other').optional(),
    tracking: z.enum(TRACKING_MODES, 'The tracking must be BULK, LOT, SERIAL or RFID').optional(),
    stockKeeping: z.boolean().optional(),
    groupId: id.optional(),
    sort: z.enum(['sku', 'name'], 'Sort by sku or name').optional(),
    desc: z.boolean().optional(),
    /** Variants shown grouped: only top-level products, each one that matches or has a variant that matches. */
    grouped: z.boolean().optional(),
    /** Only the variants of this parent that match (the rows under it in a grouped list). */
    parentId: id.optional(),
  })
  .strict();
export const productGetSchema = z.object({ id }).strict();
export const productStockSchema = z.object({ productId: id }).strict();
/** A record's History tab: the site's history includes its bins'. */
export const HISTORY_RECORDS = ['product', 'site', 'supplier', 'product group', 'company'] as const;
export const historySchema = z
  .object({ record: z.enum(HISTORY_RECORDS, 'The record must be a product, a site, a supplier, a product group or the company'), id })
  .strict();

export const productDeleteSchema = z.object({ id }).strict();
export const variantsListSchema = z.object({ parentId: id }).strict();
export const variantsCreateSchema = z
  .object({
    parentId: id,
    variants: z
      .array(
        z
          .object({
            sku: productFieldsSchema.shape.sku,
            barcodes: productFieldsSchema.shape.barcodes,
            values: z.record(z.string().max(40), z.string().max(40)),
          })
          .strict(),
      )
      .min(1, 'Choose at least one variant to create')
      .max(500, 'At most 500 variants can be created at once'),
  })
  .strict();

export const productGroupFieldsSchema = z
  .object({
    code: code('The group code'),
    name: name('The group name', 128),
    postOnCosts: z.boolean(),
    active: z.boolean(),
  })
  .strict();
export const productGroupCreateSchema = productGroupFieldsSchema.extend({ active: z.boolean().default(true) }).strict();
export const productGroupUpdateSchema = productGroupFieldsSchema.extend({ id }).strict();

export type SiteCreateInput = z.output<typeof siteCreateSchema>;
export type SiteUpdateInput = z.output<typeof siteUpdateSchema>;
export type BinCreateInput = z.output<typeof binCreateSchema>;
export type BinUpdateInput = z.output<typeof binUpdateSchema>;
export type ProductCreateInput = z.output<typeof productCreateSchema>;
export type ProductUpdateInput = z.output<typeof productUpdateSchema>;
export type ProductsListInput = z.output<typeof productsListSchema>;
export type ProductSiteInput = z.output<typeof productSiteSchema>;
export type VariantsCreateInput = z.output<typeof variantsCreateSchema>;
export type ProductGroupCreateInput = z.output<typeof productGroupCreateSchema>;
export type ProductGroupUpdateInput = z.output<typeof productGroupUpdateSchema>;
export type HistoryInput = z.output<typeof historySchema>;
