import type Database from 'better-sqlite3';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import { MovementQuery, StatementCache } from '../../electron/enquiry/movement-query';
import { UNSEEN_LIMIT } from '../../electron/enquiry/balance-on-date-store';
import { StockSnapshots } from '../../electron/enquiry/stock-snapshots';
import { fmt, pct, type BenchOptions } from './bench-options';
import { demoLedger } from './demo-ledger';
import { reportFigure, type Store } from './side-by-side';

const PAGE = 200;

/** The filter/search combinations the enquiry window is measured on, from the ledger's own data. */
export function enquiryCombinations(db: Database.Database): [string, MovementFilter][] {
  const pick = (sql: string) => db.prepare(sql).pluck().get() as number | string;
  const maxOcc = pick('SELECT MAX(occurred_at) FROM movements') as number;
  const day = 86_400_000;
  const busyProduct = pick('SELECT product_id FROM movements INDEXED BY IDX_movements_product_occurred GROUP BY product_id ORDER BY COUNT(*) DESC LIMIT 1') as number;
  const quietProduct = pick('SELECT id FROM products WHERE id IN (SELECT product_id FROM stock_levels) ORDER BY id DESC LIMIT 1') as number;
  const sku = pick(`SELECT sku FROM products WHERE id = ${quietProduct}`) as string;
  const batchRow = db.prepare('SELECT id, code FROM batches ORDER BY id LIMIT 1 OFFSET 100').get() as { id: number; code: string };
  const barcode = pick('SELECT barcode FROM product_barcodes LIMIT 1') as string;
  const doc = pick('SELECT document_id FROM movements WHERE seq = (SELECT MAX(seq) / 2 FROM movements)') as number;
  const sites = db.prepare("SELECT id FROM sites WHERE kind != 'external' ORDER BY id").pluck().all() as number[];
  const bin = pick('SELECT bin_id FROM movements WHERE bin_id IS NOT NULL LIMIT 1') as number;
  const month = { from: maxOcc - 60 * day, to: maxOcc - 30 * day };
  // A receipt's reference as a clerk types it off the delivery note (lower case), and the commonest receipt reference prefix (broad).
  const reference = pick(`SELECT reference FROM documents WHERE id = (SELECT MAX(id) FROM documents WHERE type = 'receipt' AND id <= ${doc})`) as string;
  const refPrefix = pick(`SELECT substr(reference, 1, instr(reference, '-')) AS p FROM documents WHERE type = 'receipt' AND instr(reference, '-') > 0 GROUP BY p ORDER BY COUNT(*) DESC LIMIT 1`) as string;
  return [
    ['no filter', {}],
    ['type: sale (common)', { types: ['sale'] }],
    ['type: EP PO Stock Return (rare)', { types: ['ep_po_stock_return'] }],
    ['types: 3 rare', { types: ['ep_po_stock_return', 'inbound_reversal', 'supplier_credit'] }],
    ['types: 4 mixed', { types: ['sale', 'wastage', 'inbound_reversal', 'clear'] }],
    ['occurred: a month', { occurred: month }],
    ['occurred: a day a year ago', { occurred: { from: maxOcc - 360 * day, to: maxOcc - 359 * day } }],
    ['recorded: a day', { recorded: { from: maxOcc - 100 * day, to: maxOcc - 99 * day } }],
    ['expiry: a month', { expiry: { from: '2026-06-01', to: '2026-06-30' } }],
    ['product (busiest)', { productId: busyProduct }],
    ['product + month', { productId: busyProduct, occurred: month }],
    ['site', { siteId: sites[0]! }],
    ['site + type + month', { siteId: sites[sites.length - 1]!, types: ['sale'], occurred: month }],
    ['bin', { binId: bin }],
    ['batch', { batchId: batchRow.id }],
    ['document', { documentId: doc }],
    ['user (system: none)', { userId: 1 }],
    ['search: SKU', { search: sku }],
    ['search: batch prefix (broad)', { search: batchRow.code.slice(0, 4) }],
    ['search: barcode', { search: barcode }],
    ['search: name word + type', { search: 'red', types: ['stock_despatch'] }],
    ['search: document reference (lower case)', { search: reference.toLowerCase() }],
    [`search: reference prefix ${refPrefix} (broad)`, { search: refPrefix.toLowerCase() }],
  ];
}

