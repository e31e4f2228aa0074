import { execFileSync, execSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PgLedgerStore } from '../../electron/ledger/pg/store/pg-ledger-store';
import { startTestCluster } from '../../electron/ledger/pg/test-cluster';
import { connectTestClientTo, signInSpaced, type TestClient } from '../../electron/web/ws-test-client';
import { benchDocuments } from './bench-data';
import { fmt, pct, type BenchOptions } from './bench-options';
import { serveProcess } from '../fixtures/serve-process';
import { pacedLines, runPacedClients } from './paced-clients';
import { openPgBenchLedger } from './pg-bench-world';
import { reportFigure } from './side-by-side';

const CLI = fileURLToPath(new URL('../../bin/stockbook.mjs', import.meta.url));
const CLIENTS = 25;
const PASSWORD = 'bench-server-password';

/**
 * Issue 17, writers at the same layer as SQLite's `server-clients`: two `stockbook serve --store postgres` processes on
 * one PostgreSQL (durable: fsync and synchronous_commit on), the same 25 simulated desktops split between them (TLS,
 * loopback, through the contract), each posting a one-line receipt every 1–2 s into the same products and site and
 * reading an enquiry first page between posts. The first client listens on the first server: what it hears of posts
 * made through the second is the servers' shared live updates. Ceiling: a bare durable BEGIN + one-row INSERT + COMMIT
 * p99 on the same server, same run. The ledger holds `movements` movements of history (at most 200,000) first.
 */
export async function pgServerClientsBench(o: BenchOptions): Promise<void> {
  const seconds = o.quick ? 20 : 120;
  const history = Math.min(o.movements, 200_000);
  console.log(`\n## PostgreSQL: ${CLIENTS} clients through two Stockbook servers on one database (${seconds} s, ${fmt(history)} movements of history)`);
  const cluster = await startTestCluster(undefined, { durable: true });
  const children = new Set<ChildProcess>();
  const clients: TestClient[] = [];
  try {
    const { connection, pool, world, admin } = await openPgBenchLedger(cluster, 'bench_clients', 200);
    const url = `postgres://${connection.user}@${connection.host}:${connection.port}/${connection.database}`;
    try {
      const store = new PgLedgerStore(pool);
      const warm = [...benchDocuments(world, history, 10, 'warm')];
      for (let i = 0; i < warm.length; i += 1_000) await store.postMany(warm.slice(i, i + 1_000), admin);
      execFileSync(process.execPath, [CLI, 'users', 'add', 'bench', '--admin', '--database-url', url], { env: { ...process.env, STOCKBOOK_PASSWORD: PASSWORD }, stdio: 'pipe' });
      const ports = await Promise.all([0, 1].map((i) => {
        const dataDir = join(o.dir, `pg-server-${i}`);
        mkdirSync(dataDir, { recursive: true });
        return serveProcess(['--store', 'postgres', '--database-url', url, '--data-dir', dataDir, '--host', '127.0.0.1', '--port', '0'], children).then((s) => s.port);
      }));
      for (let k = 0; k < CLIENTS; k++) {
        const c = await connectTestClientTo(`wss://127.0.0.1:${ports[k % 2]}/ipc`, { rejectUnauthorized: false });
        await signInSpaced(c, 'bench', PASSWORD);
        clients.push(c);
      }
      const load = execSync('uptime').toString().trim();
      const r = await runPacedClients(clients, { seconds, site: world.sites[0]!, products: world.products, keyPrefix: 'pg-bench-client' });
      console.log(`two servers, ${CLIENTS} clients (TLS, loopback, alternating between the servers), ${seconds} s — load at start: ${load}`);
      for (const line of pacedLines(r, seconds)) console.log(line);
      console.log(`  load at end: ${execSync('uptime').toString().trim()}`);
      const bare: number[] = [];
      const c = await pool.connect();
      try {
        await c.query('CREATE TABLE ceiling (id serial PRIMARY KEY, at bigint NOT NULL)');
        for (let i = 0; i < 500; i++) {
          const t = performance.now();
          await c.query('BEGIN');
          await c.query('INSERT INTO ceiling (at) VALUES ($1)', [i]);
          await c.query('COMMIT');
          bare.push(performance.now() - t);
        }
      } finally {
        c.release();
      }
      bare.sort((a, b) => a - b);
      const p99 = pct(r.commits, 99);
      console.log(`  ceiling, same server, same run: a bare durable BEGIN + one-row INSERT + COMMIT: p50 ${pct(bare, 50).toFixed(1)} ms, p99 ${pct(bare, 99).toFixed(1)} ms — commit round trip p99 is ${(p99 / pct(bare, 99)).toFixed(1)}× that`);
      reportFigure('writers', 'postgres', {
        value: `${CLIENTS - 1} clients posting through two servers: ${(r.commits.length / seconds).toFixed(1)} posts/s (paced, 1 every 1–2 s each), commit round trip p99 ${p99.toFixed(1)} ms, ${r.errors} errors`,
        ratio: p99 / pct(bare, 99),
        ceiling: 'a bare durable one-row commit p99 on the same server',
      });
    } finally {
      await pool.end();
    }
  } finally {
    for (const c of clients) c.close();
    await Promise.all([...children].map((child) => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    })));
    cluster.stop();
  }
}
