import { z } from 'zod';
import { currentStockQuerySchema } from './schemas';
import { movementFilterSchema, stockAtDateQuerySchema } from './enquiry.schemas';
import { targetSchema } from './posting.schemas';

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** The lists a user can export, each with the query its window shows (so the file holds what the screen lists, every row). */
export const exportWhatSchema = z.discriminatedUnion('list', [
  z.object({ list: z.literal('movements'), filter: movementFilterSchema.default({}) }).strict(),
  z.object({ list: z.literal('stockAt'), query: stockAtDateQuerySchema.omit({ offset: true, limit: true }) }).strict(),
  z.object({ list: z.literal('currentStock'), query: currentStockQuerySchema.omit({ limit: true, offset: true }) }).strict(),
  z.object({ list: z.literal('lowStock'), query: z.object({ siteId: id.optional(), includeOut: z.boolean().default(true) }).strict() }).strict(),
  z.object({ list: z.literal('trialBalance'), target: targetSchema }).strict(),
]);
export type ExportWhat = z.output<typeof exportWhatSchema>;
export type ExportList = ExportWhat['list'];

export const exportsStartSchema = z
  .object({
    what: exportWhatSchema,
    format: z.enum(['csv', 'xlsx']).default('csv'),
    summary: z.string().max(500).default(''),
    /** Desktop app only: the path the user chose in the save dialog (desktop.saveDialog); main refuses any other path. */
    saveTo: z.string().min(1).max(4096).optional(),
  })
  .strict();

export const exportJobSchema = z.object({ jobId: z.string().min(1).max(64) }).strict();

export const saveDialogSchema = z
  .object({
    /** A file name to offer ("current-stock.csv"); the folder is the user's last choice or Documents. */
    suggestedName: z.string().trim().min(1).max(200).regex(/^[^\\/:*?"<>|]+$/, 'must be a file name without a folder'),
    format: z.enum(['csv', 'xlsx', 'pdf']),
  })
  .strict();

export const openExportSchema = z.object({ jobId: z.string().min(1).max(64), show: z.enum(['file', 'folder']) }).strict();

export const printPdfSchema = z
  .object({ suggestedName: saveDialogSchema.shape.suggestedName, landscape: z.boolean().default(false) })
  .strict();

export const updateSettingsSchema = z
  .object({
    enabled: z.boolean(),
    /** Where electron-updater looks for releases (a "generic" provider URL); https only. */
    url: z
      .string()
      .trim()
      .max(500)
      .refine((u) => u === '' || /^https:\/\/[^\s/@]+(\/\S*)?$/.test(u), 'must be an https:// address'),
  })
  .strict()
  .refine((s) => !s.enabled || s.url !== '', { message: 'give the update address before turning updates on', path: ['url'] });
