import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { JobFinished } from '../../shared/domain';
import { LedgerClient } from '../../electron/ledger/ledger-client';
import { SqliteLedger } from '../../electron/ledger/store/sqlite-ledger';
import { benchDocuments, seedWorld } from './bench-data';
import { fmt, pct, type BenchOptions } from './bench-options';
import { asUser } from '../fixtures/caller';
import type { WriterTraceSummary } from '../../electron/ledger/writer-trace';

/** One line: the writer's p99 for a commit, where its slowest 1% waited, and the job writes, syncs and checkpoints beside them. */
function describeTrace(t: WriterTraceSummary): string {
  const f = (x: number) => x.toFixed(1);
  const s = t.slowest;
  const writes = Object.entries(t.jobWrites).map(([k, w]) => `${k} ×${w.n} p50 ${f(w.p50)} p99 ${f(w.p99)} max ${f(w.max)}`).join(', ');
  return (
    `p99 ${f(t.total.p99)} ms; slowest ${s.n}: ${f(s.total)} ms = queued ${f(s.queued)} (job write ${f(s.queuedBehindJobWrite)}, sync ${f(s.queuedBehindSync)}) + run ${f(s.run)} + to answer ${f(s.afterRun)} (job write ${f(s.afterBehindJobWrite)}, sync ${f(s.afterBehindSync)}); checkpoint beside ${f(s.checkpointOverlap)}` +
    ` | syncs ×${t.syncs.n} p50 ${f(t.syncs.p50)} p99 ${f(t.syncs.p99)} max ${f(t.syncs.max)} | checkpoints ×${t.checkpoints.n} p99 ${f(t.checkpoints.p99)} max ${f(t.checkpoints.max)} (WAL ≤ ${t.checkpoints.maxWalFrames} frames)` +
    (writes ? ` | job writes: ${writes}` : '')
  );
}

/** Clerk commits per second while measuring: one receipt, then a 2 ms pause, as a busy till would. */
const PAUSE_MS = 2;
const CEILING_COMMITS = 400;
/** Each row's own ceiling: this many no-job commits right before the job starts (the load drifts during a run). */
const ROW_CEILING_COMMITS = 150;
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
  process.env.STOCKBOOK_WRITER_TRACE = '1'; // where the slowest commits waited (electron/ledger/writer-trace.ts)
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
    await client.call('operations.receive', { idempotencyKey: `jobs-bench-${k++}`, siteId: world.sites[0]!, kind: 'inbound', dutyPaid: false, lines: [{ productId: world.products[k % world.products.length]!, qty: 1, unitCost: 1_0000 }] }, asUser(admin));
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

  /** `n` commits with no job running: the sorted latencies. */
  const noJob = async (n: number): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      out.push(await commit());
      await pause();
    }
    return out.sort((a, b) => a - b);
  };
  const load = () => `load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`;

  const ceilingRun = await noJob(CEILING_COMMITS);
  const ceiling = pct(ceilingRun, 99);
  console.log(`  no job (ceiling): ${fmt(ceilingRun.length)} commits, p50 ${pct(ceilingRun, 50).toFixed(2)} ms, p99 ${ceiling.toFixed(2)} ms (${load()})`);

  /** STOCKBOOK_BENCH_JOB_ROWS=posting,backup runs only the rows whose name holds one of those words. */
  const only = process.env.STOCKBOOK_BENCH_JOB_ROWS?.split(',').filter(Boolean);
  const row = async (name: string, start: () => Promise<unknown> | unknown, end: () => Promise<unknown>) => {
    if (only && !only.some((w) => name.includes(w))) return;
    await client.writerTrace('operations.receive'); // starts the record afresh
    const before = pct(await noJob(ROW_CEILING_COMMITS), 99);
    const quiet = await client.writerTrace('operations.receive');
    const t = performance.now();
    const ending = end();
    await start(); // a job's start answers at once (the rebuild's call is its end); the clerk's commits begin after it
    const lat = await commitsUntil(ending);
    const result = (await ending) as JobFinished | unknown;
    const secs = (performance.now() - t) / 1000;
    const ok =
      typeof result === 'object' && result !== null && 'ok' in result ? ((result as JobFinished).ok ? `ok: ${(result as JobFinished).message}` : `FAILED: ${(result as JobFinished).message}`) : 'ok';
    const p99 = pct(lat, 99);
    const busy = await client.writerTrace('operations.receive');
    console.log(
      `  commit p99 while ${name} runs: ${p99.toFixed(2)} ms (p50 ${pct(lat, 50).toFixed(2)}, max ${lat.at(-1)!.toFixed(1)}; ${fmt(lat.length)} commits over ${secs.toFixed(1)} s, job ${ok}) — ${(p99 / before).toFixed(2)}× the no-job p99 just before it (${before.toFixed(2)} ms; ${load()}); goal < 5 ms`,
    );
    if (quiet) console.log(`    in the writer, no job: ${describeTrace(quiet)}`);
    if (busy) console.log(`    in the writer, job:    ${describeTrace(busy)}`);
  };

  // posting: a checked backup first (copied and checked in its own thread), then the run in a job thread
  const to = '2026-12-31T23:59:59Z';
  const postAll = async () => {
    const preview = await client.call('posting.preview', { to, target: 'builtin', summarised: false });
    return client.call('posting.start', 'post-bench', { to, target: 'builtin', summarised: false, expectedMovements: preview.unposted }, admin);
  };
  await row('a finance posting (checked backup first, then the run)', postAll, () => ended('post-bench'));

  await row('a CSV export of every movement', () => client.call('exports.start', 'export-bench', { list: 'movements', filter: {} }, 'csv', 'bench', join(dir, 'jobs-export.csv')), () => ended('export-bench'));

  // A rebuild writes only the rows that differ from the snapshots as stored: here little (before the import), and again
  // in the last row (after it, the import's rows to fold in); a first build on a ledger without snapshots writes every row.
  await row('a rebuild of the stock snapshots (before the import)', () => null, () => client.call('enquiry.rebuildSnapshots'));

  const lines = ['sku,site,bin,qty,batch,expiry,serial,unit_cost'];
  for (let i = 0; i < IMPORT_ROWS; i++) lines.push(`P${String(i % world.products.length).padStart(6, '0')},WH${(i % 2) + 1},A-${String((i % 10) + 1).padStart(2, '0')},${1 + (i % 40)},,,,1.00`);
  await row(`an inventory import of ${fmt(IMPORT_ROWS)} rows`, () => client.call('operations.importStart', { csv: lines.join('\n'), kind: 'inventory_import', jobId: 'import-bench', idempotencyKey: 'jobs-bench-import', fileName: 'bench.csv' }, asUser(admin)), () => ended('import-bench'));

  await row('a checked backup', () => client.call('backups.run', 'backup-bench', { toFolder: join(dir, 'jobs-backups') }, { userId: admin, username: 'admin' }), () => ended('backup-bench'));

  await row('a rebuild of the stock snapshots (after the import)', () => null, () => client.call('enquiry.rebuildSnapshots'));
  await client.close();
}
