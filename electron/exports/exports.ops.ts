import { join } from 'node:path';
import type { ExportWhat } from '../../shared/contract/exports.schemas';
import type { StockAtDateQuery } from '../../shared/contract/enquiry.schemas';
import type { ExportFormat, ExportJobInfo, StockAtDateResult } from '../../shared/enquiry';
import { appDataDir } from '../app/paths';
import { businessTimeZone } from '../company/business-time-zone';
import type { WorkerContext } from '../ledger/worker-context';
import { PostingStore } from '../posting/posting-store';
import { exportFileName, exportJobsOf } from './export-jobs';
import { writeListFile, type ListSource } from './list-file';
import { canonicalTargetKey } from '../posting/targets/open-target';
import { currentStockSource, stockAtSource, trialBalanceSource } from './list-sources';

/** Rows read per call when an export gathers a paged report. */
const STOCK_AT_PAGE = 5000;

/** Exports of any list the windows show, as background jobs in the ledger worker. */
export interface ExportsOps {
  /** `file` is where the user chose to save (desktop); null writes to the exports folder in app data. */
  exportsStart(jobId: string, what: ExportWhat, format: ExportFormat, summary: string, file: string | null): ExportJobInfo;
  exportsJob(jobId: string): ExportJobInfo | null;
}

/** The reads an export shares with the windows (the Enquiry keeps the one stock-snapshot index). */
export interface ExportReads {
  stockAt(q: StockAtDateQuery): StockAtDateResult;
}

export function exportsOps(ctx: WorkerContext, reads: ExportReads, options: { exportsDir?: string } = {}): ExportsOps {
  const db = ctx.ledger.db;
  const jobs = exportJobsOf(ctx);
  const exportsDir = options.exportsDir ?? join(appDataDir(), 'exports');

  /** The list as it is now (read when the export starts, so the file matches the screen the user saw). */
  const sourceOf = (what: Exclude<ExportWhat, { list: 'movements' }>, timeZone: string): ListSource => {
    switch (what.list) {
      case 'currentStock':
        return currentStockSource(ctx.ledger.queries, what.query, timeZone);
      case 'lowStock':
        return currentStockSource(
          ctx.ledger.queries,
          { status: what.query.includeOut ? 'low_or_out' : 'low', siteId: what.query.siteId, sort: 'sku', direction: 'asc' },
          timeZone,
          'Low stock',
        );
      case 'stockAt': {
        // The window reads the answer a page at a time; the file holds all of it (the pages of one computed answer).
        const first = reads.stockAt({ ...what.query, offset: 0, limit: STOCK_AT_PAGE });
        const rows = [...first.rows];
        while (rows.length < first.total) {
          const next = reads.stockAt({ ...what.query, offset: rows.length, limit: STOCK_AT_PAGE }).rows;
          if (next.length === 0) break;
          rows.push(...next);
        }
        return stockAtSource({ ...first, rows }, what.query.level);
      }
      case 'trialBalance': {
        const store = new PostingStore(db);
        return trialBalanceSource(store.trialBalance(canonicalTargetKey(store, what.target)));
      }
    }
  };

  return {
    exportsStart: (jobId, what, format, summary, file) => {
      const timeZone = businessTimeZone(db);
      const to = file ?? join(exportsDir, exportFileName(what.list, jobId, format));
      if (what.list === 'movements') {
        return jobs.start({ jobId, format, file: to, chosen: file !== null, summary, noun: 'movements' }, (f, signal, progress) => ctx.jobs.run('movementExport', { format, filter: what.filter, file: f, timeZone }, { signal, progress }));
      }
      const source = sourceOf(what, timeZone);
      return jobs.start({ jobId, format, file: to, chosen: file !== null, summary, noun: source.noun }, (f, signal, progress) => writeListFile(source, format, f, signal, progress));
    },
    exportsJob: (jobId) => jobs.get(jobId),
  };
}
