import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { constants, PerformanceObserver, performance as perfHooks, type PerformanceEntry } from 'node:perf_hooks';
const eventLoopUtilization = perfHooks.eventLoopUtilization;
import { deflateRawSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import { exportMovementsCsv, exportMovementsXlsx } from '../../electron/enquiry/sqlite-movement-export';
import { BalanceOnDateStore } from '../../electron/enquiry/balance-on-date-store';
import { MovementQuery, StatementCache } from '../../electron/enquiry/movement-query';
import { Dashboard } from '../../electron/enquiry/dashboard';
import { stockBalance } from '../../electron/enquiry/stock-balance';
import { StockBalanceStore } from '../../electron/enquiry/stock-balance-store';
import { StockSnapshots } from '../../electron/enquiry/stock-snapshots';
import { generateDemo } from '../../electron/demo/generate-demo';
import { inSnapshot } from '../../electron/jobs/job-scope';
import { SqliteLedger } from '../../electron/ledger/store/sqlite-ledger';
import { runNow } from '../../electron/ledger/steps';
import { fmt, pct, type BenchOptions } from './bench-options';
import { enquiryCombinations, enquiryPages } from './enquiry-pages.bench';

const RUNS = 40;

function timeIt(fn: () => void, runs = RUNS): number[] {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b);
}

/**
 * Enquiry over the demo ledger: first page (200 rows, plan chosen per call) of 21 filter/search combinations, the
 * exact-or-capped count, stock at a date for all products, and a streamed CSV export of up to 1,000,000 rows.
 * STOCKBOOK_BENCH_DEMO_DB=path reuses a demo database made by `npm run demo` instead of generating one.
 */
export async function enquiryBench({ dir, movements }: BenchOptions): Promise<void> {
  const reuse = process.env.STOCKBOOK_BENCH_DEMO_DB;
  const ledger = await SqliteLedger.open(reuse ?? join(dir, 'enquiry.db'));
  if (!reuse) {
    const t = performance.now();
    await generateDemo(ledger, { movements });
    console.log(`\n(demo data: ${fmt(movements)} movements generated in ${((performance.now() - t) / 1000).toFixed(1)} s)`);
  }
  const db = ledger.db;
  const total = db.prepare('SELECT MAX(seq) FROM movements').pluck().get() as number;
  console.log(`\n## Enquiry over ${fmt(total)} movements (first page = 200 rows with names, batch, source, user)`);
  const cache = new StatementCache(db);
  const maxOcc = db.prepare('SELECT MAX(occurred_at) FROM movements').pluck().get() as number;
  // STOCKBOOK_BENCH_EXPORTS_ONLY=1: only the CSV and XLSX exports against the raw reads (the rows of issue 15).
  if (!process.env.STOCKBOOK_BENCH_EXPORTS_ONLY) await enquiryQueries(db, cache, total, maxOcc);
  // STOCKBOOK_BENCH_XLSX_ONLY=1: only the XLSX export against its raw read (A/B runs of the writer).
  if (process.env.STOCKBOOK_BENCH_XLSX_ONLY) await xlsxExportBench(db, cache, dir, total, null);
  else await exportsBench(db, cache, dir, total);
  await ledger.close();
}

