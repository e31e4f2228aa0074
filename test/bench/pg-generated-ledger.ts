import type pg from 'pg';

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
  await pool.query(`INSERT INTO batches (id, product_id, code, expiry, created_at)
    SELECT g, 1 + (g % ${PRODUCTS}), 'L' || lpad(g::text, 6, '0'), to_char(date '2026-01-01' + (g % 900), 'YYYY-MM-DD'), 0 FROM generate_series(1, ${BATCHES}) g`);
  await pool.query(`INSERT INTO documents (id, type, user_id, occurred_at, recorded_at, idempotency_key, payload_hash)
    SELECT g, 'receipt', 2 + (g % 3), ${END - span} + (g::bigint * ${span} / ${Math.ceil(n / 5)}), ${END - span} + (g::bigint * ${span} / ${Math.ceil(n / 5)}) + 60000, 'bench-' || g, 'x'
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
