import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsersStore } from '../auth/users-store';
import { openLedgerReadOnly } from '../cli/ledger-file';
import { runVerifyCommand } from '../cli/verify-command';
import { generateDemo } from '../demo/generate-demo';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { allJournalLines } from '../../test/fixtures/journal-lines';
import { HLEDGER, hledgerBalances } from '../../test/fixtures/hledger';
import type { PostingJobKillPlan } from './posting-job-kill-child';
import { PostingStore } from './posting-store';

/**
 * Crash safety of a finance posting as a user runs it (npm run test:crash, SQLite): posting.start through LedgerClient
 * (posting-job-kill-child.ts), which takes the checked backup and runs the batch runner in a job thread with the default
 * write budget, each small chunk's commit answered later by the ledger worker while the job reads and builds the next
 * (JobPostingStore, writeLater). crash-resume.test.ts kills `stockbook post`, the runner in one thread; this kills the
 * job route. The process is SIGKILLed at seeded random points, again and again (once in the backup; the others in the
 * posting, some a millisecond or two after a progress line, when the next chunk's commit has just gone to the writer),
 * and started again each time: the restart closes the interrupted batch and posts what is left. After each kill, what
 * the job reported posted is there (posted chunks stand) and at most one batch is left running; at the end every
 * movement is posted exactly once, every batch closed (the interrupted ones as such), every chunk in the journal once,
 * which the real hledger reads as balanced with each movement's entry once and the same trial balance as ours, and the
 * ledger verifies. STOCKBOOK_JOB_CRASH_SEED repeats a run's kill points (as far as timing allows).
 */
const CHILD = fileURLToPath(new URL('./posting-job-kill-child.ts', import.meta.url));
const KILLS = Number(process.env.STOCKBOOK_JOB_CRASH_KILLS ?? 6);
const MOVEMENTS = Number(process.env.STOCKBOOK_JOB_CRASH_MOVEMENTS ?? 25_000);
const SEED = Number(process.env.STOCKBOOK_JOB_CRASH_SEED ?? Date.now() % 2 ** 31);
const TO = '2099-01-01T00:00:00Z';

/** What the posting process printed, and how it ended. */
interface Run {
  lines: string[];
  /** When each line came, in ms from the start. */
  at: number[];
  killed: boolean;
}

/**
 * Runs the posting process; once a line it prints satisfies `trigger`, SIGKILLs it `lagMs` later (0: at once, in the
 * same turn). Rejects when it fails by itself (a safe-mode start included), with what it printed.
 */
function runPosting(plan: PostingJobKillPlan, trigger: ((line: string) => boolean) | null, lagMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(plan)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const t0 = performance.now();
    const lines: string[] = [];
    const at: number[] = [];
    let partial = '';
    let err = '';
    let armed = false;
    let killed = false;
    const kill = () => (killed = child.kill('SIGKILL'));
    child.stdout.on('data', (d: Buffer) => {
      const text = partial + String(d);
      const whole = text.split('\n');
      partial = whole.pop()!;
      for (const line of whole) {
        lines.push(line);
        at.push(performance.now() - t0);
        if (armed || !trigger?.(line)) continue;
        armed = true;
        if (lagMs <= 0) kill();
        else setTimeout(kill, lagMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += String(d)));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' && killed) resolve({ lines, at, killed: true });
      else if (code === 0) resolve({ lines, at, killed: false });
      else reject(new Error(`the posting process exited ${code ?? signal}:\n${lines.join('\n')}\n${err}`));
    });
  });
}

/**
 * Frames at the end of the ledger's WAL past its last commit frame (with the header's salts): pages of a write
 * transaction the kill cut off while SQLite wrote them (SQLite ignores them on opening).
 */