/** The first pages, counts, keyset paging, stock at a date, stock balance and dashboard rows of the section. */
async function enquiryQueries(db: SqliteLedger['db'], cache: StatementCache, total: number, maxOcc: number): Promise<void> {
  const pick = (sql: string) => db.prepare(sql).pluck().get() as number | string;
  const day = 86_400_000;
  // The first page of every combination (p50/p95/p99 against the raw ceiling), then each one's exact-or-capped count.
  await enquiryPages(db, 40);
  console.log('\nfilter | count (cap 100,000) ms');
  for (const [name, filter] of enquiryCombinations(db)) {
    const q = new MovementQuery(db, filter, cache);
    const c0 = performance.now();
    const c = q.count(100_000);
    console.log(`${name} | ${c.exact ? '' : '>'}${fmt(c.count)} in ${(performance.now() - c0).toFixed(1)}`);
  }

  // Keyset paging deep into the table: page 1,000 costs what page 1 costs.
  const deepQ = new MovementQuery(db, {}, cache);
  let cursor = deepQ.page('desc', 200).next!;
  for (let i = 0; i < 999; i++) cursor = deepQ.page('desc', 200, cursor).next!;
  const deep = timeIt(() => deepQ.page('desc', 200, cursor), 20);
  console.log(`keyset page 1,000 (rows 200,000–200,200): p50 ${pct(deep, 50).toFixed(2)} ms`);
  // Of which the balance on that date (effective order), computed afresh (no earlier page's balances to start from).
  const firstRows = new MovementQuery(db, {}, cache).page('desc', 200).rows;
  const deepRows = deepQ.page('desc', 200, cursor).rows;
  const onDate = (rows: typeof firstRows) => timeIt(() => new BalanceOnDateStore((sql) => cache.get(sql)).balances(rows), 20);
  console.log(
    `balance on that date alone, fresh: first page p50 ${pct(onDate(firstRows), 50).toFixed(2)} ms; page 1,000 p50 ${pct(onDate(deepRows), 50).toFixed(2)} ms`,
  );

  // Stock at a date.
  const snaps = new StockSnapshots(db);
  const b0 = performance.now();
  const built = snaps.rebuild();
  console.log(`\nsnapshot rebuild: ${built} snapshots, ${fmt(pick('SELECT COUNT(*) FROM stock_snapshots') as number)} rows in ${((performance.now() - b0) / 1000).toFixed(2)} s`);
  const products = pick('SELECT COUNT(*) FROM products') as number;
  const dates = Array.from({ length: 10 }, (_, i) => maxOcc - (i * 36 + 5) * day - 3_600_000 * i);
  for (const level of ['site', 'batch'] as const) {
    const times: number[] = [];
    let lines = 0;
    let since = 0;
    for (const at of dates) {
      const t = performance.now();
      const r = snaps.stockAt(at, { level });
      times.push(performance.now() - t);
      lines = Math.max(lines, r.rows.length);
      since = Math.max(since, r.movementsSince);
    }
    times.sort((a, b) => a - b);
    console.log(
      `stock at a date, all ${fmt(products)} products per ${level === 'site' ? 'product/site' : 'product/site/bin/batch'}: p50 ${pct(times, 50).toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms (≤ ${fmt(lines)} lines, ≤ ${fmt(since)} movements since the snapshot; goal < 500 ms)`,
    );
  }
  // Stock balance report (opening from snapshots, the period's in/out, closing) for every product and site.
  const balances = new StockBalanceStore(db, snaps);
  for (const days of [7, 30]) {
    const t = timeIt(() => runNow(stockBalance(balances, { from: maxOcc - days * day, to: maxOcc })), 3);
    const r = runNow(stockBalance(balances, { from: maxOcc - days * day, to: maxOcc }));
    console.log(`stock balance report, all products × sites, last ${days} days: p50 ${pct(t, 50).toFixed(0)} ms (${fmt(r.rows.length)} lines, ${fmt(r.movements)} movements in the period)`);
  }
  // Dashboard: folding every movement into the daily totals once, then reading the charts.
  const dash = new Dashboard(db);
  dash.reset();
  const d0 = performance.now();
  const folded = await dash.refresh();
  console.log(`dashboard daily totals: folded ${fmt(folded)} movements in ${((performance.now() - d0) / 1000).toFixed(2)} s (once; afterwards only new movements)`);
  for (const days of [7, 30, 90, 365]) {
    const t = timeIt(() => dash.read(days, maxOcc), 5);
    console.log(`dashboard, last ${days} days (by type per day, value per day, top movers): p50 ${pct(t, 50).toFixed(0)} ms`);
  }
  const rawSum = timeIt(() => db.prepare('SELECT product_id, site_id, SUM(qty) FROM movements WHERE occurred_at <= ? GROUP BY 1, 2').all(dates[5]), 3);
  console.log(`ceiling without snapshots (raw SUM over all movements up to T): p50 ${pct(rawSum, 50).toFixed(0)} ms`);
}

