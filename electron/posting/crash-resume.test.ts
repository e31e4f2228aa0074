import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../demo/generate-demo';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { DEFAULT_CHUNK } from './batch-runner';
import { PostingStore } from './posting-store';
import { reverseBatch } from './reverse-batch';
import { openTarget } from './targets/open-target';
import { allJournalLines } from '../../test/fixtures/journal-lines';

const KILLS = Number(process.env.STOCKBOOK_CRASH_KILLS ?? 5);
const MOVEMENTS = Number(process.env.STOCKBOOK_CRASH_MOVEMENTS ?? 100_000);
const HLEDGER = '/usr/bin/hledger';

/** Movements posted so far, read beside the running poster (WAL lets a reader in); 0 before the posting tables exist. */
function postedCount(db: string): number {
  let ro: Database.Database | undefined;
  try {
    ro = new Database(db, { readonly: true });
    return (ro.prepare('SELECT COUNT(*) AS n FROM movement_postings').get() as { n: number }).n;
  } catch {
    return 0;
  } finally {
    ro?.close();
  }
}

/**
 * Runs `stockbook post` and SIGKILLs it once it has posted `after` more movements, then a further `lag` (0–1) of the
 * time a chunk takes (measured between two commits; 150 ms until two are seen), so the kill lands somewhere inside the
 * next chunk (its read, its lines, its commit, its journal write), not only just after a commit; `after` = Infinity lets
 * it finish. The kill follows the run's own progress, not a wall-clock guess, so it lands inside the posting on an idle
 * machine and on a busy one alike.
 */
