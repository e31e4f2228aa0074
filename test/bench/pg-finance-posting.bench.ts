import { join } from 'node:path';
import type { JobFinished } from '../../shared/domain';
import { PgLedgerStore } from '../../electron/ledger/pg/store/pg-ledger-store';
import { createPgWorkerContext } from '../../electron/ledger/pg/pg-worker-context';
import { allPgOps } from '../../electron/ledger/pg/pg-worker-ops';
import { startTestCluster } from '../../electron/ledger/pg/test-cluster';
import { benchDocuments } from './bench-data';
import { fmt, type BenchOptions } from './bench-options';
import { openPgBenchLedger } from './pg-bench-world';
import { reportFigure } from './side-by-side';

/**
 * `npm run bench -- --store postgres --only pg-finance-posting`: finance posting of N movements (detailed, built-in
 * ledger) on PostgreSQL through the posting job a server runs (the posting.start operation of PgLedgerOps, confirmed by
 * posting.preview, until its job.finished), against PostgreSQL's own ceiling in the same run: the journal lines and
 * posting rows it wrote, COPYed into tables of the same shape and indexes in one transaction. The ledger is the SQLite
 * finance-posting section's (the same bench documents); CPU seconds of this process beside wall time (PostgreSQL's
 * server work is in the wall time only).
 */
export async function pgFinancePosting({ movements: MOVEMENTS }: BenchOptions): Promise<void> {
  console.log(`\n## PostgreSQL: finance posting of ${fmt(MOVEMENTS)} movements through the posting job (detailed, built-in ledger), against PostgreSQL's COPY of the same journal`);
  const cluster = await startTestCluster(undefined, { durable: true });
  try {
    const { connection, pool, world, admin } = await openPgBenchLedger(cluster, 'finance', 2000, 4);
    try {
      const core = new PgLedgerStore(pool);
      const docs = [...benchDocuments(world, MOVEMENTS, 10, 'fp')];
      const l0 = performance.now();
      for (let i = 0; i < docs.length; i += 1_000) await core.postMany(docs.slice(i, i + 1_000), admin);
      await pool.query('ANALYZE');
      console.log(`(ledger of ${fmt(MOVEMENTS)} movements posted in ${((performance.now() - l0) / 1000).toFixed(1)} s)`);

      let finished!: (f: JobFinished) => void;
      const done = new Promise<JobFinished>((resolve) => (finished = resolve));
      const ctx = createPgWorkerContext(pool, connection, (event, payload) => {
        if (event === 'job.finished') finished(payload as JobFinished);
      });
      const ops = allPgOps(ctx);
      const run = { to: '2100-01-01', target: 'builtin', summarised: false };
      const preview = await ops['posting.preview'](run);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await ops['posting.start']('bench-posting', { ...run, expectedMovements: preview.unposted }, admin);
      const outcome = await done;
      const secs = (performance.now() - t0) / 1000;
      const cpu = (({ user, system }) => (user + system) / 1e6)(process.cpuUsage(c0));
      const [batch] = await ops['posting.batches']();
      const report = await ops['posting.report']({ batchId: batch!.id });
      const rate = batch!.movementCount / secs;
      console.log(
        `posting job: ${outcome.ok ? outcome.message : `FAILED: ${outcome.message}`}; ${fmt(batch!.movementCount)} movements → ${fmt(batch!.entryCount)} entries, ${fmt(batch!.lineCount)} lines in ${secs.toFixed(2)} s (${cpu.toFixed(2)} CPU s in this process) = ${fmt(rate)} movements/s, balanced: ${report.balanced ? 'yes' : 'NO'}`,
      );

      // The ceiling: the very rows the job wrote, COPYed by the server from files into tables of the same shape and indexes.
      const files = { journal_lines: join(cluster.dir, 'journal_lines.csv'), movement_postings: join(cluster.dir, 'movement_postings.csv') };
      for (const [table, file] of Object.entries(files)) {
        await pool.query(`COPY ${table} TO '${file}' (FORMAT csv)`);
        await pool.query(`CREATE TABLE ceiling_${table} (LIKE ${table} INCLUDING DEFAULTS INCLUDING INDEXES)`);
      }
      const c = await pool.connect();
      let copySecs: number;
      try {
        const t1 = performance.now();
        await c.query('BEGIN');
        for (const [table, file] of Object.entries(files)) await c.query(`COPY ceiling_${table} FROM '${file}' (FORMAT csv)`);
        await c.query('COMMIT');
        copySecs = (performance.now() - t1) / 1000;
      } finally {
        c.release();
      }
      const copyRate = batch!.movementCount / copySecs;
      console.log(`PostgreSQL COPY of the same ${fmt(batch!.lineCount)} journal lines + ${fmt(batch!.movementCount)} posting rows (same table shapes and indexes, one transaction): ${copySecs.toFixed(2)} s = ${fmt(copyRate)} movements/s`);
      console.log(`RATIO PostgreSQL finance posting / COPY ceiling = ${(rate / copyRate).toFixed(3)}`);
      reportFigure('finance', 'postgres', {
        value: `${fmt(batch!.movementCount)} movements in ${secs.toFixed(2)} s = ${fmt(rate)} movements/s through the posting job${outcome.ok && report.balanced ? '' : ' (FAILED or unbalanced)'}`,
        ratio: rate / copyRate,
        ceiling: 'PostgreSQL COPY of the same journal lines and posting rows',
      });
    } finally {
      await pool.end();
    }
  } finally {
    cluster.stop();
  }
}
