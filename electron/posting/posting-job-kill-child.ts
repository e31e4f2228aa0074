/**
 * The process posting-job-kill.crash.ts kills: Stockbook's ledger, on the store of its ledger (safety/crash-ledger.ts),
 * running one finance posting as a user does: posting.preview, then posting.start.
 * SQLite: LedgerClient on the file, as the app starts it; posting.start takes the checked backup and runs the batch runner
 * in a job thread with the default write budget, each chunk committed by the ledger worker while the job reads and
 * builds the next.
 * PostgreSQL: a server's host on the database (startPgHost, as `stockbook serve` starts it); posting.start runs the batch
 * runner as a job of the server, under the store's claim (an advisory lock on a session of its own), each chunk one
 * transaction committed while the runner reads and builds the next. It connects as application_name
 * stockbook-posting-job-kill-child, so the test can wait for PostgreSQL to end its sessions after the kill.
 * It prints "READY <unposted>" before the start, "P <phase> <done> <total>" for each progress report of the job, and
 * "F <ok> <message>" when it finishes (then exits: 0 if it posted, 1 if not). A ledger that opens in safe mode prints
 * "SAFE <why>" and exits 3.
 * Run: node --import tsx posting-job-kill-child.ts '<json of PostingJobKillPlan>'
 */
import { writeSync } from 'node:fs';
import type { JobFinished, JobProgress } from '../../shared/domain';
import { LedgerClient } from '../ledger/ledger-client';
import { startPgHost } from '../ledger/pg/pg-host';
import type { CrashLedger } from '../safety/crash-ledger';

export interface PostingJobKillPlan {
  /** The ledger: a SQLite file or a PostgreSQL database. */
  ledger: CrashLedger;
  /** The finance target, e.g. `hledger:<journal file>`. */
  target: string;
  /** Post every movement up to this instant (ISO text, as the posting window sends it). */
  to: string;
  userId: number;
  jobId: string;
}

export const POSTING_JOB_KILL_CHILD_APP = 'stockbook-posting-job-kill-child';

const say = (line: string) => writeSync(1, `${line}\n`);

/** The ledger as the child started it: the operations the posting window calls, its safe mode, and its close. */
interface Started {
  safetyStatus(): Promise<unknown>;
  preview(input: { to: string; target: string; summarised: false }): Promise<{ unposted: number }>;
  start(jobId: string, input: { to: string; target: string; summarised: false; expectedMovements: number }, userId: number): Promise<unknown>;
  close(): Promise<void>;
}

async function startLedger(ledger: CrashLedger, onEvent: (event: string, payload: unknown) => void): Promise<Started> {
  if (ledger.store === 'sqlite') {
    const client = await LedgerClient.start(ledger.path);
    client.onEvent(onEvent);
    return {
      safetyStatus: () => client.call('safetyStatus'),
      preview: (input) => client.call('posting.preview', input),
      start: (jobId, input, userId) => client.call('posting.start', jobId, input, userId),
      close: () => client.close(),
    };
  }
  process.env.PGAPPNAME = POSTING_JOB_KILL_CHILD_APP;
  const host = await startPgHost(ledger.connection, onEvent);
  return {
    safetyStatus: () => host.ops.safetyStatus(),
    preview: (input) => host.ops['posting.preview'](input),
    start: (jobId, input, userId) => host.ops['posting.start'](jobId, input, userId),
    close: () => host.close(),
  };
}

async function main(): Promise<void> {
  const plan = JSON.parse(process.argv[2]!) as PostingJobKillPlan;
  process.env.STOCKBOOK_NO_DAILY_BACKUP = '1';
  let done!: (f: JobFinished) => void;
  const finished = new Promise<JobFinished>((r) => (done = r));
  const ledger = await startLedger(plan.ledger, (event, payload) => {
    const p = payload as JobProgress | JobFinished;
    if (p.jobId !== plan.jobId) return;
    if (event === 'job.progress') {
      const q = p as JobProgress;
      say(`P ${q.phase.replace(/\s+/g, '_')} ${q.done} ${q.total}`);
    }
    if (event === 'job.finished') done(p as JobFinished);
  });
  const safe = await ledger.safetyStatus();
  if (safe !== null) {
    say(`SAFE ${JSON.stringify(safe)}`);
    await ledger.close();
    process.exit(3);
  }
  const preview = await ledger.preview({ to: plan.to, target: plan.target, summarised: false });
  say(`READY ${preview.unposted}`);
  await ledger.start(plan.jobId, { to: plan.to, target: plan.target, summarised: false, expectedMovements: preview.unposted }, plan.userId);
  const f = await finished;
  say(`F ${f.ok} ${f.message}`);
  await ledger.close();
  process.exit(f.ok ? 0 : 1);
}

if (process.argv[1]?.endsWith('posting-job-kill-child.ts')) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
