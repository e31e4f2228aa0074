/**
 * The process the PostgreSQL import crash test kills (pg-import.crash.ts): one Stockbook server importing the crash
 * test's 100,000-row file (safety/crash-documents.ts crashImportCsv) through the operations' import job, printing
 * "POSTING" when its transaction sends the first movements and "IMPORTED" (or "FAILED <message>") when it ends. It connects as
 * application_name stockbook-import-crash-child, so the test can wait for PostgreSQL to end its session.
 * Run: node --import tsx pg-import-crash-child.ts '<json of PgImportCrashPlan>'
 */
import { writeSync } from 'node:fs';
import { crashImportCsv } from '../safety/crash-documents';
import { createPgWorkerContext } from '../ledger/pg/pg-worker-context';
import { allPgOps } from '../ledger/pg/pg-worker-ops';
import { openPool, type PgConnection } from '../ledger/pg/pg-types';
import { APPEND_MOVEMENTS_START } from '../ledger/pg/store/pg-ledger-store';

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
  // "POSTING" as the import's transaction sends its first movements (the job's progress events are throttled, so they
  // can come later than that): a kill from then on lands inside the transaction, until its COMMIT.
  let posting = false;
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...a: unknown[]) => unknown;
    (client as { query: unknown }).query = (...a: unknown[]) => {
      const text = typeof a[0] === 'string' ? a[0] : (a[0] as { text?: string } | null)?.text;
      if (!posting && text?.startsWith(APPEND_MOVEMENTS_START)) {
        posting = true;
        say('POSTING');
      }
      return query(...a);
    };
  });
  const ctx = createPgWorkerContext(pool, plan.connection, (event, payload) => {
    if (event === 'job.finished') {
      const p = payload as { ok: boolean; message: string };
      say(p.ok ? 'IMPORTED' : `FAILED ${p.message}`);
      void pool.end().then(() => process.exit(0));
    }
  });
  const ops = allPgOps(ctx);
  // READY once a session is open (connected and authenticated): the import's statements are the stores' own.
  (await pool.connect()).release();
  say('READY');
  await ops['operations.importStart'](crashImportInput(plan), { userId: plan.userId, username: 'admin', permissions: [] });
}

if (process.argv[1]?.endsWith('pg-import-crash-child.ts')) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
