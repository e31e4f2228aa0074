import { z } from 'zod';
import { MAX_QUANTITY_UNITS } from '../quantity';
import { COUNT_RESOLUTION_CHOICES, COUNT_STATUSES } from '../counts';

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const qty = z.number().int().min(0, 'a counted quantity cannot be negative').max(MAX_QUANTITY_UNITS, 'is too large');

export const countListSchema = z.object({ status: z.enum(COUNT_STATUSES).optional() }).strict();
export const countSessionRefSchema = z.object({ sessionId: id }).strict();
export const countLineRefSchema = z.object({ sessionId: id, lineId: id }).strict();
export const countBinsSchema = z.object({ siteId: id }).strict();

export const countCreateSchema = z
  .object({
    siteId: id,
    binId: id.optional(),
    notes: z.string().trim().max(2000).optional(),
    /** When the count was taken (default: now); not in the future, nor before stock in scope last moved. */
    occurredAt: z.iso.datetime({ offset: true, error: 'must be a date and time' }).optional(),
  })
  .strict();

/** `version`: the line's version the counter saw; refused if someone saved the line since (absent: saved over it). */
export const countSetCountedSchema = z.object({ sessionId: id, lineId: id, countedQty: qty.nullable(), version: z.number().int().positive().optional() }).strict();

export const countSetCountedManySchema = z
  .object({ sessionId: id, entries: z.array(z.object({ lineId: id, countedQty: qty.nullable() }).strict()).min(1).max(100_000) })
  .strict();

export const countSetResolutionSchema = z
  .object({ sessionId: id, lineIds: z.array(id).min(1).max(100_000).optional(), resolution: z.enum(COUNT_RESOLUTION_CHOICES) })
  .strict();

export const countScanSchema = z
  .object({ sessionId: id, code: z.string().trim().min(1, 'scan or type a code').max(128), lineId: id.optional() })
  .strict();

export const countRemoveCodeSchema = z.object({ sessionId: id, lineId: id, code: z.string().trim().min(1).max(128) }).strict();

export type CountCreateInput = z.infer<typeof countCreateSchema>;
export type CountSetCountedManyInput = z.infer<typeof countSetCountedManySchema>;
export type CountSetResolutionInput = z.infer<typeof countSetResolutionSchema>;
export type CountScanInput = z.infer<typeof countScanSchema>;
