import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import type { ExportFormat } from '../../shared/enquiry';
import { inSnapshot, type JobScope } from '../jobs/job-scope';
import { exportMovementsCsv, exportMovementsXlsx } from './sqlite-movement-export';
import { StatementCache } from './movement-query';

export interface MovementExportArgs {
  format: ExportFormat;
  filter: MovementFilter;
  file: string;
  timeZone: string;
}

/** A movement export in a job worker: one read snapshot, so the file is the ledger as it was when the export began. */
export function movementExportJob(job: JobScope, a: MovementExportArgs): Promise<number> {
  const write = a.format === 'xlsx' ? exportMovementsXlsx : exportMovementsCsv;
  return inSnapshot(job.db, () => write(job.db, new StatementCache(job.db), a.filter, a.file, job.signal, job.progress, a.timeZone));
}
