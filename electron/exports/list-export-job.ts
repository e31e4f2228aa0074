import type Database from 'better-sqlite3';
import type { CsvSeparator } from '../../shared/csv';
import type { ExportFormat } from '../../shared/enquiry';
import { StockSnapshots } from '../enquiry/stock-snapshots';
import { inSnapshot, type JobScope } from '../jobs/job-scope';
import { StockQueries } from '../ledger/store/stock-queries';
import { PostingStore } from '../posting/posting-store';
import { writeListFile } from './list-file';
import { listSource, type ListReads, type ListWhat } from './list-sources';

export type { ListWhat } from './list-sources';

export interface ListExportArgs {
  what: ListWhat;
  format: ExportFormat;
  file: string;
  timeZone: string;
  /** A CSV's field separator: ';' also writes decimal commas (a decimal-comma company's file). */
  separator: CsvSeparator;
}

/** The lists as the SQLite ledger `db` holds them: read-only (a job's connection), so stock at a date leaves the snapshots as they are. */
export function sqliteListReads(db: Database.Database, timeZone: string): ListReads {
  return {
    currentStock: (q) => new StockQueries(db).current(q),
    stockAt: (at, q) => new StockSnapshots(db, { timeZone }).stockAt(at, { ...q, readOnly: true }),
    trialBalance: (target) => new PostingStore(db).trialBalance(target),
  };
}

/** A list export in a job thread: one read snapshot, so the file is the list as it was when the export began. */
export function listExportJob(job: JobScope, a: ListExportArgs): Promise<number> {
  return inSnapshot(job.db, async () => writeListFile(await listSource(sqliteListReads(job.db, a.timeZone), a.what, a.timeZone), a.format, a.file, job.signal, job.progress, {}, a.separator));
}