function uncommittedWalFrames(db: string): number {
  const wal = `${db}-wal`;
  if (!existsSync(wal)) return 0;
  const b = readFileSync(wal);
  if (b.length < 32) return 0;
  const pageSize = b.readUInt32BE(8);
  const [salt1, salt2] = [b.readUInt32BE(16), b.readUInt32BE(20)];
  let tail = 0;
  for (let at = 32; at + 24 <= b.length; at += 24 + pageSize) {
    if (b.readUInt32BE(at + 8) !== salt1 || b.readUInt32BE(at + 12) !== salt2) break;
    tail = b.readUInt32BE(at + 4) !== 0 ? 0 : tail + 1;
  }
  return tail;
}

/** The ledger as a kill left it, read beside nothing (the process is gone). */
function afterKill(db: string): { posted: number; running: number[]; unexported: number } {
  const ro = new Database(db, { readonly: true });
  try {
    const n = (sql: string) => (ro.prepare(sql).get() as { n: number }).n;
    return {
      posted: n('SELECT (SELECT COUNT(*) FROM movement_postings) + (SELECT COUNT(*) FROM value_credit_postings) AS n'),
      running: ro.prepare("SELECT id FROM journal_batches WHERE status = 'running'").pluck().all() as number[],
      unexported: n('SELECT COUNT(*) AS n FROM journal_chunks WHERE exported_end IS NULL'),
    };
  } finally {
    ro.close();
  }
}

/** The last "P posting <done> <total>" a run printed: how many items the job had reported posted (0 if none). */
const reportedDone = (lines: readonly string[]) =>
  lines.reduce((done, l) => (/^P posting \d+ \d+$/.test(l) ? Number(l.split(' ')[2]) : done), 0);
const postingLine = (atLeast: number) => (l: string) => /^P posting \d+ \d+$/.test(l) && Number(l.split(' ')[2]) >= atLeast;

