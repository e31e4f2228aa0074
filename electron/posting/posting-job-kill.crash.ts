import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrialBalance } from '../../shared/posting';
import { UsersStore } from '../auth/users-store';
import { openLedgerReadOnly } from '../cli/ledger-file';
import { runPgVerifyCommand } from '../cli/pg-verify-command';
import { runVerifyCommand } from '../cli/verify-command';
import { generateDemo } from '../demo/generate-demo';
import { openPool } from '../ledger/pg/pg-types';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import type { CrashLedger } from '../safety/crash-ledger';
import { sessionGone } from '../../test/fixtures/crash-reopen';
import { demoOnStore } from '../../test/fixtures/demo-on-store';
import { allJournalLines } from '../../test/fixtures/journal-lines';
import { HLEDGER, hledgerBalances } from '../../test/fixtures/hledger';
import { pgRowsOn } from '../../test/fixtures/pg-rows';
import { clusterForConfiguredStore, STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';
import { POSTING_JOB_KILL_CHILD_APP, type PostingJobKillPlan } from './posting-job-kill-child';
import { PgPostingStore } from './pg-posting-store';
import { PostingStore } from './posting-store';

/**
 * Crash safety of a finance posting as a user runs it (npm run test:crash), on the configured store: posting.start
 * (posting-job-kill-child.ts) on a demo ledger, a SQLite file (vitest.crash.config.ts) or a PostgreSQL database
 * (vitest.crash.pg.config.ts). SQLite: through LedgerClient, which takes the checked backup and runs the batch runner in
 * a job thread with the default write budget, each small chunk's commit answered later by the ledger worker while the
 * job reads and builds the next (JobPostingStore, writeLater). PostgreSQL: a server's host (startPgHost), whose posting
 * job runs the batch runner under the store's claim, each chunk's transaction committing while the runner reads and
 * builds the next. crash-resume.crash.ts kills `stockbook post`, the runner in one thread; this kills the job route.
 * The process is SIGKILLed at seeded random points, again and again (on SQLite once in the backup; the others in the
 * posting, some a millisecond or two after a progress line, when the next chunk's commit has just gone to the writer),
 * and started again each time: the restart closes the interrupted batch and posts what is left. After each kill, what
 * the job reported posted is there (posted chunks stand) and at most one batch is left running; at the end every
 * movement is posted exactly once, every batch closed (the interrupted ones as such), every chunk in the journal once,
 * which the real hledger reads as balanced with each movement's entry once and the same trial balance as ours, and the
 * ledger verifies. STOCKBOOK_JOB_CRASH_SEED repeats a run's kill points (as far as timing allows).
 */
const CHILD = fileURLToPath(new URL('./posting-job-kill-child.ts', import.meta.url));
const KILLS = Number(process.env.STOCKBOOK_JOB_CRASH_KILLS ?? 6);
/**
 * SQLite's job sizes its chunks to the write budget (POSTING_WRITE_BUDGET_MS: a few hundred movements, the writer being
 * shared with the clerks' commits), so 25,000 movements make many chunks. PostgreSQL's job posts chunks of
 * DEFAULT_CHUNK (20,000 movements: each chunk its own transaction, holding no single writer): 120,000 make six, so the
 * kills land across several chunks of one batch, not in the first two runs only.
 */
const MOVEMENTS = Number(process.env.STOCKBOOK_JOB_CRASH_MOVEMENTS ?? (STORE_UNDER_TEST === 'sqlite' ? 25_000 : 120_000));
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

/**
 * The ledger as a kill left it, or at the end, read beside nothing (the process is gone; on PostgreSQL once the database
 * has ended its sessions, so the killed run's open transaction is rolled back and its claim free).
 */
interface Books {
  /** A count (`n`) of one query. */
  n(sql: string): Promise<number>;
  /** The first column of a query's rows, as numbers. */
  ids(sql: string): Promise<number[]>;
  unposted(): Promise<{ movements: number; valueCredits: number }>;
  trialBalance(target: string): Promise<TrialBalance>;
  /**
   * The table of every journal line of every batch (as journal_lines; a file target's packed chunks too): on SQLite a
   * temporary table made now (test/fixtures/journal-lines.ts), on PostgreSQL journal_lines itself (every target's lines
   * are rows of it there).
   */
  allJournalLines(): Promise<string>;
  close(): Promise<void>;
}

async function books(ledger: CrashLedger): Promise<Books> {
  if (ledger.store === 'sqlite') {
    const ro = new Database(ledger.path, { readonly: true });
    const store = new PostingStore(ro);
    return {
      n: async (sql) => (ro.prepare(sql).get() as { n: number }).n,
      ids: async (sql) => ro.prepare(sql).pluck().all() as number[],
      unposted: async () => store.unposted(Date.parse(TO)),
      trialBalance: async (target) => store.trialBalance(target),
      allJournalLines: async () => (allJournalLines(ro), 'all_journal_lines'),
      close: async () => void ro.close(),
    };
  }
  const pool = openPool(ledger.connection, 2);
  await sessionGone(pool, POSTING_JOB_KILL_CHILD_APP);
  const rows = pgRowsOn(pool);
  const store = new PgPostingStore(pool);
  return {
    n: async (sql) => Number((await rows<{ n: number }>(sql))[0]!.n),
    ids: async (sql) => (await rows(sql)).map((r) => Number(Object.values(r)[0])),
    unposted: () => store.unposted(Date.parse(TO)),
    trialBalance: (target) => store.trialBalance(target),
    allJournalLines: async () => 'journal_lines',
    close: () => pool.end(),
  };
}

/** What the posting runs have committed so far: items posted, the batches left running, chunks not yet in the journal. */
async function afterKill(ledger: CrashLedger): Promise<{ posted: number; running: number[]; unexported: number }> {
  const b = await books(ledger);
  try {
    return {
      posted: await b.n('SELECT (SELECT COUNT(*) FROM movement_postings) + (SELECT COUNT(*) FROM value_credit_postings) AS n'),
      running: await b.ids("SELECT id FROM journal_batches WHERE status = 'running'"),
      unexported: await b.n('SELECT COUNT(*) AS n FROM journal_chunks WHERE exported_end IS NULL'),
    };
  } finally {
    await b.close();
  }
}

/** `stockbook verify` in full: `--full` on the SQLite file; on PostgreSQL `--database` (every movement hashed). */
async function verifyFull(ledger: CrashLedger, out: (line: string) => void): Promise<number> {
  if (ledger.store === 'postgres') {
    const c = ledger.connection;
    return runPgVerifyCommand(`postgres://${c.user}@${c.host}:${c.port}/${c.database}`, { json: false }, out);
  }
  const vdb = openLedgerReadOnly(ledger.path);
  try {
    return await runVerifyCommand(vdb, ledger.path, { full: true, json: false }, out);
  } finally {
    vdb.close();
  }
}

/** The last "P posting <done> <total>" a run printed: how many items the job had reported posted (0 if none). */
const reportedDone = (lines: readonly string[]) =>
  lines.reduce((done, l) => (/^P posting \d+ \d+$/.test(l) ? Number(l.split(' ')[2]) : done), 0);
const postingLine = (atLeast: number) => (l: string) => /^P posting \d+ \d+$/.test(l) && Number(l.split(' ')[2]) >= atLeast;

const cluster = clusterForConfiguredStore();

describe(`crash safety: a posting job (posting.start as a user runs it) killed at random points (${STORE_UNDER_TEST})`, () => {
  let dir: string;
  let ledger: CrashLedger;
  let userId: number;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stockbook-job-crash-'));
    const demo = { movements: MOVEMENTS, end: new Date(Date.UTC(2026, 0, 1)) };
    if (STORE_UNDER_TEST === 'sqlite') {
      const db = join(dir, 'ledger.db');
      const sqlite = await SqliteLedger.open(db);
      await generateDemo(sqlite, demo);
      userId = new UsersStore(sqlite.db).get('admin').id;
      await sqlite.close();
      ledger = { store: 'sqlite', path: db };
      return;
    }
    // The same demo on PostgreSQL (test/fixtures/demo-on-store.ts), a database of the file's cluster the child reaches.
    const c = cluster()!;
    const pg = await demoOnStore(c, demo);
    try {
      const database = (await pg.rows<{ database: string }>('SELECT current_database() AS database'))[0]!.database;
      userId = Number((await pg.rows<{ id: number }>("SELECT id FROM users WHERE username = 'admin'"))[0]!.id);
      ledger = { store: 'postgres', connection: { host: c.host, port: c.port, user: c.user, database } };
    } finally {
      await pg.close();
    }
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`survives ${KILLS} SIGKILLs (seed from STOCKBOOK_JOB_CRASH_SEED or the clock), then every movement is posted once, every batch closed, and hledger agrees`, async () => {
    const journal = join(dir, 'books.journal');
    const target = `hledger:${journal}`;
    let seed = SEED;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    // PostgreSQL takes no checked backup before a run (posting.pg-ops.ts: a PostgreSQL server's backups are pg_dump and
    // point-in-time recovery, outside the app), so there is no backup to kill it in: every kill lands in the posting.
    const backupKill = 1 + Math.floor(rand() * Math.max(1, KILLS - 1));
    const killInBackup = (i: number) => STORE_UNDER_TEST === 'sqlite' && i === backupKill;
    const log: string[] = [`seed ${SEED}, ${MOVEMENTS} movements`];
    const fail = (what: string) => `${what} (seed ${SEED}; kills so far:\n${log.join('\n')})`;
    const seenRunning = new Set<number>();
    let backupMs = 3000;
    let before = await afterKill(ledger);
    const total = await (async () => {
      const b = await books(ledger);
      try {
        return await b.unposted();
      } finally {
        await b.close();
      }
    })();
    let left = total.movements + total.valueCredits;
    let inPosting = 0;
    for (let i = 0; i < KILLS; i++) {
      const plan: PostingJobKillPlan = { ledger, target, to: TO, userId, jobId: `crash-post-${i}` };
      let how: string;
      let trigger: (line: string) => boolean;
      let lag: number;
      if (killInBackup(i)) {
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
      // SQLite: pages of a write the kill cut off (PostgreSQL's WAL is the database server's, which was not killed)
      const walTail = ledger.store === 'sqlite' ? `${uncommittedWalFrames(ledger.path)}` : 'no';
      const after = await afterKill(ledger);
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
    const last = await runPosting({ ledger, target, to: TO, userId, jobId: 'crash-post-last' }, null, 0);
    log.push(`last run: ${last.lines.at(-1)}`);
    expect(last.lines.at(-1), fail('the last run posted what was left')).toMatch(/^F true Batch \d+: Posted /);
    console.log(`posting job crash test (${STORE_UNDER_TEST}): ${inPosting} of ${KILLS} kills inside the posting; ${log.join('\n  ')}`);

    const b = await books(ledger);
    try {
      const q = (sql: string) => b.n(sql);
      const lines = await b.allJournalLines();
      // Every movement and value credit posted once (movement_seq is the key of movement_postings), none left.
      expect(await b.unposted(), fail('nothing left to post')).toMatchObject({ movements: 0, valueCredits: 0 });
      expect(await q('SELECT COUNT(*) AS n FROM movement_postings')).toBe(await q('SELECT COUNT(*) AS n FROM movements'));
      // Every batch closed: those a kill left running as interrupted, the others posted; each batch's counts are its postings'.
      expect(await q("SELECT COUNT(*) AS n FROM journal_batches WHERE status NOT IN ('posted', 'interrupted')"), fail('no batch left running')).toBe(0);
      const interrupted = await b.ids("SELECT id FROM journal_batches WHERE status = 'interrupted'");
      expect(interrupted.sort((x, y) => x - y), fail('the batches left running are the interrupted ones')).toEqual([...seenRunning].sort((x, y) => x - y));
      expect(inPosting, fail('kills landed inside posting')).toBeGreaterThan(0);
      expect(await q('SELECT COUNT(*) AS n FROM journal_batches b WHERE movement_count <> (SELECT COUNT(*) FROM movement_postings p WHERE p.batch_id = b.id)'), fail('batch counts')).toBe(0);
      expect(await q(`SELECT COUNT(*) AS n FROM journal_batches b WHERE (SELECT COALESCE(SUM(item_count), 0) FROM journal_chunks c WHERE c.batch_id = b.id)
        <> movement_count + (SELECT COUNT(*) FROM value_credit_postings v WHERE v.batch_id = b.id)`), fail('each chunk whole')).toBe(0);
      expect(await q('SELECT COUNT(*) AS n FROM journal_batches WHERE finished_at IS NULL OR report IS NULL')).toBe(0);
      expect(await q('SELECT COUNT(*) AS n FROM journal_chunks WHERE exported_end IS NULL'), fail('every chunk in the journal')).toBe(0);
      // Each movement's lines are one entry of the batch that posted it; entries balance; entry numbers never repeat.
      expect(await q(`SELECT COUNT(*) AS n FROM (SELECT movement_seq FROM ${lines} WHERE movement_seq IS NOT NULL GROUP BY movement_seq HAVING COUNT(DISTINCT batch_id) > 1 OR COUNT(DISTINCT entry_no) > 1) AS x`), fail('one entry per movement')).toBe(0);
      expect(await q(`SELECT COUNT(*) AS n FROM ${lines} l JOIN movement_postings p ON p.movement_seq = l.movement_seq WHERE p.batch_id <> l.batch_id`)).toBe(0);
      expect(await q(`SELECT COUNT(*) AS n FROM (SELECT batch_id, entry_no FROM ${lines} GROUP BY batch_id, entry_no HAVING SUM(amount) <> 0) AS x`)).toBe(0);
      expect(await q(`SELECT COUNT(*) AS n FROM (SELECT entry_no FROM ${lines} GROUP BY entry_no HAVING COUNT(DISTINCT batch_id) > 1) AS x`)).toBe(0);

      // The journal as the real hledger reads it: well formed and balanced, each movement's entry there once, every entry once, the same balances.
      execFileSync(HLEDGER, ['-f', journal, 'check', '--strict']);
      const printed = execFileSync(HLEDGER, ['-f', journal, 'print'], { encoding: 'utf8', maxBuffer: 1 << 30 });
      const theirMovements = [...printed.matchAll(/^\d{4}-\d\d-\d\d \(\d+\) .*?movement (\d+)/gm)].map((m) => Number(m[1])).sort((x, y) => x - y);
      const ourMovements = await b.ids(`SELECT DISTINCT movement_seq FROM ${lines} WHERE movement_seq IS NOT NULL ORDER BY movement_seq`);
      expect(theirMovements.length, fail('each movement entry in the journal once')).toBe(ourMovements.length);
      expect(theirMovements).toEqual(ourMovements);
      const entries = Number(execFileSync(HLEDGER, ['-f', journal, 'stats'], { encoding: 'utf8' }).match(/^Transactions\s*:\s*(\d+)/m)![1]);
      expect(entries, fail('every entry in the journal once')).toBe(await q(`SELECT COUNT(*) AS n FROM (SELECT DISTINCT batch_id, entry_no FROM ${lines}) AS x`));
      const ours = Object.fromEntries((await b.trialBalance(target)).rows.filter((r) => r.balance !== 0).map((r) => [r.code, r.balance]));
      expect(hledgerBalances(journal), fail('hledger balances as our trial balance')).toEqual(ours);
    } finally {
      await b.close();
    }

    // The ledger verifies in full, as `stockbook verify --full` (SQLite) or `stockbook verify --database` (PostgreSQL) runs it.
    const out: string[] = [];
    expect(await verifyFull(ledger, (l) => out.push(l)), out.join('\n')).toBe(0);
  }, 600_000);
});
