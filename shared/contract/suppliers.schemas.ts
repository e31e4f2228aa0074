import { z } from 'zod';
import { oneLineString } from './one-line';

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const optionalText = (what: string, max: number) => z.string().trim().max(max, `${what} must be at most ${max.toLocaleString('en-GB')} characters`).default('');

/** A supplier's fields as the Suppliers window and the catalog import give them. */
export const supplierFieldsSchema = z
  .object({
    code: z
      .string()
      .trim()
      .min(1, 'The supplier code is required')
      .max(32, 'The supplier code must be at most 32 characters')
      .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'The supplier code may hold letters, digits and . _ / - only (no spaces)'),
    name: oneLineString().min(1, 'The supplier name is required').max(128, 'The supplier name must be at most 128 characters'),
    country: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, 'The country must be a two-letter ISO 3166 code, such as GB, FR or US'),
    /** Omitted: from the country (an EU member state is in the EC). */
    inEc: z.boolean().optional(),
    contactName: optionalText('The contact name', 128),
    email: z
      .string()
      .trim()
      .max(254, 'The email address must be at most 254 characters')
      .refine((v) => v === '' || z.email().safeParse(v).success, 'The email address is not valid: write it as name@example.com')
      .default(''),
    phone: z
      .string()
      .trim()
      .max(40, 'The phone number must be at most 40 characters')
      .regex(/^[0-9+()./ -]*$/, 'The phone number may hold digits, spaces and + ( ) . / - only')
      .default(''),
    address: optionalText('The address', 500),
    notes: optionalText('The notes', 2000),
    active: z.boolean(),
  })
  .strict();
export const supplierCreateSchema = supplierFieldsSchema.extend({ active: z.boolean().default(true) }).strict();
export const supplierUpdateSchema = supplierFieldsSchema.extend({ id }).strict();
export const suppliersListSchema = z
  .object({
    search: z.string().max(200).default(''),
    /** False: active suppliers only (the Receive form's picker). */
    includeInactive: z.boolean().default(true),
  })
  .strict();

export const supplierCodesSchema = z
  .object({ supplierId: id.optional(), productId: id.optional() })
  .strict()
  .refine((v) => (v.supplierId === undefined) !== (v.productId === undefined), 'Give either a supplier or a product');
export const supplierCodeAddSchema = z
  .object({
    supplierId: id,
    productId: id,
    code: z
      .string()
      .trim()
      .min(1, "The supplier's code is required")
      .max(64, "The supplier's code must be at most 64 characters"),
  })
  .strict();
export const supplierCodeRemoveSchema = z.object({ id }).strict();

export type SupplierCreateInput = z.output<typeof supplierCreateSchema>;
export type SupplierUpdateInput = z.output<typeof supplierUpdateSchema>;
export type SupplierFields = z.output<typeof supplierFieldsSchema>;
export type SuppliersListInput = z.output<typeof suppliersListSchema>;
export type SupplierCodesInput = z.output<typeof supplierCodesSchema>;
export type SupplierCodeAddInput = z.output<typeof supplierCodeAddSchema>;
