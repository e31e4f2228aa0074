import type pg from 'pg';
import { PgMovementQuery } from '../../electron/enquiry/pg/pg-movement-query';
import { PgMovementStore } from '../../electron/enquiry/pg/pg-movement-store';
import { migratePg } from '../../electron/ledger/pg/pg-data-source';
import { openPool } from '../../electron/ledger/pg/pg-types';
import { startTestCluster } from '../../electron/ledger/pg/test-cluster';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import { fmt, pct, type BenchOptions } from './bench-options';

const DAY = 86_400_000;
export const END = Date.UTC(2026, 0, 1);
const PRODUCTS = 2_000;
const BATCHES = 20_000;
const TYPES = ['sale', 'supplier_order', 'transfer_out', 'transfer_in', 'wastage', 'inbound', 'production_in', 'production_out'];

/**
 * A ledger of `n` movements made inside PostgreSQL (generate_series, a fixed seed): 4 sites with 5 bins each, 2,000
 * products whose use is skewed (a few busy, most rare), 20,000 batches on a third of the lines, 8 movement types, three
 * users, two years of effective time, documents of five lines. The hash columns hold a placeholder: this ledger is read,
 * never verified. Stock levels are the movements' sums per product/site, as the balance column reads them.
 */
export async function makeLedger(pool: pg.Pool, n: number): Promise<void> {
  const span = 2 * 365 * DAY;
  await pool.query(`SELECT setseed(0.42)`);
  await pool.query(`INSERT INTO users (username, display_name, created_at) SELECT 'clerk' || g, 'Clerk ' || g, 0 FROM generate_series(1, 3) g`);
  await pool.query(`INSERT INTO sites (code, name, kind) SELECT 'S' || g, 'Site ' || g, 'warehouse' FROM generate_series(1, 4) g`);
  await pool.query(`INSERT INTO bins (site_id, code, name) SELECT s.id, 'B-' || g, 'Bin ' || g FROM sites s CROSS JOIN generate_series(1, 5) g WHERE s.kind <> 'external' ORDER BY s.id, g`);
  const words = `(ARRAY['Red','White','Rose','Sparkling','Olive','Arborio','Lager','Stout','Gin','Tonic'])`;
  await pool.query(`INSERT INTO products (sku, name, stock_type, created_at) SELECT 'P' || lpad(g::text, 6, '0'), ${words}[1 + g % 10] || ' ' || ${words}[1 + (g / 10) % 10] || ' ' || g, 'Supplied', 0 FROM generate_series(1, ${PRODUCTS}) g`);
  await pool.query(`INSERT INTO batches (product_id, code, expiry, created_at)
    SELECT 1 + (g % ${PRODUCTS}), 'L' || lpad(g::text, 6, '0'), to_char(date '2026-01-01' + (g % 900), 'YYYY-MM-DD'), 0 FROM generate_series(1, ${BATCHES}) g`);
  await pool.query(`INSERT INTO documents (type, user_id, occurred_at, recorded_at, idempotency_key, payload_hash)
    SELECT 'receipt', 2 + (g % 3), ${END - span} + (g::bigint * ${span} / ${Math.ceil(n / 5)}), ${END - span} + (g::bigint * ${span} / ${Math.ceil(n / 5)}) + 60000, 'bench-' || g, 'x'
    FROM generate_series(1, ${Math.ceil(n / 5)}) g`);
  const sites = '(SELECT array_agg(id ORDER BY id) FROM sites WHERE kind <> \'external\')';
  // Each site's five bins, in site order (inserted so), as one array: site i's bins are entries 5i+1..5i+5.
  const bins = '(SELECT array_agg(b.id ORDER BY b.site_id, b.id) FROM bins b)';
  await pool.query(`INSERT INTO movements (seq, document_id, line_no, product_id, site_id, bin_id, batch_id, type, qty, balance_after, occurred_at, recorded_at, user_id, unit_cost, cost_source, prev_hash, hash)
    SELECT g, d.id, 1 + (g - 1) % 5, x.p, x.s, CASE WHEN g % 4 = 0 THEN NULL ELSE (${bins})[1 + x.si * 5 + g % 5] END,
      CASE WHEN g % 3 = 0 THEN 1 + ((x.p - 1) + ${PRODUCTS} * (g % 10)) END,
      (ARRAY${JSON.stringify(TYPES).replaceAll('"', "'")})[1 + floor(power(random(), 2) * 8)::int], CASE WHEN random() < 0.5 THEN 1000 ELSE -700 END, 0,
      d.occurred_at, d.recorded_at, d.user_id, 25000, 'declared', 'x', 'x'
    FROM generate_series(1, ${n}) g
    JOIN documents d ON d.id = 1 + (g - 1) / 5
    CROSS JOIN LATERAL (SELECT 1 + floor(power(random(), 3) * ${PRODUCTS})::int + 0 * g AS p, floor(random() * 4)::int + 0 * g AS si) r
    CROSS JOIN LATERAL (SELECT r.p, r.si, (${sites})[1 + r.si] AS s) x`);
  await pool.query(`INSERT INTO stock_levels (product_id, site_id, qty, last_movement_at, last_seq)
    SELECT product_id, site_id, SUM(qty), MAX(occurred_at), MAX(seq) FROM movements GROUP BY product_id, site_id`);
  await pool.query('VACUUM ANALYZE');
}

