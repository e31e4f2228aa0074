import type { ExportJobInfo } from '../enquiry';
import { method, returns } from './define-method';
import { exportJobSchema, exportsStartSchema } from './exports.schemas';

export const exportsMethods = {
  'exports.start': method({
    input: exportsStartSchema,
    result: returns<ExportJobInfo>(),
    permission: 'read:stock',
    description: 'Export a list to a file as a background job',
  }),
  'exports.job': method({
    input: exportJobSchema,
    result: returns<ExportJobInfo | null>(),
    permission: 'read:stock',
    description: 'Show an export job: its status, file and the rows written',
  }),
  'exports.download': method({
    input: exportJobSchema,
    result: returns<{ url: string; fileName: string }>(),
    permission: 'read:stock',
    description: 'Get a one-time download address for a finished export (browser mode)',
  }),
} as const;
