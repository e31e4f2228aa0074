import type Database from 'better-sqlite3';
import type { ExportWhat } from '../../shared/contract/exports.schemas';
import type { ExportFormat } from '../../shared/enquiry';
import { instantOf } from '../../shared/business-time';
import { StockSnapshots } from '../enquiry/stock-snapshots';
import { inSnapshot, type JobScope } from '../jobs/job-scope';
import { StockQueries } from '../ledger/store/stock-queries';
import { PostingStore } from '../posting/posting-store';
import { canonicalTargetKey } from '../posting/targets/open-target';
import { writeListFile, type ListSource } from './list-file';
import { currentStockSource, stockAtSource, trialBalanceSource } from './list-sources';

/** Any list the windows show but the movements (which have their own job). */
export type ListWhat = Exclude<ExportWhat, { list: 'movements' }>;

export interface ListExportArgs {
  what: ListWhat;
  format: ExportFormat;
  file: string;
  timeZone: string;
}

/** The list as the ledger `db` holds it: read-only (a job's connection), so stock at a date leaves the snapshots as they are. */
export function listSourceOf(db: Database.Database, what: ListWhat, timeZone: string): ListSource {
  switch (what.list) {
    case 'currentStock':
      return currentStockSource(new StockQueries(db), what.query, timeZone);
    case 'lowStock':
      return currentStockSource(
        new StockQueries(db),
        { status: what.query.includeOut ? 'low_or_out' : 'low', siteId: what.query.siteId, sort: 'sku', direction: 'asc' },
        timeZone,
        'Low stock',
      );
    case 'stockAt': {
      const q = what.query;
      const result = new StockSnapshots(db, { timeZone }).stockAt(instantOf(q.at, timeZone), { productId: q.productId, siteId: q.siteId, level: q.level, readOnly: true });
      return stockAtSource(result, q.level);
    }
    case 'trialBalance': {
      const store = new PostingStore(db);
      return trialBalanceSource(store.trialBalance(canonicalTargetKey(what.target)));
    }
  }
}

/** A list export in a job thread: one read snapshot, so the file is the list as it was when the export began. */
export function listExportJob(job: JobScope, a: ListExportArgs): Promise<number> {
  return inSnapshot(job.db, () => writeListFile(listSourceOf(job.db, a.what, a.timeZone), a.format, a.file, job.signal, job.progress));
}
