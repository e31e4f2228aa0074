import type { JobFinished } from '../../shared/domain';
import { LedgerClient } from '../../electron/ledger/ledger-client';
import { FULL_CHECK_KIND } from '../../electron/safety/worker-start';

/** A posting as the app runs it, timed by phase (seconds). */
export interface PostingJobTimes {
  /** The full check the app runs once it is up (it anchors the chain the posting's backup then verifies from), seconds. */
  startCheck: number;
  /** From posting.start to the job's first 'posting' progress: the checked backup taken before every posting. */
  backup: number;
  /** From there to job.finished: the run in a job thread, its chunks committed by the ledger worker, then its PDF report saved. */
  posting: number;
  message: string;
}

/**
 * Posts every movement up to `to` to `target` the way the app does (issue 15: the bench's other rows call the batch
 * runner in one thread; a user's posting is a job): LedgerClient on the file, posting.preview then posting.start, the
 * checked backup first, the run in a job thread with its write budget (POSTING_WRITE_BUDGET_MS) beside the ledger worker. The full check the
 * app starts once it is up (compose.ts) runs first, and the bench waits for it (the app does not make a user wait: a
 * posting started within the check's first seconds would verify every movement): it anchors the chain, so the backup
 * before the posting verifies only what came after, as a user's does (a first backup with nothing anchored: the backup bench).
 * The ledger file must not be open elsewhere.
 */
export async function postingAsJob(path: string, target: string, to: string, userId: number): Promise<PostingJobTimes> {
  const daily = process.env.STOCKBOOK_NO_DAILY_BACKUP;
  process.env.STOCKBOOK_NO_DAILY_BACKUP = '1';
  const client = await LedgerClient.start(path);
  try {
    let postingFrom = 0;
    let done!: (f: JobFinished) => void;
    let checked!: (f: JobFinished) => void;
    const finished = new Promise<JobFinished>((r) => (done = r));
    const checkFinished = new Promise<JobFinished>((r) => (checked = r));
    client.onEvent((event, payload) => {
      const p = payload as { jobId: string; phase?: string };
      if (event === 'job.finished' && p.jobId?.startsWith(FULL_CHECK_KIND)) checked(payload as JobFinished);
      if (!p.jobId?.startsWith('bench-post')) return;
      if (event === 'job.progress' && p.phase === 'posting' && postingFrom === 0) postingFrom = performance.now();
      if (event === 'job.finished') done(payload as JobFinished);
    });
    const c0 = performance.now();
    if (!(await client.call('safetyStartFullCheck'))) throw new Error('the full check after start did not start (one was already under way)');
    const check = await checkFinished;
    if (!check.ok) throw new Error(`the full check after start failed: ${check.message}`);
    const startCheck = (performance.now() - c0) / 1000;
    const preview = await client.call('posting.preview', { to, target, summarised: false });
    const t0 = performance.now();
    await client.call('posting.start', 'bench-post', { to, target, summarised: false, expectedMovements: preview.unposted }, userId);
    const f = await finished;
    const t1 = performance.now();
    if (!f.ok) throw new Error(`the posting job failed: ${f.message}`);
    if (postingFrom === 0) throw new Error('the posting job never reported its posting phase, so its time cannot be split');
    return { startCheck, backup: (postingFrom - t0) / 1000, posting: (t1 - postingFrom) / 1000, message: f.message };
  } finally {
    await client.close();
    if (daily === undefined) delete process.env.STOCKBOOK_NO_DAILY_BACKUP;
    else process.env.STOCKBOOK_NO_DAILY_BACKUP = daily;
  }
}
