import { execSync } from 'node:child_process';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerChange } from '../../shared/contract/events';
import type { PostedDocument } from '../../shared/domain';
import { runUsersCommand } from '../../electron/auth/users-command';
import { startServer } from '../../electron/server/serve-command';
import { connectTestClientTo, signInSpaced, type TestClient } from '../../electron/web/ws-test-client';
import { fmt, pct, type BenchOptions } from './bench-options';
import { durableCommitCeiling } from './commit-ceiling';
import { reportFigure } from './side-by-side';
import { demoLedger } from './demo-ledger';
import { FULL_CHECK_KIND } from '../../electron/safety/worker-start';

const CLIENTS = 25;
const PASSWORD = 'bench-server-password';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
    // Visibility: client 0 hears every other client's documents; the time from a post being sent to the event naming it.
    const sentAt = new Map<number, number>();
    const heardAt = new Map<number, number>();
    const visible: number[] = [];
    const observer = clients[0]!;
    observer.ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { kind: string; event?: string; payload?: LedgerChange };
      if (frame.kind !== 'event' || frame.event !== 'ledger.changed') return;
      const now = performance.now();
      for (const d of frame.payload!.documents) {
        const t = sentAt.get(d);
        // Heard before its poster had the reply (the event and the reply travel on different connections): kept for it.
        if (t === undefined) heardAt.set(d, now);
        else {
          visible.push(now - t);
          sentAt.delete(d);
        }
      }
    });
    const commits: number[] = [];
    // Enquiry first pages by whether they carry the balance on each row's date (the renderer's default view shows that
    // column; hiding it, as a clerk may, asks for the lighter page): the two are reported apart.
    const enquiries: number[] = [];
    const enquiriesOnDate: number[] = [];
    let errors = 0;
    const firstError: string[] = [];
    await checked;
    const checkSeconds = (performance.now() - checkStarted) / 1000;
    const deadline = performance.now() + seconds * 1000;
    const load = execSync('uptime').toString().trim();
    await Promise.all(
      clients.slice(1).map(async (c, k) => {
        let i = 0;
        await sleep(Math.random() * 1000);
        while (performance.now() < deadline) {
          const started = performance.now();
          const productId = products[(k * 7 + i) % products.length]!;
          const posted = await c.call('operations.receive', {
            idempotencyKey: `bench-client-${k}-${i++}`, kind: 'stock_receipt', siteId: site, reference: `BENCH-${k}-${i}`, lines: [{ productId, qty: 1, unitCost: 10_000 }],
          });
          const done = performance.now();
          if (posted.ok) {
            commits.push(done - started);
            const id = (posted.result as PostedDocument).documentId;
            // The event may already be in: then it was heard before the reply.
            const heard = id === null ? undefined : heardAt.get(id);
            if (heard !== undefined) {
              visible.push(heard - started);
              heardAt.delete(id!);
            } else if (id !== null) sentAt.set(id, started);
          } else {
            errors++;
            if (firstError.length < 3) firstError.push(posted.error.message);
          }
          const q0 = performance.now();
          const onDate = (i >> 1) % 2 === 1;
          const page = await c.call('enquiry.movements', { filter: i % 2 ? { productId } : {}, limit: 100, balanceOnDate: onDate });
          if (page.ok) (onDate ? enquiriesOnDate : enquiries).push(performance.now() - q0);
          else {
            errors++;
            if (firstError.length < 3) firstError.push(page.error.message);
          }
          await sleep(1000 + Math.random() * 1000 - (performance.now() - started));
        }
      }),
    );
    await sleep(1000);
    const s = (a: number[]) => [...a].sort((x, y) => x - y);
    const c = s(commits);
    const e = s(enquiries);
    const eo = s(enquiriesOnDate);
    const v = s(visible);
    console.log(`\nStockbook server, ${CLIENTS} clients (TLS, loopback), ${seconds} s, ledger of ${fmt(o.movements)} movements — load at start: ${load}`);
    console.log(`  posts: ${fmt(commits.length)} (${(commits.length / seconds).toFixed(1)}/s), errors: ${errors}${firstError.length ? ` (${firstError.join(' | ')})` : ''}`);
    console.log(`  commit round trip: p50 ${pct(c, 50).toFixed(1)} ms, p99 ${pct(c, 99).toFixed(1)} ms, max ${c.at(-1)!.toFixed(1)} ms`);
    console.log(`  enquiry first page (100 rows, balance on date hidden): p50 ${pct(e, 50).toFixed(1)} ms, p95 ${pct(e, 95).toFixed(1)} ms (${fmt(e.length)})`);
    console.log(`  enquiry first page (100 rows, balance on date shown, the default view): p50 ${pct(eo, 50).toFixed(1)} ms, p95 ${pct(eo, 95).toFixed(1)} ms (${fmt(eo.length)})`);
    console.log(`  post on one client → ledger.changed on another: p50 ${pct(v, 50).toFixed(0)} ms, p95 ${pct(v, 95).toFixed(0)} ms, max ${v.at(-1)?.toFixed(0)} ms (${fmt(v.length)} of ${fmt(commits.length)} heard)`);
    console.log(`  load at end: ${execSync('uptime').toString().trim()}`);
    console.log(`  (the server's start-up check of the whole ledger took ${checkSeconds.toFixed(0)} s; the load ran after it)`);
    const ceiling = durableCommitCeiling(join(o.dir, 'ceiling.db'));
    console.log(`  ceiling, same disk, same run: a raw one-row durable commit (WAL, synchronous FULL): p50 ${ceiling.p50.toFixed(1)} ms, p99 ${ceiling.p99.toFixed(1)} ms — commit p99 is ${(pct(c, 99) / ceiling.p99).toFixed(1)}× that`);
    reportFigure('writers', 'sqlite', {
      value: `${CLIENTS - 1} clients posting through one server: ${(commits.length / seconds).toFixed(1)} posts/s (paced, 1 every 1–2 s each), commit round trip p99 ${pct(c, 99).toFixed(1)} ms, ${errors} errors`,
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
