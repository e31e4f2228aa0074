import type { PostingReport } from '../../shared/posting';
import type { JobHost } from '../jobs/job-registry';

/** The job a reversal runs as when the client follows it ("Posting reversal" in the job indicator). */
export const REVERSAL_JOB_KIND = 'posting-reversal';

/** What a reversal's job says once it has its turn: the wait is over, and it can no longer be cancelled. */
export const REVERSING_PHASE = 'reversing';

/**
 * Does the reversal: `signal` cancels it while it waits its turn, `waiting` tells the phase to show meanwhile,
 * `admitted` that its turn came (after a wait: the client stops showing it queued).
 */
export type Reversal = (signal: AbortSignal, waiting: (phase: string) => void, admitted: () => void) => Promise<PostingReport>;

/**
 * A batch's reversal, on either store. With the client's `jobId` it runs as that job: a wait for its turn at a PostgreSQL
 * server's gate is told in job.progress ("waiting: 2 exports already running"), jobs.cancel ends the wait with nothing
 * written, job.finished tells its end; the request still answers with its report (or its refusal). Without one (the
 * CLI, in-process callers) it just runs: nobody is there to hear it wait or to cancel it.
 */
export function reversalAsJob(host: Pick<JobHost, 'startJob'>, jobId: string | undefined, reverse: Reversal): Promise<PostingReport> {
  if (jobId === undefined) return reverse(new AbortController().signal, () => undefined, () => undefined);
  return new Promise<PostingReport>((resolve, reject) => {
    host.startJob(jobId, REVERSAL_JOB_KIND, async (signal, progress) => {
      try {
        let waited = false;
        const waiting = (phase: string) => {
          waited = true;
          progress({ done: 0, total: 1, phase });
        };
        // at once: a throttled report would wait up to the throttle's interval behind the last "waiting", the client showing it queued meanwhile
        const admitted = () => {
          if (waited) progress({ done: 0, total: 1, phase: REVERSING_PHASE }, true);
        };
        const report = await reverse(signal, waiting, admitted);
        resolve(report);
        return { message: report.message, batchId: report.batchId };
      } catch (e) {
        reject(e);
        throw e;
      }
    });
  });
}