export interface PageRun {
  rows: number;
  plan: string;
}
interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}
/** Every combination's first pages together, per variant, and the raw ceiling, in ms. */
export interface PagesSummary {
  combinations: number;
  raw: Percentiles;
  shown: Percentiles;
  hidden: Percentiles;
  /** The combination whose first page (balance column shown) has the highest p95. */
  slowest: number;
}

const VARIANTS = [
  { key: 'shown', label: 'balance on that date shown', onDate: true },
  { key: 'hidden', label: 'balance on that date hidden', onDate: false },
] as const;

const percentiles = (sorted: number[]): Percentiles => ({ p50: pct(sorted, 50), p95: pct(sorted, 95), p99: pct(sorted, 99) });

/**
 * The enquiry window's first page (200 rows with names, batch, source, user; the plan chosen afresh per call, as a new
 * filter is) for every combination, with the "Balance on that date" column shown (the default) and hidden, on either
 * store (`page` reads one; SQLite's answers at once, PostgreSQL's is awaited). The runs go round-robin over the
 * combinations so a burst of load on the shared machine lands on all of them alike. Each percentile is set against the
 * same run's raw ceiling (`raw`: the newest 200 rows read by the occurred_at index, no joins), read once per combination
 * per round.
 */
export async function measurePages(
  combos: [string, MovementFilter][],
  page: (filter: MovementFilter, onDate: boolean, combination: number) => PageRun | Promise<PageRun>,
  raw: () => unknown,
  rounds: number,
  goal: string,
): Promise<PagesSummary> {
  const times = combos.map(() => VARIANTS.map(() => [] as number[]));
  const rawTimes: number[] = [];
  const info = combos.map(() => ({ plan: '', rows: 0 }));
  for (let round = 0; round < rounds; round++) {
    for (const [c, [, filter]] of combos.entries()) {
      for (const [v, { onDate }] of VARIANTS.entries()) {
        const s = performance.now();
        const p = await page(filter, onDate, c);
        times[c]![v]!.push(performance.now() - s);
        info[c] = p;
      }
      const s = performance.now();
      await raw();
      rawTimes.push(performance.now() - s);
    }
  }
  for (const t of times.flat()) t.sort((a, b) => a - b);
  rawTimes.sort((a, b) => a - b);
  const ceil = percentiles(rawTimes);
  const f = (n: number) => n.toFixed(2);
  console.log(`raw ceiling (newest 200 by the occurred_at index, no joins), ${fmt(rawTimes.length)} runs: p50 ${f(ceil.p50)} ms, p95 ${f(ceil.p95)} ms, p99 ${f(ceil.p99)} ms`);
  const p95Shown = times.map((t) => pct(t[0]!, 95));
  const summary: PagesSummary = { combinations: combos.length, raw: ceil, shown: ceil, hidden: ceil, slowest: p95Shown.indexOf(Math.max(...p95Shown)) };
  for (const [v, { key, label }] of VARIANTS.entries()) {
    console.log(`\nfirst page, ${label} (${rounds} runs each): filter | plan | rows | p50 | p95 | p99 ms | p99 / raw p99`);
    const all: number[] = [];
    let worst = 0;
    combos.forEach(([name], c) => {
      const t = times[c]![v]!;
      all.push(...t);
      if (pct(t, 99) > pct(times[worst]![v]!, 99)) worst = c;
      console.log(`${name} | ${info[c]!.plan} | ${info[c]!.rows} | ${f(pct(t, 50))} | ${f(pct(t, 95))} | ${f(pct(t, 99))} | ${(pct(t, 99) / ceil.p99).toFixed(1)}×`);
    });
    all.sort((a, b) => a - b);
    const w = times[worst]![v]!;
    summary[key] = percentiles(all);
    console.log(`ALL ${combos.length} combinations: p50 ${f(pct(all, 50))}, p95 ${f(pct(all, 95))}, p99 ${f(pct(all, 99))} ms (${(pct(all, 99) / ceil.p99).toFixed(1)}× raw p99)`);
    console.log(`WORST combination by p99: ${combos[worst]![0]}: p99 ${f(pct(w, 99))} ms = ${(pct(w, 99) / ceil.p99).toFixed(1)}× raw p99 (goal: ${goal})`);
  }
  return summary;
}

