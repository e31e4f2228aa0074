/**
 * The process posting-job-kill.crash.ts kills: Stockbook's ledger (LedgerClient on a SQLite file, as the app starts it)
 * running one finance posting as a user does: posting.preview, then posting.start, which takes the checked backup and
 * runs the batch runner in a job thread with the default write budget, each chunk committed by the ledger worker while
 * the job reads and builds the next. It prints "READY <unposted>" before the start, "P <phase> <done> <total>" for each
 * progress report of the job, and "F <ok> <message>" when it finishes (then exits: 0 if it posted, 1 if not). A ledger
 * that opens in safe mode prints "SAFE <why>" and exits 3.
 * Run: node --import tsx posting-job-kill-child.ts '<json of PostingJobKillPlan>'
 */
import { writeSync } from 'node:fs';
import type { JobFinished, JobProgress } from '../../shared/domain';
import { LedgerClient } from '../ledger/ledger-client';

export interface PostingJobKillPlan {
  /** The ledger file. */
  path: string;
  /** The finance target, e.g. `hledger:<journal file>`. */
  target: string;
  /** Post every movement up to this instant (ISO text, as the posting window sends it). */
  to: string;
  userId: number;
  jobId: string;
}

const say = (line: string) => writeSync(1, `${line}\n`);

async function main(): Promise<void> {
  const plan = JSON.parse(process.argv[2]!) as PostingJobKillPlan;
  process.env.STOCKBOOK_NO_DAILY_BACKUP = '1';
  const client = await LedgerClient.start(plan.path);
  const safe = await client.call('safetyStatus');
  if (safe !== null) {
    say(`SAFE ${JSON.stringify(safe)}`);
    await client.close();
    process.exit(3);
  }
  let done!: (f: JobFinished) => void;
  const finished = new Promise<JobFinished>((r) => (done = r));
  client.onEvent((event, payload) => {
    const p = payload as JobProgress | JobFinished;
    if (p.jobId !== plan.jobId) return;
    if (event === 'job.progress') {
      const q = p as JobProgress;
      say(`P ${q.phase.replace(/\s+/g, '_')} ${q.done} ${q.total}`);
    }
    if (event === 'job.finished') done(p as JobFinished);
  });
  const preview = await client.call('posting.preview', { to: plan.to, target: plan.target, summarised: false });
  say(`READY ${preview.unposted}`);
  await client.call('posting.start', plan.jobId, { to: plan.to, target: plan.target, summarised: false, expectedMovements: preview.unposted }, plan.userId);
  const f = await finished;
  say(`F ${f.ok} ${f.message}`);
  await client.close();
  process.exit(f.ok ? 0 : 1);
}

if (process.argv[1]?.endsWith('posting-job-kill-child.ts')) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
