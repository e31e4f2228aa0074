import { z } from 'zod';
import { CATALOG_SHEETS } from '../catalog';
import { fileLocaleSchema } from './file-locale.schema';

const locale = fileLocaleSchema;

const fileFields = {
  /** A CSV file's text (one sheet); or leave it out and send an XLSX workbook as `xlsxBase64` (one worksheet per sheet). */
  csv: z.string().max(64_000_000, 'is larger than 64 MB; split the file').optional(),
  xlsxBase64: z.string().max(90_000_000, 'is larger than 64 MB; split the file').optional(),
  fileName: z.string().max(260).optional(),
  /** Which sheet a CSV holds; found from its header row when left out. */
  sheet: z.enum(CATALOG_SHEETS).optional(),
  /** The locale the file's numbers are written in ("Numbers in this file"); the company's locale when left out. */
  locale: locale.optional(),
};
const oneFile = (v: { csv?: string | undefined; xlsxBase64?: string | undefined }) => Boolean(v.csv?.trim()) !== Boolean(v.xlsxBase64);
const oneFileMessage = { message: 'the file is empty: send a CSV file (csv) or an XLSX file (xlsxBase64), one of them', path: ['csv'] };

export const catalogPreviewSchema = z.object(fileFields).strict().refine(oneFile, oneFileMessage);
export const catalogImportSchema = z
  .object({ ...fileFields, jobId: z.string().min(1).max(64) })
  .strict()
  .refine(oneFile, oneFileMessage);
export const catalogExportSchema = z
  .object({
    sheets: z.array(z.enum(CATALOG_SHEETS)).min(1, 'choose at least one sheet').max(CATALOG_SHEETS.length),
    format: z.enum(['csv', 'xlsx']),
    locale: locale.optional(),
  })
  .strict()
  .refine((v) => v.format === 'xlsx' || v.sheets.length === 1, { message: 'a CSV file holds one sheet: choose one, or export XLSX', path: ['sheets'] });

export type CatalogPreviewInput = z.output<typeof catalogPreviewSchema>;
export type CatalogImportInput = z.output<typeof catalogImportSchema>;
export type CatalogExportInput = z.output<typeof catalogExportSchema>;