/** The CSV export of up to 1,000,000 movements against the raw read of the same rows, then the XLSX export. */
async function exportsBench(db: SqliteLedger['db'], cache: StatementCache, dir: string, total: number): Promise<void> {
  const pick = (sql: string) => db.prepare(sql).pluck().get() as number | string;
  // CSV export.
  const limitSeq = Math.min(total, 1_000_000);
  const cutoff = pick(`SELECT occurred_at FROM movements INDEXED BY IDX_movements_occurred ORDER BY occurred_at LIMIT 1 OFFSET ${limitSeq - 1}`) as number;
  const filter: MovementFilter = { occurred: { to: cutoff } };
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const eCpu0 = process.cpuUsage();
  const e0 = performance.now();
  let rssAtHalf = 0;
  // In one read snapshot, as the export job runs it (movement-export-job.ts).
  const n = await inSnapshot(db, () => exportMovementsCsv(db, cache, filter, join(dir, 'export.csv'), new AbortController().signal, (p) => {
    peak = Math.max(peak, process.memoryUsage().rss);
    if (!rssAtHalf && p.done >= p.total / 2) rssAtHalf = process.memoryUsage().rss;
  }, 'Europe/London'));
  const secs = (performance.now() - e0) / 1000;
  const cpuSecs = (({ user, system }) => (user + system) / 1e6)(process.cpuUsage(eCpu0));
  clearInterval(sampler);
  const mb = (b: number) => (b / 1048576).toFixed(0);
  console.log(
    `\nCSV export of ${fmt(n)} movements: ${secs.toFixed(2)} s = ${fmt(n / secs)} rows/s (goal < 10 s); RSS before ${mb(rss0)} MB, at half ${mb(rssAtHalf)} MB, peak ${mb(peak)} MB`,
  );
  const r0 = performance.now();
  let rows = 0;
  for (const _ of db.prepare(`SELECT * FROM movements WHERE occurred_at <= ?`).raw().iterate(cutoff)) rows++;
  console.log(`raw ceiling: iterate the same ${fmt(rows)} rows, no joins, no formatting: ${((performance.now() - r0) / 1000).toFixed(2)} s`);
  const rCpu0 = process.cpuUsage();
  const r1 = performance.now();
  rows = 0;
  for (const _ of db.prepare(`SELECT * FROM movements INDEXED BY IDX_movements_occurred WHERE occurred_at <= ? ORDER BY occurred_at, seq`).raw().iterate(cutoff)) rows++;
  const orderedSecs = (performance.now() - r1) / 1000;
  const orderedCpu = (({ user, system }) => (user + system) / 1e6)(process.cpuUsage(rCpu0));
  console.log(`raw ceiling in export order (occurred_at, seq), no joins, no formatting: ${orderedSecs.toFixed(2)} s → RATIO export / ordered read = ${(secs / orderedSecs).toFixed(2)}× (goal ≤ 2×); in CPU-s ${cpuSecs.toFixed(2)} / ${orderedCpu.toFixed(2)} = ${(cpuSecs / orderedCpu).toFixed(2)}×`);

  await xlsxExportBench(db, cache, dir, total, n / secs);
}

/**
 * The XLSX export (XlsxWriter: sheet XML built on the main thread, deflated in blocks on zlib's threads) of the first
 * STOCKBOOK_BENCH_XLSX_ROWS (250,000) movements: wall rows/s, rows per CPU-s of all threads and peak RSS, against the raw
 * ordered read of the same rows in the same run (and the CSV export's rows/s when it ran), with the load average, and the
 * main thread's time in garbage collection. STOCKBOOK_BENCH_XLSX_ROUNDS=n exports n times in the same process (A/B runs:
 * the figures of each round, the first one with a cold page cache and unoptimised code; memory of the first round, the
 * deflate share of the last).
 */
