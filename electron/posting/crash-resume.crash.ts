import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../demo/generate-demo';
import { openPool } from '../ledger/pg/pg-types';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import type { CrashLedger } from '../safety/crash-ledger';
import { sessionGone } from '../../test/fixtures/crash-reopen';
import { DEFAULT_CHUNK } from './batch-runner';
import type { PostingChildPlan } from './pg-posting-child';
import { PgPostingStore } from './pg-posting-store';
import { PostingStore } from './posting-store';
import { reverseBatch, reverseBatchOn } from './reverse-batch';
import { openTarget } from './targets/open-target';
import { openPgTarget } from './targets/pg-targets';
import { demoOnStore } from '../../test/fixtures/demo-on-store';
import { allJournalLines } from '../../test/fixtures/journal-lines';
import { pgRowsOn } from '../../test/fixtures/pg-rows';
import { clusterForConfiguredStore, STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';

/**
 * The posting process killed (SIGKILL) at random points and run again, on the configured store: on SQLite `stockbook
 * post` on the ledger file; on PostgreSQL, which has no `stockbook post` on a database (`post` runs on a file, or
 * through a server with --server, whose posting job posting-job-kill.crash.ts kills), a Stockbook server's batch runner
 * in its own process (pg-posting-child.ts), connecting as stockbook-crash-resume-child. Both commit DEFAULT_CHUNK
 * movements at a time. When little is left to post, the newest batch is reversed so there is more.
 */
const KILLS = Number(process.env.STOCKBOOK_CRASH_KILLS ?? 5);
const MOVEMENTS = Number(process.env.STOCKBOOK_CRASH_MOVEMENTS ?? 100_000);
const HLEDGER = '/usr/bin/hledger';
const TO = '2099-01-01T00:00:00Z';
const CHILD_APP = 'stockbook-crash-resume-child';
const cluster = clusterForConfiguredStore();

/** The ledger the test posts, and (PostgreSQL) its admin and the test's own pool on it, to read beside the poster. */
interface Posted {
  ledger: CrashLedger;
  userId: number;
  pool: pg.Pool | null;
}

/** Movements posted so far, read beside the running poster (SQLite: WAL lets a reader in); 0 before the posting tables exist. */
async function postedCount(p: Posted): Promise<number> {
  if (p.ledger.store === 'postgres') return Number((await pgRowsOn(p.pool!)<{ n: number }>('SELECT COUNT(*) AS n FROM movement_postings'))[0]!.n);
  let ro: Database.Database | undefined;
  try {
    ro = new Database(p.ledger.path, { readonly: true });
    return (ro.prepare('SELECT COUNT(*) AS n FROM movement_postings').get() as { n: number }).n;
  } catch {
    return 0;
  } finally {
    ro?.close();
  }
}

/** The posting process: `stockbook post` on the SQLite file; a server's batch runner on the PostgreSQL database. */
function poster(p: Posted, journal: string) {
  if (p.ledger.store === 'sqlite') {
    return spawn(process.execPath, ['bin/stockbook.mjs', 'post', '--db', p.ledger.path, '--to', TO, '--target', `hledger:${journal}`, '--no-backup'], { stdio: 'ignore' });
  }
  const plan: PostingChildPlan = { connection: p.ledger.connection, target: `hledger:${journal}`, to: Date.parse(TO), userId: p.userId, chunkSize: DEFAULT_CHUNK };
  return spawn(process.execPath, ['--import', 'tsx', 'electron/posting/pg-posting-child.ts', JSON.stringify(plan)], { stdio: 'ignore', env: { ...process.env, PGAPPNAME: CHILD_APP } });
}

/**
 * Runs the posting process and SIGKILLs it once it has posted `after` more movements, then a further `lag` (0–1) of the
 * time a chunk takes (measured between two commits; 150 ms until two are seen), so the kill lands somewhere inside the
 * next chunk (its read, its lines, its commit, its journal write), not only just after a commit; `after` = Infinity lets
 * it finish. The kill follows the run's own progress, not a wall-clock guess, so it lands inside the posting on an idle
 * machine and on a busy one alike. On PostgreSQL it starts once the database has ended the last killed process's
 * sessions (its claim is then free: a run started before would be told, rightly, that another server posts).
 */
async function postAndKill(p: Posted, journal: string, after: number, lag = 0): Promise<number | null> {
  if (p.pool) await sessionGone(p.pool, CHILD_APP);
  const before = Number.isFinite(after) ? await postedCount(p) : 0;
  const child = poster(p, journal);
  let exited = false;
  const code = new Promise<number | null>((resolve) => child.on('exit', (c) => ((exited = true), resolve(c))));
  if (Number.isFinite(after)) {
    let seen = before;
    let changedAt: number | undefined;
    let chunkMs = 150;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (exited) break;
      const now = performance.now();
      const posted = await postedCount(p);
      if (posted !== seen) [seen, chunkMs, changedAt] = [posted, changedAt === undefined ? chunkMs : now - changedAt, now];
      if (posted - before < after) continue;
      const timer = setTimeout(() => child.kill('SIGKILL'), lag * chunkMs);
      void code.then(() => clearTimeout(timer));
      break;
    }
  }
  return code;
}

