import { join } from 'node:path';
import type { ExportWhat } from '../../shared/contract/exports.schemas';
import type { ExportFormat, ExportJobInfo } from '../../shared/enquiry';
import { appDataDir } from '../app/paths';
import { businessFileStyle } from '../company/business-time-zone';
import type { WorkerContext } from '../ledger/worker-context';
import { EXPORT_NOUNS, exportFileName, exportJobsOf } from './export-jobs';
import type { MethodParsedInput } from '../../shared/contract/methods';

/** Exports of any list the windows show, as background jobs: each list is read and written in a job thread. */
export interface ExportsOps {
  /** `file` is where the user chose to save (desktop); null writes to the exports folder in app data. */
  'exports.start'(jobId: string, what: ExportWhat, format: ExportFormat, summary: string, file: string | null): ExportJobInfo;
  'exports.job'(input: MethodParsedInput<'exports.job'>): ExportJobInfo | null;
}


export function exportsOps(ctx: WorkerContext, options: { exportsDir?: string } = {}): ExportsOps {
  const db = ctx.ledger.db;
  const jobs = exportJobsOf(ctx);
  const exportsDir = options.exportsDir ?? join(appDataDir(), 'exports');

  return {
    'exports.start': (jobId, what, format, summary, file) => {
      const { timeZone, separator } = businessFileStyle(db);
      const to = file ?? join(exportsDir, exportFileName(what.list, jobId, format, timeZone));
      if (what.list === 'movements') {
        return jobs.start({ jobId, format, file: to, chosen: file !== null, summary, noun: 'movements' }, (f, signal, progress) => ctx.jobs.run('movementExport', { format, filter: what.filter, file: f, timeZone, separator }, { signal, progress }));
      }
      return jobs.start({ jobId, format, file: to, chosen: file !== null, summary, noun: EXPORT_NOUNS[what.list] }, (f, signal, progress) =>
        ctx.jobs.run('listExport', { what, format, file: f, timeZone, separator }, { signal, progress }),
      );
    },
    'exports.job': ({ jobId }) => jobs.job(jobId),
  };
}