describe('crash safety: a posting job (posting.start through LedgerClient) killed at random points', () => {
  let dir: string;
  let db: string;
  let userId: number;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stockbook-job-crash-'));
    db = join(dir, 'ledger.db');
    const ledger = await SqliteLedger.open(db);
    await generateDemo(ledger, { movements: MOVEMENTS, end: new Date(Date.UTC(2026, 0, 1)) });
    userId = new UsersStore(ledger.db).get('admin').id;
    await ledger.close();
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`survives ${KILLS} SIGKILLs (seed from STOCKBOOK_JOB_CRASH_SEED or the clock), then every movement is posted once, every batch closed, and hledger agrees`, async () => {
    const journal = join(dir, 'books.journal');
    const target = `hledger:${journal}`;
    let seed = SEED;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const backupKill = 1 + Math.floor(rand() * Math.max(1, KILLS - 1));
    const log: string[] = [`seed ${SEED}, ${MOVEMENTS} movements`];
    const fail = (what: string) => `${what} (seed ${SEED}; kills so far:\n${log.join('\n')})`;
    const seenRunning = new Set<number>();
    let backupMs = 3000;
    let before = afterKill(db);
    const total = (() => {
      const ro = new Database(db, { readonly: true });
      try {
        return new PostingStore(ro).unposted(Date.parse(TO));
      } finally {
        ro.close();
      }
    })();
    let left = total.movements + total.valueCredits;
    let inPosting = 0;
    for (let i = 0; i < KILLS; i++) {
      const plan: PostingJobKillPlan = { path: db, target, to: TO, userId, jobId: `crash-post-${i}` };
      let how: string;
      let trigger: (line: string) => boolean;
      let lag: number;
      if (i === backupKill) {
        lag = Math.floor(rand() * backupMs);
        how = `${lag} ms after the checked backup began (the first run's took ${Math.round(backupMs)} ms)`;
        trigger = (l) => l.startsWith('P Backing_up_before_posting');
      } else {
        // a share of what is left, so later kills still find work; just after the progress line (the next chunk's
        // commit just sent to the writer) or anywhere up to the next line (~100 ms: reads, builds, journal writes)
        const atLeast = Math.floor(rand() * (left / (KILLS - i + 1)));
        const soon = rand() < 0.5;
        lag = soon ? Math.floor(rand() * 3) : Math.floor(rand() * 100);
        how = `${lag} ms after the first progress line at ≥ ${atLeast} posted${soon ? ' (right after a chunk, the next commit just sent)' : ''}`;
        trigger = postingLine(atLeast);
      }
      const t0 = performance.now();
      const run = await runPosting(plan, trigger, lag);
      const walTail = uncommittedWalFrames(db);
      const after = afterKill(db);
      const done = reportedDone(run.lines);
      const row = `kill ${i}: ${how}; ${run.killed ? 'killed' : 'ended by itself'} after ${Math.round(performance.now() - t0)} ms, ` +
        `job reported ${done}, committed ${after.posted - before.posted}, ${after.unexported} chunks not yet in the journal, ` +
        `${walTail} uncommitted WAL frames, running batches [${after.running.join(', ')}], last line "${run.lines.at(-1)}"`;
      log.push(row);
      if (process.env.STOCKBOOK_CRASH_DEBUG) console.log(row);
      // the backup's length, from the first run (the backup kill comes later)
      const [backedUp, posting] = [run.lines.findIndex((l) => l.startsWith('P Backing_up')), run.lines.findIndex((l) => l.startsWith('P posting'))];
      if (i === 0 && backedUp >= 0 && posting > backedUp) backupMs = run.at[posting]! - run.at[backedUp]!;
      // What the job reported posted was committed and stands; nothing it had posted before went missing.
      expect(after.posted - before.posted, fail('committed at least what the job reported')).toBeGreaterThanOrEqual(done);
      expect(after.running.length, fail('at most one batch left running')).toBeLessThanOrEqual(1);
      // inside the posting: this run's batch made and left running (a kill after it closed, while the PDF report was made, is not)
      if (run.killed && run.lines.some((l) => l.startsWith('P posting')) && after.running.some((id) => !seenRunning.has(id))) inPosting++;
      for (const id of after.running) seenRunning.add(id);
      left -= after.posted - before.posted;
      before = after;
    }
    const last = await runPosting({ path: db, target, to: TO, userId, jobId: 'crash-post-last' }, null, 0);
    log.push(`last run: ${last.lines.at(-1)}`);
    expect(last.lines.at(-1), fail('the last run posted what was left')).toMatch(/^F true Batch \d+: Posted /);
    console.log(`posting job crash test (SQLite): ${inPosting} of ${KILLS} kills inside the posting; ${log.join('\n  ')}`);

    const ro = new Database(db, { readonly: true });
    try {
      const q = (sql: string) => (ro.prepare(sql).get() as { n: number }).n;
      allJournalLines(ro);
      // Every movement and value credit posted once (movement_seq is the key of movement_postings), none left.
      const store = new PostingStore(ro);
      expect(store.unposted(Date.parse(TO)), fail('nothing left to post')).toMatchObject({ movements: 0, valueCredits: 0 });
      expect(q('SELECT COUNT(*) AS n FROM movement_postings')).toBe(q('SELECT COUNT(*) AS n FROM movements'));
      // Every batch closed: those a kill left running as interrupted, the others posted; each batch's counts are its postings'.
      expect(q("SELECT COUNT(*) AS n FROM journal_batches WHERE status NOT IN ('posted', 'interrupted')"), fail('no batch left running')).toBe(0);
      const interrupted = ro.prepare("SELECT id FROM journal_batches WHERE status = 'interrupted'").pluck().all() as number[];
      expect(interrupted.sort((a, b) => a - b), fail('the batches left running are the interrupted ones')).toEqual([...seenRunning].sort((a, b) => a - b));
      expect(inPosting, fail('kills landed inside posting')).toBeGreaterThan(0);
      expect(q('SELECT COUNT(*) AS n FROM journal_batches b WHERE movement_count <> (SELECT COUNT(*) FROM movement_postings p WHERE p.batch_id = b.id)'), fail('batch counts')).toBe(0);
      expect(q(`SELECT COUNT(*) AS n FROM journal_batches b WHERE (SELECT COALESCE(SUM(item_count), 0) FROM journal_chunks c WHERE c.batch_id = b.id)
        <> movement_count + (SELECT COUNT(*) FROM value_credit_postings v WHERE v.batch_id = b.id)`), fail('each chunk whole')).toBe(0);
      expect(q('SELECT COUNT(*) AS n FROM journal_batches WHERE finished_at IS NULL OR report IS NULL')).toBe(0);
      expect(q('SELECT COUNT(*) AS n FROM journal_chunks WHERE exported_end IS NULL'), fail('every chunk in the journal')).toBe(0);
      // Each movement's lines are one entry of the batch that posted it; entries balance; entry numbers never repeat.
      expect(q('SELECT COUNT(*) AS n FROM (SELECT movement_seq FROM all_journal_lines WHERE movement_seq IS NOT NULL GROUP BY movement_seq HAVING COUNT(DISTINCT batch_id) > 1 OR COUNT(DISTINCT entry_no) > 1)'), fail('one entry per movement')).toBe(0);
      expect(q('SELECT COUNT(*) AS n FROM all_journal_lines l JOIN movement_postings p ON p.movement_seq = l.movement_seq WHERE p.batch_id <> l.batch_id')).toBe(0);
      expect(q('SELECT COUNT(*) AS n FROM (SELECT batch_id, entry_no FROM all_journal_lines GROUP BY batch_id, entry_no HAVING SUM(amount) <> 0)')).toBe(0);
      expect(q('SELECT COUNT(*) AS n FROM (SELECT entry_no FROM all_journal_lines GROUP BY entry_no HAVING COUNT(DISTINCT batch_id) > 1)')).toBe(0);

      // The journal as the real hledger reads it: well formed and balanced, each movement's entry there once, every entry once, the same balances.
      execFileSync(HLEDGER, ['-f', journal, 'check', '--strict']);
      const printed = execFileSync(HLEDGER, ['-f', journal, 'print'], { encoding: 'utf8', maxBuffer: 1 << 30 });
      const theirMovements = [...printed.matchAll(/^\d{4}-\d\d-\d\d \(\d+\) .*?movement (\d+)/gm)].map((m) => Number(m[1])).sort((a, b) => a - b);
      const ourMovements = ro.prepare('SELECT DISTINCT movement_seq FROM all_journal_lines WHERE movement_seq IS NOT NULL ORDER BY movement_seq').pluck().all() as number[];
      expect(theirMovements.length, fail('each movement entry in the journal once')).toBe(ourMovements.length);
      expect(theirMovements).toEqual(ourMovements);
      const entries = Number(execFileSync(HLEDGER, ['-f', journal, 'stats'], { encoding: 'utf8' }).match(/^Transactions\s*:\s*(\d+)/m)![1]);
      expect(entries, fail('every entry in the journal once')).toBe(q('SELECT COUNT(*) AS n FROM (SELECT DISTINCT batch_id, entry_no FROM all_journal_lines)'));
      const ours = Object.fromEntries(store.trialBalance(target).rows.filter((r) => r.balance !== 0).map((r) => [r.code, r.balance]));
      expect(hledgerBalances(journal), fail('hledger balances as our trial balance')).toEqual(ours);
    } finally {
      ro.close();
    }

    // The ledger verifies in full, as `stockbook verify --full` runs it.
    const out: string[] = [];
    const vdb = openLedgerReadOnly(db);
    try {
      expect(await runVerifyCommand(vdb, db, { full: true, json: false }, (l) => out.push(l)), out.join('\n')).toBe(0);
    } finally {
      vdb.close();
    }
  }, 600_000);
});