function postAndKill(db: string, journal: string, after: number, lag = 0): Promise<number | null> {
  const before = Number.isFinite(after) ? postedCount(db) : 0;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/stockbook.mjs', 'post', '--db', db, '--to', '2099-01-01T00:00:00Z', '--target', `hledger:${journal}`, '--no-backup'], { stdio: 'ignore' });
    let timer: NodeJS.Timeout | undefined;
    let seen = before;
    let changedAt: number | undefined;
    let chunkMs = 150;
    const poll = Number.isFinite(after)
      ? setInterval(() => {
          const now = performance.now();
          const posted = postedCount(db);
          if (posted !== seen) [seen, chunkMs, changedAt] = [posted, changedAt === undefined ? chunkMs : now - changedAt, now];
          if (posted - before < after) return;
          clearInterval(poll);
          timer = setTimeout(() => child.kill('SIGKILL'), lag * chunkMs);
        }, 20)
      : undefined;
    child.on('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('crash safety: the posting process killed at random points', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stockbook-crash-'));
    db = join(dir, 'ledger.db');
    const ledger = await SqliteLedger.open(db);
    await generateDemo(ledger, { movements: MOVEMENTS, end: new Date(Date.UTC(2026, 0, 1)) });
    await ledger.close();
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`survives ${KILLS} SIGKILLs, then ends with every movement posted exactly once, balanced, and the journal agreeing`, async () => {
    const journal = join(dir, 'books.journal');
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const unposted = () => {
      const ro = new Database(db, { readonly: true });
      try {
        return (ro.prepare('SELECT COUNT(*) AS n FROM movements m WHERE NOT EXISTS (SELECT 1 FROM movement_postings p WHERE p.movement_seq = m.seq)').get() as { n: number }).n;
      } catch {
        return MOVEMENTS; // before the first run the posting tables may not exist yet
      } finally {
        ro.close();
      }
    };
    /** When little is left to post, reverse the newest posted batch: its movements become postable again (and reversal is exercised too). */
    const refill = async () => {
      const ledger = await SqliteLedger.open(db);
      try {
        const store = new PostingStore(ledger.db);
        const b = ledger.db
          .prepare("SELECT id FROM journal_batches WHERE reversal_of IS NULL AND reversed_by IS NULL AND status <> 'running' AND movement_count > 0 ORDER BY id DESC LIMIT 1")
          .get() as { id: number } | undefined;
        if (b) reverseBatch(store, openTarget(store, `hledger:${journal}`), b.id, 1, Date.now());
      } finally {
        await ledger.close();
      }
    };
    for (let i = 0; i < KILLS; i++) {
      if (unposted() < MOVEMENTS * 0.3) await refill();
      const left = unposted();
      // each kill lands somewhere inside what is left to post: somewhere in the chunk after the commit that passes
      // `after`, which leaves at least one chunk (`stockbook post` commits DEFAULT_CHUNK movements at a time) to come
      const after = 1 + Math.floor(rand() * Math.max(0, left - DEFAULT_CHUNK - 1));
      const lag = rand();
      const code = await postAndKill(db, journal, after, lag);
      if (process.env.STOCKBOOK_CRASH_DEBUG) console.log(`kill ${i}: left ${left}, after ${after} + ${lag.toFixed(2)} of a chunk, exit ${code}, left after ${unposted()}`);
    }
    expect(await postAndKill(db, journal, Infinity)).toBe(0);

    const ledger = await SqliteLedger.open(db);
    try {
      const q = (sql: string) => (ledger.db.prepare(sql).get() as { n: number }).n;
      // the lines of every batch, packed or not, as the store reads them back
      allJournalLines(ledger.db);
      expect(q('SELECT COUNT(*) AS n FROM movements m WHERE NOT EXISTS (SELECT 1 FROM movement_postings p WHERE p.movement_seq = m.seq)')).toBe(0);
      expect(q('SELECT COUNT(*) AS n FROM movement_postings')).toBe(q('SELECT COUNT(*) AS n FROM movements'));
      expect(q('SELECT COALESCE(SUM(amount), 0) AS n FROM all_journal_lines')).toBe(0);
      expect(q('SELECT COUNT(*) AS n FROM (SELECT batch_id, entry_no FROM all_journal_lines GROUP BY batch_id, entry_no HAVING SUM(amount) <> 0)')).toBe(0);
      expect(q('SELECT COUNT(*) AS n FROM journal_chunks WHERE exported_end IS NULL')).toBe(0);
      // the kills really landed mid-run: batches were left running and closed as interrupted by the next run
      const interrupted = q("SELECT COUNT(*) AS n FROM journal_batches WHERE status = 'interrupted'");
      console.log(`crash test: ${KILLS} kills over ${MOVEMENTS} movements; ${interrupted} landed mid-posting`);
      expect(interrupted).toBeGreaterThan(0);
      // entry numbers are unique across all batches: nothing was written twice
      expect(q('SELECT COUNT(*) AS n FROM (SELECT entry_no FROM all_journal_lines GROUP BY entry_no HAVING COUNT(DISTINCT batch_id) > 1)')).toBe(0);
      if (existsSync(HLEDGER)) {
        execFileSync(HLEDGER, ['-f', journal, 'check', '--strict']);
        const csv = execFileSync(HLEDGER, ['-f', journal, 'balance', '-N', '-O', 'csv', '--flat'], { encoding: 'utf8' });
        const theirs = Object.fromEntries(
          csv.trim().split('\n').slice(1).map((l) => l.split('","').map((c) => c.replace(/"/g, ''))).map(([a, v]) => [a!, Math.round(Number(v!.replace(/[^0-9.-]/g, '')) * 10_000)]).filter(([, v]) => v !== 0),
        );
        const store = new PostingStore(ledger.db);
        const ours = Object.fromEntries(store.trialBalance(`hledger:${journal}`).rows.filter((r) => r.balance !== 0).map((r) => [r.code, r.balance]));
        expect(theirs).toEqual(ours);
        const entries = Number(execFileSync(HLEDGER, ['-f', journal, 'stats'], { encoding: 'utf8' }).match(/^Transactions\s*:\s*(\d+)/m)![1]);
        expect(entries).toBe(q('SELECT COUNT(*) AS n FROM (SELECT DISTINCT batch_id, entry_no FROM all_journal_lines)'));
      }
    } finally {
      await ledger.close();
    }
  }, 900_000);
});
