import { execSync } from 'node:child_process';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runUsersCommand } from '../../electron/auth/users-command';
import { startServer } from '../../electron/server/serve-command';
import { connectTestClientTo, signInSpaced, type TestClient } from '../../electron/web/ws-test-client';
import { fmt, pct, type BenchOptions } from './bench-options';
import { durableCommitCeiling } from './commit-ceiling';
import { reportFigure } from './side-by-side';
import { demoLedger } from './demo-ledger';
import { pacedLines, runPacedClients } from './paced-clients';
import { FULL_CHECK_KIND } from '../../electron/safety/worker-start';

const CLIENTS = 25;
const PASSWORD = 'bench-server-password';

/**
 * Issue 16: 25 simulated desktops against one `stockbook serve` (TLS, loopback only, bounded) on a demo ledger of
 * `movements` rows. Each posts a one-line receipt every 1–2 s and runs an enquiry first page between posts (every
 * other one with the balance-on-date column, which the default view shows). Reported: commit round trip p50/p99
 * (client to server to ledger and back), enquiry first page p95 with and without that column, errors, and how long a post
 * on one client takes to reach another client as ledger.changed (post sent → event heard), with the machine's load.
 */
export async function serverClientsBench(o: BenchOptions): Promise<void> {
  const seconds = o.quick ? 20 : 120;
  const ledger = await demoLedger(o.dir, o.movements);
  const path = ledger.path;
  const site = (ledger.db.prepare("SELECT id FROM sites WHERE code != 'EXTERNAL' AND active = 1 ORDER BY id LIMIT 1").get() as { id: number }).id;
  const products = (ledger.db.prepare("SELECT id FROM products WHERE tracking = 'BULK' AND stock_type = 'Supplied' AND active = 1 ORDER BY id LIMIT 200").all() as { id: number }[]).map((r) => r.id);
  await ledger.close();
  await runUsersCommand('add', path, { name: 'bench', admin: true }, async () => PASSWORD, () => undefined);
  // The ledger was just generated or copied: its half a gigabyte of dirty pages would be written back during the
  // load, making every commit's fsync wait behind it. A server's file has long been on disk: flush it first.
  for (const f of [path, `${path}-wal`]) if (existsSync(f)) syncFile(f);
  const staticDir = join(o.dir, 'renderer');
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Stockbook</title>');
  const server = await startServer({ dbPath: path, host: '127.0.0.1', port: 0, staticDir, logFile: join(o.dir, 'bench-server.log') }, () => undefined);
  // A server checks the whole ledger once after it starts (hashing every movement, in a thread): the load is measured
  // on the running server, after that check, as a server that has been up a while is.
  const checkStarted = performance.now();
  const checked = new Promise<void>((resolve) => {
    const off = server.app.onEvent((event, payload) => {
      if (event === 'job.finished' && (payload as { kind: string }).kind === FULL_CHECK_KIND) {
        off();
        resolve();
      }
    });
    setTimeout(resolve, 300_000).unref();
  });
  const clients: TestClient[] = [];
  try {
    for (let k = 0; k < CLIENTS; k++) {
      const c = await connectTestClientTo(`wss://127.0.0.1:${server.web.port}/ipc`, { rejectUnauthorized: false });
      await signInSpaced(c, 'bench', PASSWORD);
      clients.push(c);
    }
    await checked;
    const checkSeconds = (performance.now() - checkStarted) / 1000;
    const load = execSync('uptime').toString().trim();
    const r = await runPacedClients(clients, { seconds, site, products, keyPrefix: 'bench-client' });
    const c = r.commits;
    console.log(`\nStockbook server, ${CLIENTS} clients (TLS, loopback), ${seconds} s, ledger of ${fmt(o.movements)} movements — load at start: ${load}`);
    for (const line of pacedLines(r, seconds)) console.log(line);
    console.log(`  load at end: ${execSync('uptime').toString().trim()}`);
    console.log(`  (the server's start-up check of the whole ledger took ${checkSeconds.toFixed(0)} s; the load ran after it)`);
    const ceiling = durableCommitCeiling(join(o.dir, 'ceiling.db'));
    console.log(`  ceiling, same disk, same run: a raw one-row durable commit (WAL, synchronous FULL): p50 ${ceiling.p50.toFixed(1)} ms, p99 ${ceiling.p99.toFixed(1)} ms — commit p99 is ${(pct(c, 99) / ceiling.p99).toFixed(1)}× that`);
    reportFigure('writers', 'sqlite', {
      value: `${CLIENTS - 1} clients posting through one server: ${(c.length / seconds).toFixed(1)} posts/s (paced, 1 every 1–2 s each), commit round trip p99 ${pct(c, 99).toFixed(1)} ms, ${r.errors} errors`,
      ratio: pct(c, 99) / ceiling.p99,
      ceiling: 'a raw durable one-row commit p99 on the same disk',
    });
  } finally {
    for (const c of clients) c.close();
    await server.close();
  }
}

function syncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