describe(`crash safety: the posting process killed at random points (${STORE_UNDER_TEST})`, () => {
  let dir: string;
  let p: Posted;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stockbook-crash-'));
    const demo = { movements: MOVEMENTS, end: new Date(Date.UTC(2026, 0, 1)) };
    if (STORE_UNDER_TEST === 'sqlite') {
      const db = join(dir, 'ledger.db');
      const ledger = await SqliteLedger.open(db);
      await generateDemo(ledger, demo);
      await ledger.close();
      p = { ledger: { store: 'sqlite', path: db }, userId: 1, pool: null };
      return;
    }
    // The same demo on PostgreSQL (test/fixtures/demo-on-store.ts), a database of the file's cluster the poster reaches.
    const c = cluster()!;
    const made = await demoOnStore(c, demo);
    try {
      const database = (await made.rows<{ database: string }>('SELECT current_database() AS database'))[0]!.database;
      const userId = Number((await made.rows<{ id: number }>("SELECT id FROM users WHERE username = 'admin'"))[0]!.id);
      const connection = { host: c.host, port: c.port, user: c.user, database };
      p = { ledger: { store: 'postgres', connection }, userId, pool: openPool(connection, 2) };
    } finally {
      await made.close();
    }
  }, 600_000);
  afterAll(async () => {
    await p?.pool?.end();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The ledger, opened to read and write beside no poster: a count (`n`), the rows of a query (`?` placeholders), and its close. */
  async function open(): Promise<{ n(sql: string): Promise<number>; rows<R>(sql: string): Promise<R[]>; sqlite: SqliteLedger | null; close(): Promise<void> }> {
    if (p.pool) {
      await sessionGone(p.pool, CHILD_APP);
      const rows = pgRowsOn(p.pool);
      return { n: async (sql) => Number((await rows<{ n: number }>(sql))[0]!.n), rows: (sql) => rows(sql), sqlite: null, close: async () => undefined };
    }
    const ledger = await SqliteLedger.open((p.ledger as { path: string }).path);
    return {
      n: async (sql) => (ledger.db.prepare(sql).get() as { n: number }).n,
      rows: async <R>(sql: string) => ledger.db.prepare(sql).all() as R[],
      sqlite: ledger,
      close: () => ledger.close(),
    };
  }

  it(`survives ${KILLS} SIGKILLs, then ends with every movement posted exactly once, balanced, and the journal agreeing`, async () => {
    const journal = join(dir, 'books.journal');
    const target = `hledger:${journal}`;
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const unposted = async () => {
      const sql = 'SELECT COUNT(*) AS n FROM movements m WHERE NOT EXISTS (SELECT 1 FROM movement_postings p WHERE p.movement_seq = m.seq)';
      if (p.pool) return Number((await pgRowsOn(p.pool)<{ n: number }>(sql))[0]!.n);
      const ro = new Database((p.ledger as { path: string }).path, { readonly: true });
      try {
        return (ro.prepare(sql).get() as { n: number }).n;
      } catch {
        return MOVEMENTS; // before the first run the posting tables may not exist yet
      } finally {
        ro.close();
      }
    };
    /** When little is left to post, reverse the newest posted batch: its movements become postable again (and reversal is exercised too). */
    const refill = async () => {
      const l = await open();
      try {
        const b = (await l.rows<{ id: number }>("SELECT id FROM journal_batches WHERE reversal_of IS NULL AND reversed_by IS NULL AND status <> 'running' AND movement_count > 0 ORDER BY id DESC LIMIT 1"))[0];
        if (!b) return;
        if (l.sqlite) {
          const store = new PostingStore(l.sqlite.db);
          reverseBatch(store, openTarget(store, target), b.id, 1, Date.now());
        } else {
          const store = new PgPostingStore(p.pool!);
          await reverseBatchOn(store, await openPgTarget(store, target), Number(b.id), p.userId, Date.now());
        }
      } finally {
        await l.close();
      }
    };
    for (let i = 0; i < KILLS; i++) {
      if ((await unposted()) < MOVEMENTS * 0.3) await refill();
      const left = await unposted();
      // each kill lands somewhere inside what is left to post: somewhere in the chunk after the commit that passes
      // `after`, which leaves at least one chunk (the poster commits DEFAULT_CHUNK movements at a time) to come
      const after = 1 + Math.floor(rand() * Math.max(0, left - DEFAULT_CHUNK - 1));
      const lag = rand();
      const code = await postAndKill(p, journal, after, lag);
      if (process.env.STOCKBOOK_CRASH_DEBUG) console.log(`kill ${i}: left ${left}, after ${after} + ${lag.toFixed(2)} of a chunk, exit ${code}, left after ${await unposted()}`);
    }
    expect(await postAndKill(p, journal, Infinity)).toBe(0);

    const l = await open();
    try {
      const q = (sql: string) => l.n(sql);
      // the lines of every batch, packed or not, as the store reads them back: on SQLite a table made now; on PostgreSQL
      // journal_lines itself (every target's lines are rows of it there)
      const lines = l.sqlite ? (allJournalLines(l.sqlite.db), 'all_journal_lines') : 'journal_lines';
      expect(await q('SELECT COUNT(*) AS n FROM movements m WHERE NOT EXISTS (SELECT 1 FROM movement_postings p WHERE p.movement_seq = m.seq)')).toBe(0);
      expect(await q('SELECT COUNT(*) AS n FROM movement_postings')).toBe(await q('SELECT COUNT(*) AS n FROM movements'));
      expect(await q(`SELECT COALESCE(SUM(amount), 0) AS n FROM ${lines}`)).toBe(0);
      expect(await q(`SELECT COUNT(*) AS n FROM (SELECT batch_id, entry_no FROM ${lines} GROUP BY batch_id, entry_no HAVING SUM(amount) <> 0) AS x`)).toBe(0);
      expect(await q('SELECT COUNT(*) AS n FROM journal_chunks WHERE exported_end IS NULL')).toBe(0);
      // the kills really landed mid-run: batches were left running and closed as interrupted by the next run
      const interrupted = await q("SELECT COUNT(*) AS n FROM journal_batches WHERE status = 'interrupted'");
      console.log(`crash test (${STORE_UNDER_TEST}): ${KILLS} kills over ${MOVEMENTS} movements; ${interrupted} landed mid-posting`);
      expect(interrupted).toBeGreaterThan(0);
      // entry numbers are unique across all batches: nothing was written twice
      expect(await q(`SELECT COUNT(*) AS n FROM (SELECT entry_no FROM ${lines} GROUP BY entry_no HAVING COUNT(DISTINCT batch_id) > 1) AS x`)).toBe(0);
      if (existsSync(HLEDGER)) {
        execFileSync(HLEDGER, ['-f', journal, 'check', '--strict']);
        const csv = execFileSync(HLEDGER, ['-f', journal, 'balance', '-N', '-O', 'csv', '--flat'], { encoding: 'utf8' });
        const theirs = Object.fromEntries(
          csv.trim().split('\n').slice(1).map((row) => row.split('","').map((c) => c.replace(/"/g, ''))).map(([a, v]) => [a!, Math.round(Number(v!.replace(/[^0-9.-]/g, '')) * 10_000)]).filter(([, v]) => v !== 0),
        );
        const balance = l.sqlite ? new PostingStore(l.sqlite.db).trialBalance(target) : await new PgPostingStore(p.pool!).trialBalance(target);
        const ours = Object.fromEntries(balance.rows.filter((r) => r.balance !== 0).map((r) => [r.code, r.balance]));
        expect(theirs).toEqual(ours);
        const entries = Number(execFileSync(HLEDGER, ['-f', journal, 'stats'], { encoding: 'utf8' }).match(/^Transactions\s*:\s*(\d+)/m)![1]);
        expect(entries).toBe(await q(`SELECT COUNT(*) AS n FROM (SELECT DISTINCT batch_id, entry_no FROM ${lines}) AS x`));
      }
    } finally {
      await l.close();
    }
  }, 900_000);
});
