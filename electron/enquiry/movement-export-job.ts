import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import type { ExportFormat } from '../../shared/enquiry';
import { inSnapshot, type JobScope } from '../jobs/job-scope';
import type { CsvSeparator } from '../../shared/csv';
import { writeMovementsCsv, writeMovementsXlsx } from './movement-export';
import { sqliteMovementSource } from './sqlite-movement-export';
import { StatementCache } from './movement-query';

export interface MovementExportArgs {
  format: ExportFormat;
  filter: MovementFilter;
  file: string;
  timeZone: string;
  /** A CSV's field separator: ';' also writes decimal commas (a decimal-comma company's file). */
  separator: CsvSeparator;
}

/** A movement export in a job worker: one read snapshot, so the file is the ledger as it was when the export began. */
export function movementExportJob(job: JobScope, a: MovementExportArgs): Promise<number> {
  return inSnapshot(job.db, () => {
    const source = sqliteMovementSource(job.db, new StatementCache(job.db), a.filter);
    return a.format === 'xlsx'
      ? writeMovementsXlsx(source, a.file, job.signal, job.progress, a.timeZone)
      : writeMovementsCsv(source, a.file, job.signal, job.progress, a.timeZone, a.separator);
  });
}
