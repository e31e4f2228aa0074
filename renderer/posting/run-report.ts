import type { StockbookClient } from '../../shared/contract/transport';
import type { JobFinished } from '../../shared/domain';
import type { BatchSummary, PostingReport } from '../../shared/posting';

/** The two reads the Posting window makes for a finished run's report. */
export interface RunReportReads {
  batches(): Promise<BatchSummary[]>;
  report(batchId: number): Promise<PostingReport>;
}

export const clientReads = (client: Pick<StockbookClient, 'call'>): RunReportReads => ({
  batches: () => client.call('posting.batches', {}),
  report: (batchId) => client.call('posting.report', { batchId }),
});

/** How long the window waits before reading a still-running batch's report again. */
export const RUNNING_REPORT_RECHECK_MS = 500;

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/** How many times a still-running batch's report is read again before the window stops and leaves it shown as running. */
export const RUNNING_REPORT_RECHECKS = 240;

/**
 * The report a finished posting run shows: the batch its job.finished names (a posted or cancelled run); a run that
 * succeeded without naming one (an older server) shows the newest batch; a run that failed without naming one shows
 * none (its message says why; the newest batch may be another run's). A report whose batch is still running is never
 * returned as the run's result: it goes to `running` (the window shows it as running, figures so far) and is read again
 * until its batch has finished, at most `RUNNING_REPORT_RECHECKS` times (a batch whose run died stays running until the
 * next run closes it: the window then leaves it shown as running). Null when there is no final report, or once `signal`
 * aborts (the window moved on).
 */
export async function finishedRunReport(
  reads: RunReportReads,
  finished: Pick<JobFinished, 'batchId'> & Partial<Pick<JobFinished, 'ok'>>,
  running: (r: PostingReport) => void,
  signal: AbortSignal,
  recheckMs = RUNNING_REPORT_RECHECK_MS,
): Promise<PostingReport | null> {
  const batchId = finished.batchId ?? (finished.ok === false ? undefined : (await reads.batches())[0]?.id);
  if (batchId === undefined || signal.aborted) return null;
  for (let read = 0; ; read++) {
    const r = await reads.report(batchId);
    if (signal.aborted) return null;
    if (r.status !== 'running') return r;
    running(r);
    if (read >= RUNNING_REPORT_RECHECKS) return null;
    await pause(recheckMs, signal);
    if (signal.aborted) return null;
  }
}
