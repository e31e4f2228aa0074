import type pg from 'pg';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import { PgMovementQuery } from '../../electron/enquiry/pg/pg-movement-query';
import { PgMovementStore } from '../../electron/enquiry/pg/pg-movement-store';
import { migratePg } from '../../electron/ledger/pg/pg-data-source';
import { openPool } from '../../electron/ledger/pg/pg-types';
import { createPgWorkerContext } from '../../electron/ledger/pg/pg-worker-context';
import { allPgOps } from '../../electron/ledger/pg/pg-worker-ops';
import { startTestCluster, type TestCluster } from '../../electron/ledger/pg/test-cluster';
import { fmt, type BenchOptions } from './bench-options';
import { demoLedger } from './demo-ledger';
import { enquiryCombinations, measurePages, reportPages } from './enquiry-pages.bench';
import { copyLedgerToPg, earlierYears, widenedFilter } from './pg-copy-ledger';

const PAGE = 200;

/**
 * `npm run bench -- --store postgres --only enquiry-pages --only pg-enquiry-pages`: the movement enquiry's first page on
 * PostgreSQL over the very ledger the SQLite enquiry-pages section reads (the run's demo ledger, shared, COPYed into a
 * throw-away cluster with the same ids), for the same filter combinations (enquiryCombinations), column shown and
 * hidden, round-robin, against the same run's raw ceiling (the newest 200 movements by the (occurred_at, seq) index,
 * nothing joined). Each page goes through the server's own operation (`enquiry.movements` of PgLedgerOps: the
 * business time zone read, the search resolved, the page, the balances), as `stockbook serve --store postgres` answers it.
 * STOCKBOOK_BENCH_PG_YEARS=n: PostgreSQL's ledger is the demo's year and n - 1 earlier copies of it (pg-copy-ledger.ts
 * EarlierYears), n times the movements without generating a demo that large (5,000,000 from a 1,000,000 demo: minutes,
 * not the hour the demo takes); the combinations are the demo's, its document and batch ids as the copy numbers them.
 * STOCKBOOK_BENCH_PG_KEEP=folder (a developer's switch, for iterating): the cluster is kept in that folder, and a later
 * run with the same folder reads the ledger already copied there (the same demo and YEARS) instead of copying it again.
 */
