import { join } from 'node:path';
import type pg from 'pg';
import { appDataDir } from '../app/paths';
import { pgBusinessFileStyle } from '../company/pg-time-zone-store';
import { pgMovementExport } from '../enquiry/pg/pg-movement-export';
import { PgStockStore } from '../enquiry/pg/pg-stock-store';
import type { PgLedgerOps, PgOpsFactory, PgWorkerContext } from '../ledger/pg/pg-ops';
import { readSnapshot } from '../ledger/pg/store/pg-read-snapshot';
import { PgPostingStore } from '../posting/pg-posting-store';
import { pgJobGate } from './export-gate';
import { EXPORT_NOUNS, exportFileName, exportJobsOf } from './export-jobs';
import { writeListFile } from './list-file';
import { listSource, type ListReads } from './list-sources';
import type { XlsxWriterOptions } from './xlsx-writer';

type ExportsPgOps = Pick<PgLedgerOps, 'exports.start' | 'exports.job' | 'enquiry.exportStart' | 'enquiry.exports'>;

export interface ExportsPgOptions {
  /** Where a file goes when the user chose none (default: the exports folder in app data, as on SQLite). */
  exportsDir?: string;
  /** The XLSX writer's options (tests fix `created` to compare files byte for byte). */
  xlsx?: XlsxWriterOptions;
}

/**
 * Exports on a PostgreSQL ledger (the twins of exports.ops.ts and enquiry.ops.ts's movement exports, with the same
 * names, answers, job registry and files): the rows' text and the file writers are the ones SQLite uses
 * (movement-export.ts, list-sources.ts, list-file.ts); only the reads are PostgreSQL's, each export in one read
 * snapshot on one connection, the movements in keyset chunks. A job runs in this host beside the requests (awaiting
 * between chunks), with progress and cancel; a cancelled or failed export leaves no file. At most the pool's size less
 * two exports run at once (export-gate.ts: each holds a connection while it runs); a further one waits its turn,
 * its progress saying so, so the clerks' commits always find a connection.
 */
export function exportsPgOpsWith(ctx: PgWorkerContext, options: ExportsPgOptions = {}): ExportsPgOps {
  const { pool } = ctx;
  const jobs = exportJobsOf(ctx);
  // Every export waits its turn at the pool's gate before it takes a connection (export-gate.ts).
  const gate = pgJobGate(pool);
  const exportsDir = options.exportsDir ?? join(appDataDir(), 'exports');
  const xlsx = options.xlsx ?? {};

  return {
    'exports.start': async (jobId, what, format, summary, file) => {
      const { timeZone, separator } = await pgBusinessFileStyle(pool);
      const to = file ?? join(exportsDir, exportFileName(what.list, jobId, format, timeZone));
      const run = { jobId, format, file: to, chosen: file !== null, summary };
      if (what.list === 'movements') return jobs.start({ ...run, noun: 'movements' }, gate.gated(pgMovementExport(pool, what.filter, format, { timeZone, separator }, xlsx)));
      return jobs.start({ ...run, noun: EXPORT_NOUNS[what.list] }, gate.gated((f, signal, progress) => {
        const write = async (reads: ListReads) => writeListFile(await listSource(reads, what, timeZone), format, f, signal, progress, xlsx, separator);
        // The trial balance is read by the posting store on connections of its own: holding a snapshot connection while
        // it waits for another could leave every pooled connection held by an export waiting for one more.
        return what.list === 'trialBalance' ? write(pgTrialBalanceReads(ctx)) : readSnapshot(pool, (c) => write(pgStockReads(c)));
      }));
    },
    'exports.job': async ({ jobId }) => jobs.job(jobId),
    'enquiry.exportStart': async (jobId, { filter, format, summary }) => {
      const style = await pgBusinessFileStyle(pool);
      const file = join(exportsDir, exportFileName('movements', jobId, format, style.timeZone));
      return jobs.start({ jobId, format, file, summary, noun: 'movements' }, gate.gated(pgMovementExport(pool, filter, format, style, xlsx)));
    },
    'enquiry.exports': async () => jobs.exports(),
  };
}

/** The stock lists on PostgreSQL, read on the export's snapshot connection `c`. */
function pgStockReads(c: pg.PoolClient): ListReads {
  const stock = new PgStockStore(c);
  return {
    currentStock: (q) => stock.currentStock(q),
    stockAt: (at, q) => stock.stockAt(at, q),
    trialBalance: () => Promise.reject(new Error('the trial balance is not read on a stock snapshot')),
  };
}

/** The trial balance on PostgreSQL, by the posting store (its own reads, no snapshot connection held meanwhile). */
function pgTrialBalanceReads(ctx: PgWorkerContext): ListReads {
  const notStock = () => Promise.reject(new Error('stock lists are read on a snapshot'));
  return { currentStock: notStock, stockAt: notStock, trialBalance: (target) => new PgPostingStore(ctx.pool).trialBalance(target) };
}

export const exportsPgOps: PgOpsFactory = (ctx) => exportsPgOpsWith(ctx);
