import { z } from 'zod';
import { MAX_QUANTITY_UNITS } from '../quantity';
import { DOCUMENT_TYPE_CODES } from '../document-types';
import { MOVEMENT_TYPE_CODES } from '../movement-types';
import { COST_SOURCES, ON_COSTS } from '../domain';
import { BATCH_CODE_MAX, SERIAL_MAX } from '../operations';
import { oneLineString } from './one-line';

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const money = z.number().int().min(0).max(1e15);
const isoTime = z.iso.datetime({ offset: true });
const isoDate = z.iso.date();

export const onCostsSchema = z
  .object(Object.fromEntries(ON_COSTS.map((k) => [k, money.optional()])) as Record<(typeof ON_COSTS)[number], z.ZodOptional<typeof money>>)
  .strict();

export const movementLineSchema = z
  .object({
    productId: id,
    siteId: id,
    binId: id.optional(),
    batch: z.object({ code: z.string().trim().min(1).max(BATCH_CODE_MAX), expiry: isoDate.optional() }).strict().optional(),
    serial: z.string().trim().min(1).max(SERIAL_MAX).optional(),
    type: z.enum(MOVEMENT_TYPE_CODES),
    qty: z.number().int().refine((q) => q !== 0, 'must not be zero').refine((q) => Math.abs(q) <= MAX_QUANTITY_UNITS, 'is too large'),
    unitCost: money.optional(),
    costSource: z.enum(COST_SOURCES).optional(),
    onCosts: onCostsSchema.optional(),
    reversalOf: id.optional(),
    note: z.string().max(2000).optional(),
  })
  .strict();

/**
 * The ledger document an operation, a count completion or an import builds for the DocumentPoster.
 * Not a contract input: no public method posts a raw document (the operations are the only write path).
 */
export const postDocumentSchema = z
  .object({
    idempotencyKey: z.string().trim().min(8).max(128),
    type: z.enum(DOCUMENT_TYPE_CODES),
    reference: oneLineString().max(100).optional(),
    occurredAt: isoTime.optional(),
    note: z.string().max(2000).optional(),
    lines: z.array(movementLineSchema).min(1, 'needs at least one line').max(100_000),
  })
  .strict();

export type MovementLineInput = z.infer<typeof movementLineSchema>;
export type PostDocumentInput = z.infer<typeof postDocumentSchema>;

export const currentStockQuerySchema = z
  .object({
    search: z.string().max(200).optional(),
    siteId: id.optional(),
    status: z.enum(['all', 'low', 'out', 'low_or_out']).default('all'),
    sort: z.enum(['sku', 'name', 'site', 'onHand', 'lastMovementAt']).default('sku'),
    direction: z.enum(['asc', 'desc']).default('asc'),
    limit: z.number().int().min(1).max(5000).default(500),
    offset: z.number().int().min(0).default(0),
  })
  .strict();
export type CurrentStockQuery = z.input<typeof currentStockQuerySchema>;

export const demoSchema = z
  .object({
    movements: z.number().int().min(1_000).max(5_000_000).default(50_000),
    products: z.number().int().min(20).max(50_000).optional(),
    seed: z.number().int().optional(),
  })
  .strict();

export const emptySchema = z.object({}).strict();
export const jobIdSchema = z.object({ jobId: z.string().min(1).max(64) }).strict();
