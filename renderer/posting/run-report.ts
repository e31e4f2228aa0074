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

/**
 * The report a finished posting run shows: the batch its job.finished names (a posted or cancelled run), else the
 * newest batch (a run that failed). A report whose batch is still running is never returned as the run's result: it
 * goes to `running` (the window shows it as running, figures so far) and is read again until its batch has finished.
 * Null when there is no batch, or once `signal` aborts (the window moved on).
 */
export async function finishedRunReport(
  reads: RunReportReads,
  finished: Pick<JobFinished, 'batchId'>,
  running: (r: PostingReport) => void,
  signal: AbortSignal,
  recheckMs = RUNNING_REPORT_RECHECK_MS,
): Promise<PostingReport | null> {
  const batchId = finished.batchId ?? (await reads.batches())[0]?.id;
  if (batchId === undefined || signal.aborted) return null;
  for (;;) {
    const r = await reads.report(batchId);
    if (signal.aborted) return null;
    if (r.status !== 'running') return r;
    running(r);
    await pause(recheckMs, signal);
    if (signal.aborted) return null;
  }
}
