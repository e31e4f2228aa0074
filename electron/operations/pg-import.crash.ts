import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { JobFinished } from '../../shared/domain';
import { clusterForFile } from '../../test/fixtures/both-ledgers';
import { crashImportQty } from '../safety/crash-documents';
import { runAndKill } from '../safety/crash-kill';
import { migratePg } from '../ledger/pg/pg-data-source';
import { createPgWorkerContext } from '../ledger/pg/pg-worker-context';
import { allPgOps } from '../ledger/pg/pg-worker-ops';
import { openPool, type PgConnection } from '../ledger/pg/pg-types';
import { PgReferenceStore } from '../ledger/pg/store/pg-reference-store';
import { verifyPg } from '../ledger/pg/store/pg-verify-store';
import { IMPORT_CHUNK_LINES } from './import-chunks';
import { crashImportInput, IMPORT_CRASH_CHILD_APP, type PgImportCrashPlan } from './pg-import-crash-child';

/**
 * A stock import killed on PostgreSQL (npm run test:crash; SQLite's twin is crash.sqlite.crash.ts and import-resume.crash.ts):
 * a Stockbook server imports a 100,000-row file and is killed with SIGKILL at a random instant, before or while it
 * posts (the documents go in one transaction). Once PostgreSQL has ended the killed session: verify holds, and the file
 * is wholly there (every row, recorded as imported once) or wholly absent, never part of it. The user then starts the
 * same import again (same key): it is posted once, or answered as already done, never twice.
 */
const CHILD = fileURLToPath(new URL('./pg-import-crash-child.ts', import.meta.url));
const RUNS = Number(process.env.STOCKBOOK_PG_IMPORT_CRASH_RUNS ?? 4);
const ROWS = 100_000;
const DOCS = ROWS / IMPORT_CHUNK_LINES;

const cluster = clusterForFile();

/** A fresh, migrated ledger with the crash tests' sites (WH1, BAR) and products CRASH-00..CRASH-19, and its admin. */
async function seeded(run: number): Promise<{ connection: PgConnection; admin: number }> {
  const connection = cluster().createDatabase(`import_crash_${process.pid}_${run}`);
  await migratePg(connection);
  const pool = openPool(connection, 1);
  const refs = new PgReferenceStore(pool);
  await refs.addSite({ code: 'WH1', name: 'Warehouse' });
  await refs.addSite({ code: 'BAR', name: 'Bar' });
  for (let i = 0; i < 20; i++) await refs.addProduct({ sku: `CRASH-${String(i).padStart(2, '0')}`, name: `Crash product ${i}` });
  const admin = (await refs.userId('admin'))!;
  await pool.end();
  return { connection, admin };
}

/**
 * What the run's import left: its documents (each counted whether or not it has movements: a document left without its
 * movements is not 'wholly absent'), its movements, their total quantity, and the file's import records.
 */
async function left(pool: ReturnType<typeof openPool>, runId: string) {
  const r = await pool.query<{ docs: number; movements: number; qty: number | null }>(
    `SELECT COUNT(DISTINCT d.id) AS docs, COUNT(m.seq) AS movements, SUM(m.qty) AS qty
     FROM documents d LEFT JOIN movements m ON m.document_id = d.id WHERE d.idempotency_key LIKE $1`,
    [`crash-import-${runId}:%`],
  );
  const files = await pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM import_files');
  return { ...r.rows[0]!, files: files.rows[0]!.n };
}

/** Waits until PostgreSQL has ended the killed server's session: its transaction is then committed or rolled back. */
async function sessionGone(pool: ReturnType<typeof openPool>): Promise<void> {
  for (;;) {
    const r = await pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM pg_stat_activity WHERE application_name = $1', [IMPORT_CRASH_CHILD_APP]);
    if (r.rows[0]!.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('SIGKILL of a server importing 100,000 rows into PostgreSQL', () => {
  it(`${RUNS} kills: the file wholly there or wholly absent, verify holds, and the user's retry posts it exactly once`, async () => {
    const outcomes = { absent: 0, whole: 0, killedWhilePosting: 0, rolledBack: 0 };
    for (let run = 1; run <= RUNS; run++) {
      const { connection, admin } = await seeded(run);
      const plan: PgImportCrashPlan = { connection, runId: `p${run}`, userId: admin, rows: ROWS };
      // The first run is killed while the file is being checked; the others at a random instant within 200 ms of the
      // transaction sending its first movements (100,000 of them: the kill lands inside it, before its COMMIT).
      const { lines, killed } = run === 1 ? await runAndKill([CHILD, JSON.stringify(plan)], 300) : await runAndKill([CHILD, JSON.stringify(plan)], Math.floor(Math.random() * 200), 'POSTING');
      expect(lines.some((l) => l.startsWith('FAILED')), lines.join('\n')).toBe(false);
      const killedWhilePosting = killed && lines.includes('POSTING') && !lines.includes('IMPORTED');
      if (killedWhilePosting) outcomes.killedWhilePosting++;

      const pool = openPool(connection, 2);
      try {
        await sessionGone(pool);
        expect((await verifyPg(pool)).checks.filter((c) => !c.ok)).toEqual([]);
        const after = await left(pool, plan.runId);
        // Wholly there or wholly absent: never part of the file.
        if (after.movements === 0) expect(after, `run ${run}`).toMatchObject({ docs: 0, files: 0 });
        else expect(after, `run ${run}`).toEqual({ docs: DOCS, movements: ROWS, qty: crashImportQty(ROWS), files: 1 });
        if (lines.includes('IMPORTED')) expect(after.movements).toBe(ROWS);
        outcomes[after.movements === 0 ? 'absent' : 'whole']++;
        if (killedWhilePosting && after.movements === 0) outcomes.rolledBack++;

        // The user starts the same import again, under the same key.
        const finished: JobFinished[] = [];
        let done!: () => void;
        const ended = new Promise<void>((resolve) => (done = resolve));
        const ops = allPgOps(
          createPgWorkerContext(pool, connection, (event, payload) => {
            if (event !== 'job.finished') return;
            finished.push(payload as JobFinished);
            done();
          }),
        );
        await ops['operations.importStart'](crashImportInput(plan), { userId: admin, username: 'admin', permissions: [] });
        await ended;
        expect(finished[0], JSON.stringify(finished)).toMatchObject({ ok: true });
        expect(await left(pool, plan.runId)).toEqual({ docs: DOCS, movements: ROWS, qty: crashImportQty(ROWS), files: 1 });
        expect((await verifyPg(pool)).ok).toBe(true);
      } finally {
        await pool.end();
      }
    }
    console.log(`PostgreSQL import: ${RUNS} runs (${outcomes.killedWhilePosting} killed while posting, ${outcomes.rolledBack} of them rolled back whole); the file wholly there after ${outcomes.whole}, wholly absent after ${outcomes.absent}; each retry posted it once`);
    // At least one kill landed inside the posting transaction and PostgreSQL rolled it back whole.
    expect(outcomes.rolledBack, JSON.stringify(outcomes)).toBeGreaterThan(0);
  }, 900_000);
});
