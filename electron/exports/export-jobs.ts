import { basename } from 'node:path';
import type { ExportFormat, ExportJobInfo } from '../../shared/enquiry';
import type { JobHost } from '../jobs/job-registry';
import type { ExportProgress } from '../enquiry/movement-export';
import type { ListWhat } from './list-sources';
import { zoneOffset } from '../../shared/business-time';

/** What a finished export's message calls a row of each list. */
export const EXPORT_NOUNS: Record<ListWhat['list'], string> = { currentStock: 'lines', lowStock: 'lines', stockAt: 'lines', trialBalance: 'accounts' };

export interface ExportRun {
  jobId: string;
  format: ExportFormat;
  file: string;
  /** Set when the user chose the file (the desktop's Save dialog): shown as the whole path; else only the file's name. */
  chosen?: boolean;
  summary: string;
  /** What a row is, for the finished message ("movements", "lines", "accounts"). */
  noun: string;
}

/** An export's body: writes the file, reports progress, stops when the signal aborts; answers the rows written. */
export type ExportWrite = (file: string, signal: AbortSignal, progress: (p: ExportProgress) => void) => Promise<number>;

/**
 * Every export of this ledger worker, whatever the list: a background job with progress, and its file. The count a
 * finished job reports is the number of rows the writer put in the file (never a throttled progress figure).
 */
export class ExportJobs {
  private readonly jobs = new Map<string, ExportJobInfo>();

  constructor(private readonly ctx: JobHost) {}

  start(run: ExportRun, write: ExportWrite): ExportJobInfo {
    const info: ExportJobInfo = {
      jobId: run.jobId, format: run.format, status: 'running', file: run.file, fileName: run.chosen ? run.file : basename(run.file), rows: 0, total: null,
      startedAt: Date.now(), finishedAt: null, message: null, filterSummary: run.summary,
    };
    this.jobs.set(run.jobId, info);
    this.ctx.startJob(run.jobId, 'export', async (signal, progress) => {
      try {
        const rows = await write(run.file, signal, (p) => {
          info.rows = p.done;
          info.total = p.total;
          progress(p);
        });
        Object.assign(info, { status: 'done', rows, finishedAt: Date.now(), message: `Exported ${rows.toLocaleString('en-GB')} ${run.noun} to ${info.fileName}.` });
        return info.message!;
      } catch (e) {
        Object.assign(info, { status: signal.aborted ? 'cancelled' : 'failed', finishedAt: Date.now(), message: e instanceof Error ? e.message : String(e) });
        throw e;
      }
    });
    return { ...info };
  }

  /** One export job (`exports.job`), or null when this worker made none of that id. */
  job(jobId: string): ExportJobInfo | null {
    const info = this.jobs.get(jobId);
    return info ? { ...info } : null;
  }

  /** Every export job of this worker, newest first (`enquiry.exports`). */
  exports(): ExportJobInfo[] {
    return [...this.jobs.values()].map((x) => ({ ...x })).reverse();
  }
}

const registries = new WeakMap<JobHost, ExportJobs>();

/** The one export registry of a worker context, SQLite's or PostgreSQL's (the Enquiry's movement exports and the list exports share it). */
export function exportJobsOf(ctx: JobHost): ExportJobs {
  let jobs = registries.get(ctx);
  if (!jobs) registries.set(ctx, (jobs = new ExportJobs(ctx)));
  return jobs;
}

/**
 * "movements-2026-12-02T00-46-05-abc123.csv": a file name that sorts by time and never collides. The time is the
 * company's wall clock (`timeZone`, its business time zone), as the clerk's own clock reads, not UTC.
 */
export function exportFileName(list: string, jobId: string, format: ExportFormat, timeZone: string, now = Date.now()): string {
  const stamp = new Date(now + zoneOffset(now, timeZone)).toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return `${list}-${stamp}-${jobId.slice(-6)}.${format}`;
}