/**
 * `npm run bench -- --store postgres`: the movement enquiry's first page on PostgreSQL over `movements` movements
 * (a PostgreSQL ledger made in the database, see makeLedger), for filter combinations from the common to the
 * worst, the balance column shown and hidden, against the same run's raw ceiling: the 200 newest movements read by
 * primary key with nothing joined.
 */
export async function pgEnquiryPages({ movements: n, quick }: BenchOptions): Promise<void> {
  console.log(`\n## PostgreSQL: movement enquiry first page over ${fmt(n)} movements (200 rows, newest first)`);
  const cluster = await startTestCluster();
  try {
    const connection = cluster.createDatabase('enquiry');
    await migratePg(connection);
    const pool = openPool(connection, 2);
    try {
      const t0 = performance.now();
      await makeLedger(pool, n);
      console.log(`ledger made in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const busy = 1;
      const rare = PRODUCTS - 3;
      const bins = (await pool.query<{ id: number }>('SELECT id FROM bins ORDER BY id LIMIT 1')).rows[0]!.id;
      const sites = (await pool.query<{ id: number }>("SELECT id FROM sites WHERE kind <> 'external' ORDER BY id LIMIT 1")).rows[0]!.id;
      const month = { from: END - 400 * DAY, to: END - 370 * DAY };
      const filters: [string, MovementFilter][] = [
        ['no filter', {}],
        ['busiest product', { productId: busy }],
        ['a rare product', { productId: rare }],
        ['a site', { siteId: sites }],
        ['a bin', { binId: bins }],
        ['a common type', { types: ['sale'] }],
        ['a rare type', { types: ['production_out'] }],
        ['site + type + month', { siteId: sites, types: ['wastage'], occurred: month }],
        ['occurred: a month', { occurred: month }],
        ['a day a year ago', { occurred: { from: END - 365 * DAY, to: END - 364 * DAY } }],
        ['name word', { search: 'stout' }],
        ['name word + type', { search: 'gin', types: ['transfer_in'] }],
        ['SKU prefix', { search: 'P0019' }],
        ['batch prefix', { search: 'L0001' }],
        ['expiry range', { expiry: { from: '2026-03-01', to: '2026-03-10' } }],
        ['a user', { userId: 3 }],
        ['a document', { documentId: Math.floor(n / 10) }],
        ['rare product + type', { productId: rare, types: ['sale'] }],
        ['recorded: a week', { recorded: { from: END - 100 * DAY, to: END - 93 * DAY } }],
      ];
      const store = new PgMovementStore(pool);
      const rounds = quick ? 10 : 40;
      const head = n;
      const rawTimes: number[] = [];
      for (let i = 0; i < rounds * 2; i++) {
        const t = performance.now();
        await pool.query('SELECT * FROM movements WHERE seq > $1 ORDER BY seq DESC', [head - 200]);
        rawTimes.push(performance.now() - t);
      }
      rawTimes.sort((a, b) => a - b);
      const rawP99 = pct(rawTimes, 99);
      console.log(`raw ceiling (200 newest movements by primary key, nothing joined): p50 ${pct(rawTimes, 50).toFixed(1)} ms, p95 ${pct(rawTimes, 95).toFixed(1)} ms, p99 ${rawP99.toFixed(1)} ms`);
      console.log('| filter | rows | p50 / p95 / p99 ms, column shown | p50 / p95 / p99 ms, hidden | plan (PostgreSQL) |');
      console.log('| --- | --- | --- | --- | --- |');
      const all: Record<'shown' | 'hidden', number[]> = { shown: [], hidden: [] };
      for (const [name, filter] of filters) {
        const times: Record<'shown' | 'hidden', number[]> = { shown: [], hidden: [] };
        let rows = 0;
        for (let i = 0; i < rounds; i++) {
          for (const column of ['shown', 'hidden'] as const) {
            const t = performance.now();
            const q = await PgMovementQuery.open(store, filter);
            const page = await q.page('desc', 200, 'UTC', undefined, undefined, { balanceOnDate: column === 'shown' });
            times[column].push(performance.now() - t);
            rows = page.rows.length;
          }
        }
        const plan = (await (await PgMovementQuery.open(store, filter)).explain('desc', 200)).find((l) => /Scan/.test(l) && /movements m_1|movements m\b/.test(l)) ?? '';
        const cell = (xs: number[]) => {
          xs.sort((a, b) => a - b);
          return `${pct(xs, 50).toFixed(1)} / ${pct(xs, 95).toFixed(1)} / ${pct(xs, 99).toFixed(1)}`;
        };
        all.shown.push(...times.shown);
        all.hidden.push(...times.hidden);
        console.log(`| ${name} | ${rows} | ${cell(times.shown)} | ${cell(times.hidden)} | ${plan.trim().replace(/\s+\(cost.*$/, '')} |`);
      }
      for (const column of ['shown', 'hidden'] as const) {
        const xs = all[column].sort((a, b) => a - b);
        console.log(`all ${filters.length} filters, column ${column}: p95 ${pct(xs, 95).toFixed(1)} ms (goal < 50 ms), p99 ${pct(xs, 99).toFixed(1)} ms; RATIO p99 / raw p99 = ${(pct(xs, 99) / rawP99).toFixed(2)}`);
      }
    } finally {
      await pool.end();
    }
  } finally {
    cluster.stop();
  }
}