async function xlsxExportBench(db: SqliteLedger['db'], cache: StatementCache, dir: string, total: number, csvRowsPerSec: number | null): Promise<void> {
  const pick = (sql: string) => db.prepare(sql).pluck().get() as number | string;
  const xRows = Math.min(total, Number(process.env.STOCKBOOK_BENCH_XLSX_ROWS ?? 250_000));
  const xCut = pick(`SELECT occurred_at FROM movements INDEXED BY IDX_movements_occurred ORDER BY occurred_at LIMIT 1 OFFSET ${xRows - 1}`) as number;
  const rounds = Math.max(1, Number(process.env.STOCKBOOK_BENCH_XLSX_ROUNDS ?? 1));
  for (let round = 1; round <= rounds; round++) {
    if (rounds > 1) console.log(`XLSX round ${round} of ${rounds}`);
    await xlsxExportRound(db, cache, dir, xCut, csvRowsPerSec, round, rounds);
  }
}

/** One XLSX export of the movements up to `xCut` and its figures (xlsxExportBench). */
async function xlsxExportRound(db: SqliteLedger['db'], cache: StatementCache, dir: string, xCut: number, csvRowsPerSec: number | null, round: number, rounds: number): Promise<void> {
  const mb = (b: number) => (b / 1048576).toFixed(0);
  const load = () => loadavg()[0]!.toFixed(1);
  // Garbage collections during the export (the main thread stops for each), by kind: V8's young (scavenge) and full ones.
  const gcMs = { minor: 0, major: 0, minorCount: 0, majorCount: 0 };
  const countGc = (entries: readonly PerformanceEntry[]) => {
    for (const e of entries) {
      if (((e as { detail?: unknown }).detail as { kind?: number } | undefined)?.kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        gcMs.minor += e.duration;
        gcMs.minorCount++;
      } else {
        gcMs.major += e.duration;
        gcMs.majorCount++;
      }
    }
  };
  const gcObserver = new PerformanceObserver((list) => countGc(list.getEntries()));
  global.gc?.();
  gcObserver.observe({ entryTypes: ['gc'] });
  const x0rss = process.memoryUsage().rss;
  let xPeak = x0rss;
  const xSamples: number[] = [];
  const load0 = load();
  const elu0 = eventLoopUtilization();
  const xCpu0 = process.cpuUsage();
  const xMain0 = mainThreadCpuSecs();
  const x0 = performance.now();
  const xn = await inSnapshot(db, () => exportMovementsXlsx(db, cache, { occurred: { to: xCut } }, join(dir, 'export.xlsx'), new AbortController().signal, (p) => {
    const rss = process.memoryUsage().rss;
    xPeak = Math.max(xPeak, rss);
    if (xSamples.length < Math.floor((p.done / p.total) * 4)) xSamples.push(rss);
  }, 'Europe/London'));
  const xSecs = (performance.now() - x0) / 1000;
  const xCpu = process.cpuUsage(xCpu0);
  const xMainSecs = mainThreadCpuSecs() - xMain0;
  /** CPU seconds of every thread (the row loop and the compressor's), which a loaded machine does not inflate as it does wall time. */
  const xCpuSecs = (xCpu.user + xCpu.system) / 1e6;
  countGc(gcObserver.takeRecords());
  gcObserver.disconnect();
  /** The main thread's time idle in the event loop: waiting for the compressor (the row read and XML are synchronous). */
  const idleSecs = eventLoopUtilization(elu0).idle / 1000;
  const load1 = load();
  // The raw ceiling: the same rows in export order, no joins, no formatting, one thread.
  const rCpu0 = process.cpuUsage();
  const r0 = performance.now();
  let rows = 0;
  for (const _ of db.prepare('SELECT * FROM movements INDEXED BY IDX_movements_occurred WHERE occurred_at <= ? ORDER BY occurred_at, seq').raw().iterate(xCut)) rows++;
  const readSecs = (performance.now() - r0) / 1000;
  const readCpu = (({ user, system }) => (user + system) / 1e6)(process.cpuUsage(rCpu0));
  console.log(
    `XLSX export of ${fmt(xn)} movements: ${xSecs.toFixed(2)} s wall = ${fmt(xn / xSecs)} rows/s (goal ≥ 100,000 rows/s; exceljs was 13,480); ` +
      `${xCpuSecs.toFixed(2)} CPU-s over all threads = ${fmt(xn / xCpuSecs)} rows/CPU-s (CPU-s / wall s = ${(xCpuSecs / xSecs).toFixed(2)}); ` +
      `main thread idle (waiting for the compressor) ${idleSecs.toFixed(2)} s = ${((idleSecs / xSecs) * 100).toFixed(0)}% of wall; load average ${load0} → ${load1}`,
  );
  if (!Number.isNaN(xMainSecs)) {
    console.log(
      `XLSX main thread (rows read, XML built; the deflate runs on zlib's threads): ${xMainSecs.toFixed(2)} CPU-s = ${((xMainSecs / xn) * 1e6).toFixed(1)} µs a row → ` +
        `≤ ${fmt(xn / xMainSecs)} rows/s wall where the compressors have cores of their own (on a loaded machine this CPU time is inflated too)`,
    );
  }
  console.log(
    `XLSX garbage collection (main thread stopped): ${gcMs.minorCount} young-generation in ${(gcMs.minor / 1000).toFixed(2)} s, ${gcMs.majorCount} full in ${(gcMs.major / 1000).toFixed(2)} s ` +
      `= ${(((gcMs.minor + gcMs.major) / 1000 / xSecs) * 100).toFixed(0)}% of wall`,
  );
  // The memory of the first round only: the deflate share below reads the whole sheet XML into memory (the last round's).
  if (round === 1) console.log(`XLSX memory: RSS before ${mb(x0rss)} MB, at each quarter ${xSamples.map(mb).join(' / ')} MB, peak ${mb(xPeak)} MB (peak − before = ${mb(xPeak - x0rss)} MB)`);
  console.log(
    `raw ordered read of the same ${fmt(rows)} rows: ${readSecs.toFixed(2)} s, ${readCpu.toFixed(2)} CPU-s → RATIO XLSX export / ordered read = ${(xSecs / readSecs).toFixed(2)}× wall, ` +
      `${(xCpuSecs / readCpu).toFixed(2)}× CPU-s; RATIO rows/s / goal = ${(xn / xSecs / 100_000).toFixed(2)}, rows/CPU-s / goal = ${(xn / xCpuSecs / 100_000).toFixed(2)} (goal ≥ 1)`,
  );
  if (csvRowsPerSec !== null) console.log(`RATIO XLSX export / CSV export, rows/s = ${(xn / xSecs / csvRowsPerSec).toFixed(2)} (the CSV of the same run as ceiling)`);
  if (round === rounds) xlsxDeflateShare(join(dir, 'export.xlsx'), xn, xCpuSecs);
}

