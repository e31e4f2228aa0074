/**
 * The process the PostgreSQL import crash test kills (pg-import.crash.ts): one Stockbook server importing the crash
 * test's 100,000-row file (safety/crash-documents.ts crashImportCsv) through the operations' import job, printing
 * "POSTING" when the job starts posting its documents and "IMPORTED" (or "FAILED <message>") when it ends. It connects as
 * application_name stockbook-import-crash-child, so the test can wait for PostgreSQL to end its session.
 * Run: node --import tsx pg-import-crash-child.ts '<json of PgImportCrashPlan>'
 */
import { writeSync } from 'node:fs';
import { crashImportCsv } from '../safety/crash-documents';
import { createPgWorkerContext } from '../ledger/pg/pg-worker-context';
import { allPgOps } from '../ledger/pg/pg-worker-ops';
import { openPool, type PgConnection } from '../ledger/pg/pg-types';

export interface PgImportCrashPlan {
  connection: PgConnection;
  runId: string;
  userId: number;
  rows: number;
}

export const IMPORT_CRASH_CHILD_APP = 'stockbook-import-crash-child';

/** The import the child starts (and the test retries under the same key): one file, one key per run. */
export const crashImportInput = (plan: Pick<PgImportCrashPlan, 'runId' | 'rows'>) => ({
  jobId: `import-${plan.runId}`,
  idempotencyKey: `crash-import-${plan.runId}`,
  kind: 'inventory_import' as const,
  csv: crashImportCsv(plan.rows),
  fileName: `crash-${plan.runId}.csv`,
  confirmDuplicate: false,
});

async function main(): Promise<void> {
  const plan = JSON.parse(process.argv[2]!) as PgImportCrashPlan;
  process.env.PGAPPNAME = IMPORT_CRASH_CHILD_APP;
  const say = (line: string) => writeSync(1, `${line}\n`);
  const pool = openPool(plan.connection, 2);
  let posting = false;
  const ctx = createPgWorkerContext(pool, plan.connection, (event, payload) => {
    if (event === 'job.progress' && !posting && (payload as { phase: string }).phase.startsWith('posting')) {
      posting = true;
      say('POSTING');
    }
    if (event === 'job.finished') {
      const p = payload as { ok: boolean; message: string };
      say(p.ok ? 'IMPORTED' : `FAILED ${p.message}`);
      void pool.end().then(() => process.exit(0));
    }
  });
  const ops = allPgOps(ctx);
  await pool.query('SELECT 1');
  say('READY');
  await ops['operations.importStart'](crashImportInput(plan), { userId: plan.userId, username: 'admin', permissions: [] });
}

if (process.argv[1]?.endsWith('pg-import-crash-child.ts')) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
