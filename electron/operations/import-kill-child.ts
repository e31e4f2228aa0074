/**
 * The process import-kill.crash.ts kills: one Stockbook writer importing the crash tests' 100,000-row file
 * (safety/crash-documents.ts crashImportCsv) through the operations' import job, on the store of its ledger (a SQLite file,
 * or a PostgreSQL database; safety/crash-ledger.ts). It prints "READY" once it is set up, "CHECKING" when the job starts
 * checking the file, "POSTING" when the first movements go to the store, and "IMPORTED" (or "FAILED <message>") when
 * the job ends. SQLite posts the file in chunks: "POSTING" is its first report of chunks posting (a chunk is then
 * committed). PostgreSQL posts it in one transaction: "POSTING" is the statement sending its first movements (the job's
 * progress is throttled, so it can come later), and the child connects as application_name stockbook-import-kill-child,
 * so the test can wait for PostgreSQL to end its session.
 * Run: node --import tsx import-kill-child.ts '<json of ImportKillPlan>'
 */
import { writeSync } from 'node:fs';
import { GroupCommit } from '../ledger/group-commit';
import { createPgWorkerContext } from '../ledger/pg/pg-worker-context';
import { allPgOps } from '../ledger/pg/pg-worker-ops';
import { openPool } from '../ledger/pg/pg-types';
import { APPEND_MOVEMENTS_START } from '../ledger/pg/store/pg-ledger-store';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { createWorkerContext } from '../ledger/worker-context';
import { crashImportCsv } from '../safety/crash-documents';
import type { SeededCrashLedger } from '../safety/crash-ledger';
import { operationsOps } from './operations.ops';

/** The ledger the child imports into (crash-ledger.ts) and the run its import belongs to. */
export interface ImportKillPlan extends SeededCrashLedger {
  runId: string;
  rows: number;
}

export const IMPORT_KILL_CHILD_APP = 'stockbook-import-kill-child';

/** The import the child starts (and the test retries under the same key): one file, one key per run. */
export const crashImportInput = (plan: Pick<ImportKillPlan, 'runId' | 'rows'>) => ({
  jobId: `import-${plan.runId}`,
  idempotencyKey: `crash-import-${plan.runId}`,
  kind: 'inventory_import' as const,
  csv: crashImportCsv(plan.rows),
  fileName: `crash-${plan.runId}.csv`,
  confirmDuplicate: false,
});

const say = (line: string) => writeSync(1, `${line}\n`);

/** Says CHECKING, POSTING (SQLite: from the job's progress) and how the job ended, then ends the process once `close` has run. */
function reporter(postingFromProgress: boolean, close: () => Promise<void>) {
  let checking = false;
  let posting = false;
  return (event: string, payload: unknown) => {
    if (event === 'job.progress') {
      const phase = (payload as { phase: string }).phase;
      if (!checking && phase === 'checking') {
        checking = true;
        say('CHECKING');
      }
      // SQLite's chunks being posted (throttled): the first report comes once a chunk is committed.
      if (postingFromProgress && !posting && phase.startsWith('posting (')) {
        posting = true;
        say('POSTING');
      }
    }
    if (event === 'job.finished') {
      const p = payload as { ok: boolean; message: string };
      say(p.ok ? 'IMPORTED' : `FAILED ${p.message}`);
      void close().then(() => process.exit(0));
    }
  };
}

async function main(): Promise<void> {
  const plan = JSON.parse(process.argv[2]!) as ImportKillPlan;
  const input = crashImportInput(plan);
  const caller = { userId: plan.userId, username: 'admin', permissions: [] };
  if (plan.ledger.store === 'sqlite') {
    const { path } = plan.ledger;
    const ledger = await SqliteLedger.open(path);
    const ctx = createWorkerContext(ledger, reporter(true, () => ledger.close()));
    // As the ledger worker does: the import's chunks share the group commit's sync (killed here, what was synced stays).
    ctx.jobs.joinGroup(new GroupCommit<never>(ledger.db, `${path}-wal`, () => {}));
    say('READY');
    operationsOps(ctx)['operations.importStart'](input, caller);
    return;
  }
  const { connection } = plan.ledger;
  process.env.PGAPPNAME = IMPORT_KILL_CHILD_APP;
  const pool = openPool(connection, 2);
  // "POSTING" as the import's transaction sends its first movements: a kill from then on lands inside the
  // transaction, until its COMMIT.
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
  const ops = allPgOps(createPgWorkerContext(pool, connection, reporter(false, () => pool.end())));
  // READY once a session is open (connected and authenticated): the import's statements are the stores' own.
  (await pool.connect()).release();
  say('READY');
  await ops['operations.importStart'](input, caller);
}

if (process.argv[1]?.endsWith('import-kill-child.ts')) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
