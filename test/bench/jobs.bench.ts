import { join } from 'node:path';
import type { JobFinished } from '../../shared/domain';
import { LedgerClient } from '../../electron/ledger/ledger-client';
import { SqliteLedger } from '../../electron/ledger/store/sqlite-ledger';
import { benchDocuments, seedWorld } from './bench-data';
import { fmt, pct, type BenchOptions } from './bench-options';

/** Clerk commits per second while measuring: one receipt, then a 2 ms pause, as a busy till would. */
const PAUSE_MS = 2;
const CEILING_COMMITS = 400;
const IMPORT_ROWS = 50_000;

/**
 * Commit p99 while each job runs, through the real ledger worker (the one writer) with its job threads, against the
 * commit p99 of the same ledger with no job in the same run (the ceiling). Goal: under 5 ms while any job runs.
 */
export async function jobsBench({ dir, movements }: BenchOptions): Promise<void> {
  const n = Math.min(movements, 1_000_000);
  console.log(`\n## Commit p99 while a job runs (${fmt(n)}-movement ledger; commits through the ledger worker, one receipt every ${PAUSE_MS} ms)`);
  const path = join(dir, 'jobs.db');
  const ledger = await SqliteLedger.open(path);
  const world = seedWorld(ledger);
  const admin = ledger.reference.userId('admin');
  let batch: ReturnType<typeof benchDocuments> extends Iterable<infer D> ? D[] : never = [];
  for (const d of benchDocuments(world, n, 10, 'jobs')) {
    batch.push(d);
    if (batch.length < 5000) continue;
    ledger.poster.postMany(batch, admin);
    batch = [];
  }
  if (batch.length) ledger.poster.postMany(batch, admin);
  ledger.db.pragma('wal_checkpoint(TRUNCATE)');
  await ledger.close();

  process.env.STOCKBOOK_NO_DAILY_BACKUP = '1';
  const client = await LedgerClient.start(path);
  const finished = new Map<string, (f: JobFinished) => void>();
  client.onEvent((event, payload) => {
    if (event === 'job.finished') {
      const f = payload as JobFinished;
      for (const [prefix, done] of finished) {
        if (!f.jobId.startsWith(prefix)) continue;
        finished.delete(prefix);
        done(f);
      }
    }
  });
  const ended = (prefix: string) => new Promise<JobFinished>((resolve) => finished.set(prefix, resolve));
  const checked = ended('ledger-check');
  await client.call('safetyStartFullCheck'); // as the app does once it is up: the full check runs first, in its own thread
  await checked;

  let k = 0;
  const commit = async () => {
    const t = performance.now();
    await client.call('opsReceive', { idempotencyKey: `jobs-bench-${k++}`, siteId: world.sites[0]!, kind: 'inbound', dutyPaid: false, lines: [{ productId: world.products[k % world.products.length]!, qty: 1, unitCost: 1_0000 }] }, admin);
    return performance.now() - t;
  };
  const pause = () => new Promise((r) => setTimeout(r, PAUSE_MS));
  /** Commits until `until` settles; the sorted latencies. */
  const commitsUntil = async (until: Promise<unknown>): Promise<number[]> => {
    let done = false;
    void until.finally(() => (done = true));
    const out: number[] = [];
    while (!done) {
      out.push(await commit());
      await pause();
    }
    return out.sort((a, b) => a - b);
  };

  const ceilingRun: number[] = [];
  for (let i = 0; i < CEILING_COMMITS; i++) {
    ceilingRun.push(await commit());
    await pause();
  }
  ceilingRun.sort((a, b) => a - b);
  const ceiling = pct(ceilingRun, 99);
  console.log(`  no job (ceiling): ${fmt(ceilingRun.length)} commits, p50 ${pct(ceilingRun, 50).toFixed(2)} ms, p99 ${ceiling.toFixed(2)} ms`);

  const row = async (name: string, start: () => Promise<unknown> | unknown, end: Promise<unknown>) => {
    const t = performance.now();
    const started = Promise.resolve(start());
    const lat = await commitsUntil(Promise.all([started, end]));
    const result = (await end) as JobFinished | unknown;
    const secs = (performance.now() - t) / 1000;
    const ok =
      typeof result === 'object' && result !== null && 'ok' in result ? ((result as JobFinished).ok ? `ok: ${(result as JobFinished).message}` : `FAILED: ${(result as JobFinished).message}`) : 'ok';
    const p99 = pct(lat, 99);
    console.log(
      `  commit p99 while ${name} runs: ${p99.toFixed(2)} ms (p50 ${pct(lat, 50).toFixed(2)}, max ${lat.at(-1)!.toFixed(1)}; ${fmt(lat.length)} commits over ${secs.toFixed(1)} s, job ${ok}) — ${(p99 / ceiling).toFixed(2)}× the no-job p99; goal < 5 ms`,
    );
  };

  // posting: a checked backup first (on the writer's thread), then the run in a job thread
  const to = '2026-12-31T23:59:59Z';
  const preview = await client.call('postingPreview', { to, target: 'builtin', summarised: false });
  await row('a finance posting (checked backup first, then the run)', () => client.call('postingStart', 'post-bench', { to, target: 'builtin', summarised: false, expectedMovements: preview.unposted }, admin), ended('post-bench'));

  await row('a CSV export of every movement', () => client.call('exportsStart', 'export-bench', { list: 'movements', filter: {} }, 'csv', 'bench', join(dir, 'jobs-export.csv')), ended('export-bench'));

  const lines = ['sku,site,bin,qty,batch,expiry,serial,unit_cost'];
  for (let i = 0; i < IMPORT_ROWS; i++) lines.push(`P${String(i % world.products.length).padStart(6, '0')},WH${(i % 2) + 1},A-${String((i % 10) + 1).padStart(2, '0')},${1 + (i % 40)},,,,1.00`);
  await row(`an inventory import of ${fmt(IMPORT_ROWS)} rows`, () => client.call('opsImportStart', { csv: lines.join('\n'), kind: 'inventory_import', jobId: 'import-bench', idempotencyKey: 'jobs-bench-import', fileName: 'bench.csv' }, admin), ended('import-bench'));

  await row('a checked backup', () => client.call('backupsRun', 'backup-bench', { toFolder: join(dir, 'jobs-backups') }, { userId: admin, username: 'admin' }), ended('backup-bench'));

  await row('a rebuild of the stock snapshots', () => null, client.call('enquiryRebuildSnapshots'));
  await client.close();
}
