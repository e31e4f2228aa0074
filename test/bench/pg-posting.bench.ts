import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PgLedgerStore } from '../../electron/ledger/pg/store/pg-ledger-store';
import { startTestCluster } from '../../electron/ledger/pg/test-cluster';
import { MOVEMENT_COLUMNS } from '../../electron/ledger/store/movement-hash';
import type { PostDocumentInput } from '../../shared/contract/schemas';
import { benchDocuments } from './bench-data';
import { fmt, type BenchOptions } from './bench-options';
import { openPgBenchLedger } from './pg-bench-world';
import { reportFigure } from './side-by-side';

/**
 * `npm run bench -- --store postgres`: bulk posting into the PostgreSQL ledger core against PostgreSQL's own COPY
 * ceiling (the very same rows COPYed from a CSV file into a table of the movements' shape and indexes), same run,
 * in a throw-away cluster with PostgreSQL's durable defaults (fsync, synchronous_commit, full_page_writes on), as
 * SQLite's commits are durable: both columns pay the same.
 */
export async function pgBulkPosting({ movements: MOVEMENTS }: BenchOptions): Promise<void> {
  console.log(`\n## PostgreSQL: bulk posting of ${fmt(MOVEMENTS)} movements (10-line documents, 10,000 movements per transaction)`);
  const cluster = await startTestCluster(undefined, { durable: true });
  try {
    const { pool, world, admin } = await openPgBenchLedger(cluster, 'bench');
    try {
      const store = new PgLedgerStore(pool);
      const docs: PostDocumentInput[] = [...benchDocuments(world, MOVEMENTS, 10, 'pg-bulk')];
      const chunk = 1_000;
      const t0 = performance.now();
      for (let i = 0; i < docs.length; i += chunk) await store.postMany(docs.slice(i, i + chunk), admin);
      const postSecs = (performance.now() - t0) / 1000;
      const postRate = MOVEMENTS / postSecs;
      console.log(`ledger posting on PostgreSQL (validation, chain lock, quant row locks, balances, stock levels, hash chain): ${postSecs.toFixed(2)} s = ${fmt(postRate)} movements/s`);

      // The ceiling: the same rows, COPYed by the server from a CSV file into an identical table (same indexes, no triggers or keys).
      const csv = join(cluster.dir, 'movements.csv');
      const rows = (await pool.query<Record<string, unknown>>(`SELECT ${MOVEMENT_COLUMNS.join(', ')} FROM movements ORDER BY seq`)).rows;
      writeFileSync(csv, rows.map((m) => MOVEMENT_COLUMNS.map((c) => (m[c] === null ? '' : `"${String(m[c]).replaceAll('"', '""')}"`)).join(',')).join('\n'));
      await pool.query('CREATE TABLE ceiling (LIKE movements INCLUDING DEFAULTS INCLUDING INDEXES)');
      const t1 = performance.now();
      await pool.query(`COPY ceiling (${MOVEMENT_COLUMNS.join(', ')}) FROM '${csv}' (FORMAT csv)`);
      const copySecs = (performance.now() - t1) / 1000;
      const copyRate = MOVEMENTS / copySecs;
      console.log(`PostgreSQL COPY of the same rows (same table shape and indexes): ${copySecs.toFixed(2)} s = ${fmt(copyRate)} rows/s`);
      console.log(`RATIO PostgreSQL bulk posting / COPY ceiling = ${(postRate / copyRate).toFixed(3)}`);
      reportFigure('bulk', 'postgres', { value: `${fmt(postRate)} movements/s over ${fmt(MOVEMENTS)}`, ratio: postRate / copyRate, ceiling: 'PostgreSQL COPY of the same rows' });
      const v0 = performance.now();
      const report = await store.verify();
      console.log(`verify on PostgreSQL of ${fmt(report.movements)} movements: ${((performance.now() - v0) / 1000).toFixed(2)} s, ${report.ok ? 'all invariants hold' : 'FAILED'}`);
    } finally {
      await pool.end();
    }
  } finally {
    cluster.stop();
  }
}
