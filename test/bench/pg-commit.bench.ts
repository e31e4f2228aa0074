import { PgLedgerStore } from '../../electron/ledger/pg/store/pg-ledger-store';
import { startTestCluster } from '../../electron/ledger/pg/test-cluster';
import { benchDocuments } from './bench-data';
import { fmt, pct, type BenchOptions } from './bench-options';
import { openPgBenchLedger } from './pg-bench-world';
import { reportFigure } from './side-by-side';

/**
 * `npm run bench -- --store postgres`: the commit latency of single small documents (1–2 lines) on PostgreSQL against
 * the ceiling of the same server in the same run: a bare transaction writing one row (BEGIN, INSERT, COMMIT) over the
 * same pool. The two alternate, one document then one bare transaction, so a change of load hits both columns alike.
 * Throw-away cluster with PostgreSQL's durable defaults (fsync, synchronous_commit and full_page_writes on): a commit
 * waits for its WAL to reach the disk, as a SQLite commit does, and both columns pay it.
 */
export async function pgCommitLatency({ commits }: BenchOptions): Promise<void> {
  const COMMITS = Math.min(commits, 2_000);
  console.log(`\n## PostgreSQL: single-document commit latency over ${fmt(COMMITS)} documents (1–2 lines), against a bare INSERT + COMMIT`);
  const cluster = await startTestCluster(undefined, { durable: true });
  try {
    const { pool, world, admin } = await openPgBenchLedger(cluster, 'bench_commit');
    try {
      const store = new PgLedgerStore(pool);
      // Some history first, so the indexes and the quants are realistic.
      const warm = [...benchDocuments(world, 100_000, 10, 'warm')];
      for (let i = 0; i < warm.length; i += 1_000) await store.postMany(warm.slice(i, i + 1_000), admin);
      await pool.query('CREATE TABLE ceiling (id serial PRIMARY KEY, at bigint NOT NULL, note text)');
      const docs = [...benchDocuments(world, COMMITS * 2, 2, 'commit', Date.UTC(2026, 5, 1))].slice(0, COMMITS);
      const posting: number[] = [];
      const bare: number[] = [];
      const c = await pool.connect();
      try {
        for (const [i, d] of docs.entries()) {
          let t = performance.now();
          await store.post(d, admin);
          posting.push(performance.now() - t);
          t = performance.now();
          await c.query('BEGIN');
          await c.query('INSERT INTO ceiling (at, note) VALUES ($1, $2)', [i, d.idempotencyKey]);
          await c.query('COMMIT');
          bare.push(performance.now() - t);
        }
      } finally {
        c.release();
      }
      posting.sort((a, b) => a - b);
      bare.sort((a, b) => a - b);
      const line = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(3)} ms, p99 ${pct(xs, 99).toFixed(3)} ms, max ${xs.at(-1)!.toFixed(3)} ms`;
      console.log(`ledger posting on PostgreSQL, one document per transaction: ${line(posting)}`);
      console.log(`bare BEGIN + one-row INSERT + COMMIT on the same server: ${line(bare)}`);
      console.log(`RATIO PostgreSQL commit p99 / bare INSERT+COMMIT p99 = ${(pct(posting, 99) / pct(bare, 99)).toFixed(2)} (p50 ${(pct(posting, 50) / pct(bare, 50)).toFixed(2)})`);
      reportFigure('commit', 'postgres', {
        value: `p99 ${pct(posting, 99).toFixed(2)} ms through the ledger store (durable: fsync and synchronous_commit on)`,
        ratio: pct(posting, 99) / pct(bare, 99),
        ceiling: 'a bare BEGIN + one-row INSERT + COMMIT p99 on the same server',
      });
    } finally {
      await pool.end();
    }
  } finally {
    cluster.stop();
  }
}
