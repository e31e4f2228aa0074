import { PgStockStore } from '../../electron/enquiry/pg/pg-stock-store';
import { migratePg } from '../../electron/ledger/pg/pg-data-source';
import { openPool } from '../../electron/ledger/pg/pg-types';
import { startTestCluster } from '../../electron/ledger/pg/test-cluster';
import { fmt, pct, type BenchOptions } from './bench-options';
import { END, makeLedger } from './pg-generated-ledger';

const DAY = 86_400_000;

/**
 * `npm run bench -- --store postgres --only enquiry --only pg-stock-at`: stock at a date for every product on
 * PostgreSQL (one statement, the movements effective up to the date summed; no snapshots) at the same ten dates the
 * SQLite enquiry section asks (36 days apart back from the newest movement), per product/site and per
 * product/site/bin/batch, against the same run's ceiling: one bare scan summing every movement's qty.
 */
export async function pgStockAt({ movements: n, quick }: BenchOptions): Promise<void> {
  console.log(`\n## PostgreSQL: stock at a date, all products, over ${fmt(n)} movements`);
  const cluster = await startTestCluster();
  try {
    const connection = cluster.createDatabase('stockat');
    await migratePg(connection);
    const pool = openPool(connection, 2);
    try {
      await makeLedger(pool, n);
      const store = new PgStockStore(pool);
      const rounds = quick ? 1 : 3;
      const raw: number[] = [];
      for (let i = 0; i < rounds * 3; i++) {
        const t = performance.now();
        await pool.query('SELECT SUM(qty) FROM movements');
        raw.push(performance.now() - t);
      }
      raw.sort((a, b) => a - b);
      const ceiling = pct(raw, 50);
      console.log(`ceiling (SELECT SUM(qty) FROM movements): p50 ${ceiling.toFixed(0)} ms`);
      const maxOcc = END;
      const dates = Array.from({ length: 10 }, (_, i) => maxOcc - (i * 36 + 5) * DAY - 3_600_000 * i);
      for (const level of ['site', 'batch'] as const) {
        const times: number[] = [];
        let lines = 0;
        for (let r = 0; r < rounds; r++) {
          for (const at of dates) {
            const t = performance.now();
            const res = await store.stockAt(at, { level });
            times.push(performance.now() - t);
            lines = Math.max(lines, res.rows.length);
          }
        }
        times.sort((a, b) => a - b);
        console.log(
          `stock at a date, per ${level === 'site' ? 'product/site' : 'product/site/bin/batch'}: p50 ${pct(times, 50).toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms (≤ ${fmt(lines)} lines; goal < 500 ms); RATIO p50 / ceiling = ${(pct(times, 50) / ceiling).toFixed(2)}`,
        );
      }
      const plan = await store.explainStockAt(dates[0]!, { level: 'batch' });
      console.log(`plan (newest date, per batch): ${plan.filter((l) => /Scan|Aggregate|Sort/.test(l)).map((l) => l.trim().replace(/\s+\(cost.*$/, '')).join(' | ')}`);
    } finally {
      await pool.end();
    }
  } finally {
    cluster.stop();
  }
}
