import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobFinished } from '../../shared/domain';
import type { Caller } from '../ledger/caller';
import { createPgWorkerContext } from '../ledger/pg/pg-worker-context';
import { allPgOps } from '../ledger/pg/pg-worker-ops';
import { openPool } from '../ledger/pg/pg-types';
import { verifyPg } from '../ledger/pg/store/pg-verify-store';
import type { VerifyCheck } from '../ledger/store/verify';
import { crashImportQty } from '../safety/crash-documents';
import { runAndKill } from '../safety/crash-kill';
import { seedCrashLedger, type CrashLedger } from '../safety/crash-ledger';
import { reopenCrashed, sessionGone } from '../../test/fixtures/crash-reopen';
import { startLedgerWorker } from '../safety/worker-start';
import { clusterForConfiguredStore, STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';
import { IMPORT_CHUNK_LINES, REPLAYED } from './import-chunks';
import { crashImportInput, IMPORT_KILL_CHILD_APP, type ImportKillPlan } from './import-kill-child';

/**
 * A stock import killed part-way (npm run test:crash), on the configured store: a Stockbook writer imports a
 * 100,000-row file (import-kill-child.ts) into a fresh ledger, a SQLite file (vitest.crash.config.ts) or a PostgreSQL
 * database (vitest.crash.pg.config.ts), and is killed with SIGKILL at a random instant: the first run's while the file
 * is being checked, the others' within 200 ms of its first movements going to the store. Then it starts again (SQLite:
 * the ledger worker's start, as the app runs it, with the full check; PostgreSQL: a server's start once the database
 * has ended the killed session) and the user imports the same file again under the same key.
 * Both stores: after the kill every document of the import is whole, verify holds, and the file is recorded as imported
 * only when every row is posted; after the retry every row of the file is there exactly once (each document once, in
 * order, the file recorded once with its documents, the key's request once), verify holds, every stock level is the sum
 * of its movements (and the file's quantities), and the same file again is replayed under its key and refused under
 * another, never posted twice.
 * The stores differ by design, and each keeps its own: SQLite posts a large import in chunks, so a kill may leave it
 * part-posted in whole chunk documents, marked as posting, for the next start to finish (roll forward) before the
 * retry, which then replays; PostgreSQL posts it in one transaction, so the file is wholly there or wholly absent,
 * never part of it, and a kill inside that transaction rolls it back whole.
 */
const CHILD = fileURLToPath(new URL('./import-kill-child.ts', import.meta.url));
const RUNS = STORE_UNDER_TEST === 'sqlite' ? Number(process.env.STOCKBOOK_CRASH_IMPORT_RUNS ?? 3) : Number(process.env.STOCKBOOK_PG_IMPORT_CRASH_RUNS ?? 4);
const ROWS = 100_000;
const DOCS = ROWS / IMPORT_CHUNK_LINES;
/** What the finished import says when it posts the file: every row, in its documents. */
const IMPORTED = new RegExp(`^Imported ${ROWS.toLocaleString('en-GB')} rows in ${DOCS.toLocaleString('en-GB')} documents; `);
const cluster = clusterForConfiguredStore();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-import-kill-'));
  process.env.STOCKBOOK_NO_DAILY_BACKUP = '1';
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The ledger as a start opens it, to read: a query's rows (`?` placeholders), verify's report, and its close. */
interface Look {
  rows<R>(sql: string, params?: unknown[]): Promise<R[]>;
  verify(): Promise<{ ok: boolean; checks: VerifyCheck[] }>;
  close(): Promise<void>;
}

async function look(ledger: CrashLedger): Promise<Look> {
  // As the next start opens it: on SQLite the start-up checks pass.
  const l = await reopenCrashed(ledger, IMPORT_KILL_CHILD_APP);
  return { rows: l.rows, verify: l.store === 'sqlite' ? async () => l.sqlite.verify() : () => verifyPg(l.pool), close: l.close };
}

/** Each of the run's import documents (one without movements too: it is not whole), in the order they were made. */
async function perDocument(l: Look, runId: string): Promise<{ k: string; id: number; n: number; qty: number }[]> {
  const rows = await l.rows<{ k: string; id: number; n: number; qty: number | null }>(
    `SELECT d.idempotency_key AS k, d.id, COUNT(m.seq) AS n, SUM(m.qty) AS qty FROM documents d LEFT JOIN movements m ON m.document_id = d.id
     WHERE d.idempotency_key LIKE ? GROUP BY d.id, d.idempotency_key ORDER BY d.id`,
    [`crash-import-${runId}:%`],
  );
  return rows.map((d) => ({ k: d.k, id: Number(d.id), n: Number(d.n), qty: Number(d.qty ?? 0) }));
}

/** What the run's import left: its documents, its movements, their total quantity, and the files recorded as imported. */
async function left(l: Look, runId: string): Promise<{ docs: number; movements: number; qty: number; files: number }> {
  const docs = await perDocument(l, runId);
  const files = await l.rows<{ n: number }>('SELECT COUNT(*) AS n FROM import_files');
  return { docs: docs.length, movements: docs.reduce((s, d) => s + d.n, 0), qty: docs.reduce((s, d) => s + d.qty, 0), files: Number(files[0]!.n) };
}

/** A count (`?` placeholders). */
const count = async (l: Look, sql: string, params: unknown[] = []) => Number((await l.rows<{ n: number }>(sql, params))[0]!.n);

/** The writer started again: the import operation, and how each of its jobs ended. */
interface Restarted {
  /** The jobs the start ran by itself (SQLite: the full check, and the roll-forward of an import left posting). */
  atStart: JobFinished[];
  importStart(input: ReturnType<typeof crashImportInput>, caller: Caller): Promise<unknown>;
  finished(jobId: string): Promise<JobFinished>;
  close(): Promise<void>;
}

/**
 * Starts the writer again. SQLite: the ledger worker as the app starts it (the composition root asks for the full check
 * once it is up), waiting for the full check and, when `resumes`, the roll-forward of the import left posting.
 * PostgreSQL: a server's operations on the database, once it has ended the killed session.
 */
async function restart(ledger: CrashLedger, resumes: boolean): Promise<Restarted> {
  const jobs: JobFinished[] = [];
  const emit = (event: string, payload: unknown) => void (event === 'job.finished' && jobs.push(payload as JobFinished));
  const finished = async (jobId: string): Promise<JobFinished> => {
    for (;;) {
      const f = jobs.find((j) => j.jobId === jobId);
      if (f) return f;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  if (ledger.store === 'sqlite') {
    const worker = await startLedgerWorker(ledger.path, emit);
    worker.ops.safetyStartFullCheck();
    for (;;) {
      if (jobs.some((f) => f.kind === 'ledger-check') && (!resumes || jobs.some((f) => f.kind === 'import'))) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { atStart: [...jobs], importStart: async (input, caller) => worker.ops['operations.importStart'](input, caller), finished, close: () => worker.close() };
  }
  const pool = openPool(ledger.connection, 2);
  await sessionGone(pool, IMPORT_KILL_CHILD_APP);
  const ops = allPgOps(createPgWorkerContext(pool, ledger.connection, emit));
  return { atStart: [], importStart: (input, caller) => ops['operations.importStart'](input, caller), finished, close: () => pool.end() };
}

/** The file's quantity per product and site (row i is CRASH-(i % 20) at BAR for odd i, else WH1, quantity 1 + (i % 9)), by SKU and site code. */
function fileLevels(): { sku: string; site: string; qty: number }[] {
  const qty = new Map<string, number>();
  for (let i = 0; i < ROWS; i++) {
    const key = `CRASH-${String(i % 20).padStart(2, '0')} ${i % 2 ? 'BAR' : 'WH1'}`;
    qty.set(key, (qty.get(key) ?? 0) + 1 + (i % 9));
  }
  return [...qty].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, q]) => ({ sku: key.split(' ')[0]!, site: key.split(' ')[1]!, qty: q }));
}

/** The quantity per product and site of `table` (stock_levels or movements), by SKU and site code. */
async function sumsOf(l: Look, table: 'stock_levels' | 'movements'): Promise<{ sku: string; site: string; qty: number }[]> {
  const rows = await l.rows<{ sku: string; site: string; qty: number }>(
    `SELECT p.sku, s.code AS site, SUM(x.qty) AS qty FROM ${table} x JOIN products p ON p.id = x.product_id JOIN sites s ON s.id = x.site_id
     GROUP BY p.sku, s.code ORDER BY p.sku, s.code`,
  );
  return rows.map((r) => ({ sku: r.sku, site: r.site, qty: Number(r.qty) }));
}

describe(`SIGKILL while importing 100,000 rows (${STORE_UNDER_TEST})`, () => {
  it(`${RUNS} kills at random points: nothing half-written, verify holds, and after the restart and the user's retry every row is posted exactly once, never twice`, async () => {
    const fileQty = crashImportQty(ROWS);
    const whole = { docs: DOCS, movements: ROWS, qty: fileQty, files: 1 };
    /** The rows each kill left posted. */
    const partials: number[] = [];
    /** PostgreSQL: how each kill ended. */
    const outcomes = { absent: 0, whole: 0, killedWhilePosting: 0, rolledBack: 0 };
    /** Each run's seconds: seeding and the import until the kill, the look after it and the restart (SQLite: with the roll-forward and the full check), the retries, the final checks, dropping the ledger. */
    const seconds: string[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const t0 = performance.now();
      const split: number[] = [];
      const lap = () => split.push((performance.now() - t0) / 1000 - split.reduce((a, b) => a + b, 0));
      const seed = await seedCrashLedger(cluster(), join(dir, `import-${run}.db`), `import_kill_${run}`);
      const plan: ImportKillPlan = { ...seed, runId: `r${run}`, rows: ROWS };
      const caller: Caller = { userId: seed.userId, username: 'admin', permissions: [] };
      // The first run is killed while the file is being checked; the others at a random instant within 200 ms of the
      // first movements going to the store (SQLite: a chunk committed; PostgreSQL: inside the one transaction).
      const { lines, killed } =
        run === 1 ? await runAndKill([CHILD, JSON.stringify(plan)], Math.floor(Math.random() * 300), 'CHECKING') : await runAndKill([CHILD, JSON.stringify(plan)], Math.floor(Math.random() * 200), 'POSTING');
      expect(lines.some((l) => l.startsWith('FAILED')), lines.join('\n')).toBe(false);
      // SQLite's chunked import of ROWS always outlasts the 200 ms; PostgreSQL's one transaction may commit first, as the
      // old PostgreSQL twin allowed: then the file is whole, which the checks below hold it to.
      expect(killed || (STORE_UNDER_TEST === 'postgres' && lines.includes('IMPORTED')), lines.join('\n')).toBe(true);
      const killedWhilePosting = lines.includes('POSTING') && !lines.includes('IMPORTED');
      if (killedWhilePosting) outcomes.killedWhilePosting++;
      lap();

      // As the kill left it: whole documents only, verify holds, and the file recorded as imported only when whole.
      const after = await look(seed.ledger);
      let resumes = false;
      let wasWhole = false;
      try {
        expect((await after.verify()).checks.filter((c) => !c.ok)).toEqual([]);
        for (const d of await perDocument(after, plan.runId)) expect(d.n, d.k).toBe(IMPORT_CHUNK_LINES);
        const state = await left(after, plan.runId);
        partials.push(state.movements);
        if (state.movements < ROWS) expect(state.files, `run ${run}`).toBe(0);
        if (state.movements === 0) expect(state, `run ${run}`).toMatchObject({ docs: 0, files: 0 });
        // PostgreSQL: wholly there or wholly absent, never part of the file. SQLite: a file posted to its last chunk is recorded.
        else if (STORE_UNDER_TEST === 'postgres' || state.movements === ROWS) expect(state, `run ${run}`).toEqual(whole);
        if (lines.includes('IMPORTED')) expect(state.movements).toBe(ROWS);
        wasWhole = state.movements === ROWS;
        if (STORE_UNDER_TEST === 'sqlite') {
          // Part-posted (in whole chunk documents) exactly when the import is left posting, for the next start to finish.
          const status = await after.rows<{ status: string }>('SELECT status FROM import_postings WHERE idempotency_key = ?', [`crash-import-${plan.runId}`]);
          resumes = status[0]?.status === 'posting';
          expect(resumes, `run ${run}: ${JSON.stringify(status)} with ${state.movements} rows posted`).toBe(state.movements > 0 && state.movements < ROWS);
        } else {
          outcomes[state.movements === 0 ? 'absent' : 'whole']++;
          if (killedWhilePosting && state.movements === 0) outcomes.rolledBack++;
        }
      } finally {
        await after.close();
      }

      // Started again; SQLite finishes a part-posted import by itself (roll forward), then the user retries under the same key.
      const again = await restart(seed.ledger, resumes);
      lap();
      try {
        if (STORE_UNDER_TEST === 'sqlite') {
          expect(again.atStart.find((f) => f.kind === 'ledger-check'), JSON.stringify(again.atStart)).toMatchObject({ ok: true });
          if (resumes) {
            expect(again.atStart.find((f) => f.kind === 'import'), JSON.stringify(again.atStart)).toMatchObject({
              ok: true,
              message: expect.stringMatching(new RegExp(`^Finished the import of crash-r\\d+\\.csv that was interrupted: 100,000 rows in ${DOCS.toLocaleString('en-GB')} documents`)),
            });
            wasWhole = true;
          }
        }
        const input = crashImportInput(plan);
        await again.importStart(input, caller);
        expect(await again.finished(input.jobId)).toMatchObject({ ok: true, message: wasWhole ? REPLAYED : expect.stringMatching(IMPORTED) });
        // The same file again: under the same key it replays; under another key it is refused. Never posted twice.
        const replay = { ...input, jobId: `${input.jobId}-again` };
        await again.importStart(replay, caller);
        expect(await again.finished(replay.jobId)).toMatchObject({ ok: true, message: REPLAYED });
        const other = { ...input, jobId: `${input.jobId}-other`, idempotencyKey: `${input.idempotencyKey}-other` };
        await expect(again.importStart(other, caller)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/^This file was already imported /) });
      } finally {
        await again.close();
      }

      lap();
      // Every row of the file exactly once.
      const end = await look(seed.ledger);
      try {
        const report = await end.verify();
        expect(report.checks.filter((c) => !c.ok)).toEqual([]);
        expect(report.ok).toBe(true);
        expect(await left(end, plan.runId)).toEqual(whole);
        const docs = await perDocument(end, plan.runId);
        expect(docs.map((d) => d.k)).toEqual(Array.from({ length: DOCS }, (_, i) => `crash-import-${plan.runId}:${i + 1}`));
        expect(docs.every((d) => d.n === IMPORT_CHUNK_LINES)).toBe(true);
        expect(docs.reduce((s, d) => s + d.qty, 0)).toBe(fileQty);
        expect(await count(end, 'SELECT COUNT(*) AS n FROM movements')).toBe(ROWS);
        const files = await end.rows<{ rows: number; ids: string }>('SELECT row_count AS rows, document_ids AS ids FROM import_files');
        expect(files.map((f) => ({ rows: Number(f.rows), docs: (JSON.parse(f.ids) as number[]).length }))).toEqual([{ rows: ROWS, docs: DOCS }]);
        expect(JSON.parse(files[0]!.ids)).toEqual(docs.map((d) => d.id));
        expect(await count(end, 'SELECT COUNT(*) AS n FROM operation_requests WHERE idempotency_key = ?', [`crash-import-${plan.runId}`])).toBe(1);
        expect(await count(end, 'SELECT COUNT(*) AS n FROM operation_requests WHERE idempotency_key = ?', [`crash-import-${plan.runId}-other`])).toBe(0);
        // Every stock level is the sum of its movements, and that is the file's quantity there.
        const moved = await sumsOf(end, 'movements');
        expect(await sumsOf(end, 'stock_levels')).toEqual(moved);
        expect(moved).toEqual(fileLevels());
        if (STORE_UNDER_TEST === 'sqlite') {
          expect(await count(end, "SELECT COUNT(*) AS n FROM import_postings WHERE status <> 'posted'")).toBe(0);
          expect(await count(end, 'SELECT COUNT(*) AS n FROM import_posting_chunks')).toBe(0);
        }
      } finally {
        await end.close();
      }
      lap();
      if (seed.ledger.store === 'sqlite') for (const suffix of ['', '-wal', '-shm']) rmSync(`${seed.ledger.path}${suffix}`, { force: true });
      else cluster()!.dropDatabase(seed.ledger.connection.database);
      lap();
      seconds.push(split.map((x) => x.toFixed(1)).join('+'));
    }
    if (STORE_UNDER_TEST === 'sqlite') {
      console.log(`chunked import (sqlite): ${RUNS} SIGKILLs with ${partials.map((p) => p.toLocaleString('en-GB')).join(', ')} of 100,000 rows posted; each part-posted one finished at the next start, every row once; seconds per run (seed+import to the kill + look+restart + retries + final checks + dropping the ledger): ${seconds.join(', ')}`);
      // A kill landed part-way (not before the first chunk or after the last).
      expect(partials.some((p) => p > 0 && p < ROWS)).toBe(true);
    } else {
      console.log(`one-transaction import (postgres): ${RUNS} runs (${outcomes.killedWhilePosting} killed while posting, ${outcomes.rolledBack} of them rolled back whole); the file wholly there after ${outcomes.whole}, wholly absent after ${outcomes.absent}; each retry posted it once; seconds per run (seed+import to the kill + look+restart + retries + final checks + dropping the ledger): ${seconds.join(', ')}`);
      // At least one kill landed inside the posting transaction and PostgreSQL rolled it back whole.
      expect(outcomes.rolledBack, JSON.stringify(outcomes)).toBeGreaterThan(0);
    }
  }, 900_000);
});