/** The SQLite enquiry's first pages over `db` (the combinations of enquiryCombinations), after its daily stock snapshots are brought up to date. */
export async function enquiryPages(db: Database.Database, rounds = Number(process.env.STOCKBOOK_BENCH_ROUNDS ?? 100)): Promise<PagesSummary> {
  const cache = new StatementCache(db);
  const combos = enquiryCombinations(db);
  // The balance on that date starts from the nearest daily snapshot while they are nearly up to date (as stock at a
  // date leaves them); a ledger without them (a fresh demo) has them cut first, as its first stock-at-a-date would.
  const s0 = performance.now();
  const refreshed = new StockSnapshots(db).refresh();
  const snap = db.prepare('SELECT (SELECT COUNT(DISTINCT day_end) FROM stock_snapshots) AS days, (SELECT MAX(seq) FROM movements) - (SELECT through_seq FROM stock_snapshot_state) AS unseen').get() as { days: number; unseen: number };
  console.log(
    `daily stock snapshots: ${fmt(snap.days)} day ends, ${fmt(snap.unseen)} movements recorded since (used up to ${fmt(UNSEEN_LIMIT)}); brought up to date in ${((performance.now() - s0) / 1000).toFixed(1)} s (${JSON.stringify(refreshed)})`,
  );
  const rawSql = cache.get('SELECT * FROM movements INDEXED BY IDX_movements_occurred ORDER BY occurred_at DESC, seq DESC LIMIT 200');
  return measurePages(
    combos,
    (filter, onDate) => {
      const p = new MovementQuery(db, filter, cache).page('desc', PAGE, undefined, undefined, { balanceOnDate: onDate });
      return { rows: p.rows.length, plan: p.plan };
    },
    () => rawSql.all(),
    rounds,
    'every combination p99 < 25 ms',
  );
}

/** The pair's figures for the side-by-side table: all combinations' first pages, the default view (balance column shown). */
export function reportPages(store: Store, movements: number, s: PagesSummary): void {
  const over = `${s.combinations} combinations over ${fmt(movements)} movements, balance column shown`;
  reportFigure('enquiryP95', store, { value: `p95 ${s.shown.p95.toFixed(1)} ms, ${over} (goal < 50 ms)`, ratio: s.shown.p95 / s.raw.p95, ceiling: 'the raw newest-200 read p95' });
  reportFigure('enquiryP99', store, { value: `p99 ${s.shown.p99.toFixed(1)} ms, ${over}`, ratio: s.shown.p99 / s.raw.p99, ceiling: 'the raw newest-200 read p99' });
}

/** `npm run bench -- --only enquiry-pages` (STOCKBOOK_BENCH_DEMO_DB=path reuses a demo ledger made by `npm run demo`). */
export async function enquiryPagesBench({ dir, movements }: BenchOptions): Promise<void> {
  const ledger = await demoLedger(dir, movements);
  const total = ledger.db.prepare('SELECT MAX(seq) FROM movements').pluck().get() as number;
  console.log(`\n## Enquiry first page over ${fmt(total)} movements, every filter/search combination`);
  reportPages('sqlite', total, await enquiryPages(ledger.db));
  await ledger.close();
}
