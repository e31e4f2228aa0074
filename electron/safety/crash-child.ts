/**
 * The process the SQLite crash tests kill (SIGKILL at a random instant; posting is posting-kill-child.ts, and an import
 * killed then finished and retried is import-kill-child.ts, both on either store). `import` (crash.sqlite.crash.ts,
 * which kills it at a random instant 0-4 s after READY): imports 100,000 rows through the operations import job,
 * printing "POSTING <done>" while its chunks post and "IMPORTED" when done. `serve`: the composition root as browser
 * mode starts it (the ledger worker holding the writer lock), printing "READY" and waiting. `demo`: loads demo data
 * into the ledger in place, as the app's demo job does. `backup`: checked backups, one after another, forever.
 * Run: node --import tsx crash-child.ts <mode> <db> <runId>
 */
import { writeSync } from 'node:fs';
import { createWorkerContext } from '../ledger/worker-context';
import { UsersStore } from '../auth/users-store';
import { GroupCommit } from '../ledger/group-commit';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { operationsOps } from '../operations/operations.ops';
import { asUser } from '../../test/fixtures/caller';
import { crashImportCsv } from './crash-documents';

const [mode, dbPath, runId] = process.argv.slice(2) as ['import' | 'serve' | 'demo' | 'backup', string, string];
const say = (line: string) => writeSync(1, `${line}\n`);

if (mode === 'serve') {
  const { startStockbook } = await import('../app/compose');
  await startStockbook({ dbPath, mode: 'web' }).catch((e: unknown) => {
    say(`REFUSED ${e instanceof Error ? e.message : String(e)}`);
    process.exit(3);
  });
  say('READY');
  setInterval(() => undefined, 60_000);
  await new Promise(() => undefined);
}
if (mode === 'demo') {
  const { generateDemo } = await import('../demo/generate-demo');
  const demoLedger = await SqliteLedger.open(dbPath);
  say('READY');
  await generateDemo(demoLedger, { movements: Number(runId), onProgress: (p) => p.done > 0 && say(`P ${p.done}`) });
  say('DONE');
  await demoLedger.close();
  process.exit(0);
}
if (mode === 'backup') {
  const { runBackup } = await import('./backup-service');
  const backupLedger = await SqliteLedger.open(dbPath);
  say('READY');
  for (;;) {
    await runBackup(backupLedger, 'pre-posting', { offThread: true });
    say('B');
  }
}

// `import`: the crash tests' fixture (sites WH1 and BAR, products CRASH-00..CRASH-19) holds what the file names.
const ledger = await SqliteLedger.open(dbPath);
const admin = new UsersStore(ledger.db).get('admin').id;
{
  const ctx = createWorkerContext(ledger, (event, payload) => {
    // Chunks being posted (throttled), for the run's printout: crash.sqlite.crash.ts kills at a time after READY, not on
    // these (import-kill.crash.ts, which kills on the first chunk posted, has its own child).
    if (event === 'job.progress' && (payload as { phase: string }).phase.startsWith('posting (')) say(`POSTING ${(payload as { done: number }).done}`);
    if (event === 'job.finished') {
      const p = payload as { ok: boolean; message: string };
      say(p.ok ? 'IMPORTED' : `FAILED ${p.message}`);
      void ledger.close().then(() => process.exit(0));
    }
  });
  // As the ledger worker does: the import's chunks share the group commit's sync (killed here, what was synced stays).
  ctx.jobs.joinGroup(new GroupCommit<never>(ledger.db, `${dbPath}-wal`, () => {}));
  const ops = operationsOps(ctx);
  say('READY');
  ops['operations.importStart']({ jobId: `import-${runId}`, idempotencyKey: `crash-import-${runId}`, kind: 'inventory_import', csv: crashImportCsv(100_000), fileName: `crash-${runId}.csv` }, asUser(admin));
}