export async function pgEnquiryPages({ dir, movements, quick }: BenchOptions): Promise<void> {
  const ledger = await demoLedger(dir, movements);
  const cluster = await startTestCluster(process.env.STOCKBOOK_BENCH_PG_KEEP);
  try {
    const years = earlierYears(ledger.db, Number(process.env.STOCKBOOK_BENCH_PG_YEARS ?? 1));
    const total = years.seqStep * years.count;
    const widened = years.count > 1 ? `, and ${years.count - 1} earlier copies of its year` : '';
    console.log(`\n## PostgreSQL: movement enquiry first page over ${fmt(total)} movements, every filter/search combination (the SQLite section's ledger${widened} and combinations)`);
    const database = `enquiry_${years.count}`;
    const kept = cluster.reused && (await keptDatabase(cluster, database));
    const connection = kept ? { host: cluster.host, port: cluster.port, user: cluster.user, database } : cluster.createDatabase(database);
    await migratePg(connection);
    const pool = openPool(connection, 2);
    const sent = countStatements(pool);
    try {
      if (kept) {
        console.log(`ledger kept from an earlier run in ${cluster.dir} (STOCKBOOK_BENCH_PG_KEEP; pending migrations applied)`);
      } else {
        const t0 = performance.now();
        const copied = await copyLedgerToPg(ledger.db, pool, cluster.dir, undefined, years.count > 1 ? years : null);
        console.log(`ledger COPYed from SQLite in ${((performance.now() - t0) / 1000).toFixed(1)} s (indexes built afterwards, then VACUUM ANALYZE): ${Object.entries(copied).map(([t, n]) => `${t} ${fmt(n)}`).join(', ')}`);
      }
      const combos = enquiryCombinations(ledger.db).map(([name, f]): [string, MovementFilter] => [name, widenedFilter(years, f)]);
      const ops = allPgOps(createPgWorkerContext(pool, connection, () => undefined));
      // Each combination's plan, as PostgreSQL chooses it for the page's key scan (its scan of movements).
      const store = new PgMovementStore(pool);
      const plans = await Promise.all(combos.map(async ([, filter]) => scanOf(await (await PgMovementQuery.open(store, filter)).explain('desc', PAGE))));
      const page = async (filter: MovementFilter, balanceOnDate: boolean, c: number) => {
        const p = await ops['enquiry.movements']({ filter, order: 'desc', limit: PAGE, balanceOnDate });
        return { rows: p.rows.length, plan: plans[c]! };
      };
      await reportRoundTrips(combos, page, sent);
      const rounds = quick ? 10 : Number(process.env.STOCKBOOK_BENCH_ROUNDS ?? 100);
      const raw = () => pool.query('SELECT * FROM movements ORDER BY occurred_at DESC, seq DESC LIMIT 200');
      const summary = await measurePages(combos, page, raw, rounds, 'all combinations p95 < 50 ms');
      reportPages('postgres', total, summary);
      // Why the slowest combination takes what it takes: its page statement run under EXPLAIN ANALYZE.
      const [name, filter] = combos[summary.slowest]!;
      const analysed = await (await PgMovementQuery.open(store, filter)).explain('desc', PAGE, true);
      console.log(`\nslowest combination by p95 (balance column shown): ${name}; its page statement under EXPLAIN (ANALYZE, BUFFERS):\n${analysed.join('\n')}`);
    } finally {
      await pool.end();
    }
  } finally {
    cluster.stop();
    await ledger.close();
  }
}

/** Counts the statements (each one round trip to the server) sent on the pool's connections, from now on. */
function countStatements(pool: pg.Pool): { n: number } {
  const sent = { n: 0 };
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      sent.n++;
      return query(...args);
    };
  });
  return sent;
}

/**
 * The round trips one first page makes (the statements it sends: each waits for the server's answer before the next is
 * sent), per combination, balance column shown and hidden, counted once before the timed rounds.
 */
async function reportRoundTrips(combos: [string, MovementFilter][], page: (f: MovementFilter, onDate: boolean, c: number) => Promise<unknown>, sent: { n: number }): Promise<void> {
  const counts: string[] = [];
  const all: number[] = [];
  for (const [c, [name, filter]] of combos.entries()) {
    const per: number[] = [];
    for (const onDate of [true, false]) {
      const before = sent.n;
      await page(filter, onDate, c);
      per.push(sent.n - before);
    }
    all.push(...per);
    counts.push(`${name} ${per.join('/')}`);
  }
  const mean = all.reduce((a, b) => a + b, 0) / all.length;
  console.log(`
round trips per first page (statements sent, balance shown/hidden): min ${Math.min(...all)}, max ${Math.max(...all)}, mean ${mean.toFixed(2)}; ${counts.join('; ')}`);
}

/** True when the kept cluster holds `database` (copied by an earlier run: its copy is the last step of its making). */
async function keptDatabase(cluster: TestCluster, database: string): Promise<boolean> {
  const pool = openPool({ host: cluster.host, port: cluster.port, user: cluster.user, database: 'postgres' }, 1);
  try {
    return (await pool.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount === 1;
  } finally {
    await pool.end();
  }
}

/** The plan's scans of movements (the page's key scans: every branch of a batch set alone's statement), without costs. */
function scanOf(plan: string[]): string {
  const scans = plan.filter((l) => /Scan/.test(l) && /movements m(_\d+)?\b/.test(l)).map((l) => l.trim().replace(/^->\s*/, '').replace(/\s+\(cost.*$/, ''));
  return scans.join(' + ') || 'empty';
}
