import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import { MovementQuery, StatementCache } from '../../electron/enquiry/movement-query';
import { UNSEEN_LIMIT } from '../../electron/enquiry/balance-on-date-store';
import { StockSnapshots } from '../../electron/enquiry/stock-snapshots';
import { generateDemo } from '../../electron/demo/generate-demo';
import { SqliteLedger } from '../../electron/ledger/store/sqlite-ledger';
import { fmt, pct, type BenchOptions } from './bench-options';

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
  ];
}

/**
 * The enquiry window's first page (200 rows with names, batch, source, user; the plan chosen afresh per call, as a new
 * filter is) for every combination, with the "Balance on that date" column shown (the default) and hidden. The runs go
 * round-robin over the combinations so a burst of load on the shared machine lands on all of them alike. Each
 * percentile is set against the same run's raw ceiling: the newest 200 rows read by the occurred_at index, no joins.
 */
export function enquiryPages(db: Database.Database, rounds = Number(process.env.STOCKBOOK_BENCH_ROUNDS ?? 100)): void {
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
  const rawSql = 'SELECT * FROM movements INDEXED BY IDX_movements_occurred ORDER BY occurred_at DESC, seq DESC LIMIT 200';
  const variants = [
    { label: 'balance on that date shown', onDate: true },
    { label: 'balance on that date hidden', onDate: false },
  ];
  const times = combos.map(() => variants.map(() => [] as number[]));
  const raw: number[] = [];
  const info = combos.map(() => ({ plan: '', rows: 0 }));
  for (let round = 0; round < rounds; round++) {
    combos.forEach(([, filter], c) => {
      variants.forEach(({ onDate }, v) => {
        const s = performance.now();
        const p = new MovementQuery(db, filter, cache).page('desc', PAGE, undefined, undefined, { balanceOnDate: onDate });
        times[c]![v]!.push(performance.now() - s);
        info[c] = { plan: p.plan, rows: p.rows.length };
      });
      const s = performance.now();
      cache.get(rawSql).all();
      raw.push(performance.now() - s);
    });
  }
  for (const t of times.flat()) t.sort((a, b) => a - b);
  raw.sort((a, b) => a - b);
  const ceil = { p50: pct(raw, 50), p95: pct(raw, 95), p99: pct(raw, 99) };
  const f = (n: number) => n.toFixed(2);
  console.log(`raw ceiling (newest 200 by the occurred_at index, no joins), ${fmt(raw.length)} runs: p50 ${f(ceil.p50)} ms, p95 ${f(ceil.p95)} ms, p99 ${f(ceil.p99)} ms`);
  variants.forEach(({ label }, v) => {
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
    console.log(`ALL ${combos.length} combinations: p50 ${f(pct(all, 50))}, p95 ${f(pct(all, 95))}, p99 ${f(pct(all, 99))} ms (${(pct(all, 99) / ceil.p99).toFixed(1)}× raw p99)`);
    console.log(`WORST combination by p99: ${combos[worst]![0]}: p99 ${f(pct(w, 99))} ms = ${(pct(w, 99) / ceil.p99).toFixed(1)}× raw p99 (goal: every combination p99 < 25 ms)`);
  });
}

/** `npm run bench -- --only enquiry-pages` (STOCKBOOK_BENCH_DEMO_DB=path reuses a demo ledger made by `npm run demo`). */
export async function enquiryPagesBench({ dir, movements }: BenchOptions): Promise<void> {
  const reuse = process.env.STOCKBOOK_BENCH_DEMO_DB;
  const ledger = await SqliteLedger.open(reuse ?? join(dir, 'enquiry-pages.db'));
  if (!reuse) await generateDemo(ledger, { movements });
  const total = ledger.db.prepare('SELECT MAX(seq) FROM movements').pluck().get() as number;
  console.log(`\n## Enquiry first page over ${fmt(total)} movements, every filter/search combination`);
  enquiryPages(ledger.db);
  await ledger.close();
}
