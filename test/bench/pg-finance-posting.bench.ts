import { join } from 'node:path';
import { PgLedgerStore } from '../../electron/ledger/pg/store/pg-ledger-store';
import { startTestCluster } from '../../electron/ledger/pg/test-cluster';
import { SqliteLedger } from '../../electron/ledger/store/sqlite-ledger';
import { runPosting } from '../../electron/posting/batch-runner';
import { PgPostingStore } from '../../electron/posting/pg-posting-store';
import { PostingStore } from '../../electron/posting/posting-store';
import { BuiltinLedgerTarget } from '../../electron/posting/targets/builtin-ledger';
import { PgBuiltinTarget } from '../../electron/posting/targets/pg-targets';
import { benchDocuments, seedWorld } from './bench-data';
import { fmt, type BenchOptions } from './bench-options';
import { openPgBenchLedger } from './pg-bench-world';

/**
 * `npm run bench -- --store postgres --only pg-finance-posting`: finance posting (detailed, built-in ledger, default
 * chunks) of the same N movements on PostgreSQL against SQLite's posting of the same ledger in the same run; CPU
 * seconds of this process beside wall time (PostgreSQL's server work is in the wall time only).
 */
export async function pgFinancePosting({ dir, movements: MOVEMENTS }: BenchOptions): Promise<void> {
  console.log(`\n## PostgreSQL: finance posting of ${fmt(MOVEMENTS)} movements against SQLite's posting of the same ledger (detailed, built-in ledger)`);
  const to = Date.UTC(2100, 0, 1);
  const timed = async (post: () => Promise<{ movementCount: number; lineCount: number; balanced: boolean }>) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await post();
    const cpu = process.cpuUsage(c0);
    return { r, secs: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
  };

  const ledger = await SqliteLedger.open(join(dir, 'pg-finance-posting.db'));
  const world = seedWorld(ledger);
  const admin = ledger.reference.userId('admin');
  const docs = [...benchDocuments(world, MOVEMENTS, 10, 'pgfp')];
  for (let i = 0; i < docs.length; i += 10_000) ledger.poster.postMany(docs.slice(i, i + 10_000), admin);
  const store = new PostingStore(ledger.db);
  const lite = await timed(() => runPosting(store, new BuiltinLedgerTarget(store), { to, summarised: false, userId: admin }));
  await ledger.close();
  console.log(`SQLite: ${fmt(lite.r.movementCount)} movements → ${fmt(lite.r.lineCount)} lines in ${lite.secs.toFixed(2)} s (${lite.cpu.toFixed(2)} CPU s) = ${fmt(lite.r.movementCount / lite.secs)} movements/s, balanced: ${lite.r.balanced ? 'yes' : 'NO'}`);

  const cluster = await startTestCluster();
  try {
    const { pool, world: pgWorld, admin: pgAdmin } = await openPgBenchLedger(cluster, 'finance', 2000, 4);
    try {
      const core = new PgLedgerStore(pool);
      const pgDocs = [...benchDocuments(pgWorld, MOVEMENTS, 10, 'pgfp')];
      for (let i = 0; i < pgDocs.length; i += 1_000) await core.postMany(pgDocs.slice(i, i + 1_000), pgAdmin);
      await pool.query('ANALYZE');
      const pgStore = new PgPostingStore(pool);
      const pgr = await timed(() => runPosting(pgStore, new PgBuiltinTarget(pgStore), { to, summarised: false, userId: pgAdmin }));
      console.log(`PostgreSQL: ${fmt(pgr.r.movementCount)} movements → ${fmt(pgr.r.lineCount)} lines in ${pgr.secs.toFixed(2)} s (${pgr.cpu.toFixed(2)} CPU s in this process) = ${fmt(pgr.r.movementCount / pgr.secs)} movements/s, balanced: ${pgr.r.balanced ? 'yes' : 'NO'}`);
      console.log(`same ledger: ${pgr.r.movementCount === lite.r.movementCount && pgr.r.lineCount === lite.r.lineCount ? 'yes' : 'NO'} (movements and lines equal)`);
      console.log(`RATIO PostgreSQL finance posting / SQLite finance posting (wall time, same run) = ${(pgr.secs / lite.secs).toFixed(2)}×`);
    } finally {
      await pool.end();
    }
  } finally {
    cluster.stop();
  }
}