/** CPU seconds of this process's main thread alone (Linux: /proc/self/task/<pid>/stat, in clock ticks of 1/100 s); NaN elsewhere. */
function mainThreadCpuSecs(): number {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/**
 * How much of the XLSX export's CPU is the deflate (zlib level 1, on zlib's threads during the export): its sheets'
 * XML deflated again here alone, at the export's level. What is left is the row read, the names and the XML writing.
 */
function xlsxDeflateShare(file: string, rows: number, cpuSecs: number): void {
  const sheets = Object.values(unzipSync(readFileSync(file), { filter: (f) => f.name.startsWith('xl/worksheets/') }));
  const xml = sheets.reduce((n, s) => n + s.length, 0);
  const c0 = process.cpuUsage();
  const packed = sheets.reduce((n, s) => n + deflateRawSync(s, { level: 1 }).length, 0);
  const deflateSecs = (({ user, system }) => (user + system) / 1e6)(process.cpuUsage(c0));
  const rest = cpuSecs - deflateSecs;
  const mb = (b: number) => (b / 1048576).toFixed(0);
  console.log(
    `XLSX of which deflate (sheet XML ${mb(xml)} MB → ${mb(packed)} MB, file ${mb(statSync(file).size)} MB; zlib level 1 alone): ${deflateSecs.toFixed(2)} CPU-s; ` +
      `the rest (read, names, XML) ${rest.toFixed(2)} CPU-s = ${((rest / rows) * 1e6).toFixed(1)} µs a row; with no XML cost at all ≤ ${fmt(rows / deflateSecs)} rows/CPU-s from the deflate alone`,
  );
}
