import { join } from 'node:path';
import { productsListSchema } from '../../shared/contract/masterdata.schemas';
import { createWorkerContext } from '../../electron/ledger/worker-context';
import { SqliteLedger } from '../../electron/ledger/store/sqlite-ledger';
import { masterDataOps } from '../../electron/masterdata/masterdata.ops';
import { fmt, pct, type BenchOptions } from './bench-options';

const PRODUCTS = Number(process.env.STOCKBOOK_BENCH_PRODUCTS ?? 100_000);
const RUNS = 40;
const STOCK_TYPES = ['Supplied', 'Supplied', 'Supplied', 'Preparation', 'Made', 'Recipe', 'Other'];
const TRACKING = ['BULK', 'BULK', 'BULK', 'BULK', 'LOT', 'LOT', 'SERIAL', 'RFID'];
const ADJ = ['Red', 'Blue', 'Green', 'Organic', 'Smoked', 'Fresh', 'Frozen', 'Large', 'Small', 'Premium', 'Classic', 'Wild'];
const NOUN = ['Cotton Shirt', 'Arborio Rice', 'Claret', 'Olive Oil', 'Sea Salt', 'Beer Tap', 'Coffee Beans', 'Oat Milk', 'Dark Chocolate', 'Basmati', 'Tonic', 'Gin'];

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
 * The Products window over a 100,000-product catalogue: the first page (200 full records and the total they match)
 * for each search, filter and sort the window offers, against a raw read of 200 products in the same run; and a
 * product's History among 100,000 master-data audit entries. The catalogue is inserted raw (this measures reading).
 */
export async function productsListBench({ dir }: BenchOptions): Promise<void> {
  const ledger = await SqliteLedger.open(join(dir, 'products-list.db'));
  const db = ledger.db;
  const t0 = performance.now();
  db.transaction(() => {
    const group = db.prepare('INSERT INTO product_groups (code, name, post_on_costs) VALUES (?, ?, 0)');
    for (let g = 1; g <= 20; g++) group.run(`G${g}`, `Group ${g}`);
    const product = db.prepare(
      `INSERT INTO products (sku, name, description, unit, scale, stock_type, tracking, group_id, stock_keeping, active, created_at)
       VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?, 0)`,
    );
    const barcode = db.prepare('INSERT INTO product_barcodes (barcode, product_id) VALUES (?, ?)');
    const audit = db.prepare(`INSERT INTO audit_log (at, user_id, username, action, detail) VALUES (?, 1, 'admin', 'master-data-changed', ?)`);
    for (let i = 0; i < PRODUCTS; i++) {
      const sku = `P${String(i).padStart(6, '0')}`;
      const name = `${ADJ[i % ADJ.length]} ${NOUN[Math.floor(i / ADJ.length) % NOUN.length]} ${1 + (i % 97)}`;
      const id = Number(
        product.run(sku, name, i % 3 ? 'ea' : 'kg', i % 3 ? 0 : 3, STOCK_TYPES[i % 7], TRACKING[i % 8], i % 5 ? 1 + (i % 20) : null, i % 50 ? 1 : 0, i % 40 ? 1 : 0).lastInsertRowid,
      );
      barcode.run(`5${String(10_000_000_000 + i * 7).padStart(12, '0')}`, id);
      const after = { id, sku, name, lowStockLevel: 5 };
      audit.run(i, JSON.stringify({ record: 'product', id, label: sku, before: null, after }));
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)'); // as the catalogue would be once imported: in the database file, not the WAL
  console.log(`\n## Products list over ${fmt(PRODUCTS)} products (first page = 200 full records + the total matched)`);
  console.log(`(catalogue inserted raw in ${((performance.now() - t0) / 1000).toFixed(1)} s, one barcode and one audit entry each)`);
  const md = masterDataOps(createWorkerContext(ledger, () => undefined));
  const pick = (sql: string) => db.prepare(sql).pluck().get() as number | string;
  const someBarcode = pick('SELECT barcode FROM product_barcodes ORDER BY rowid LIMIT 1 OFFSET 54321') as string;
  const combos: [string, Record<string, unknown>][] = [
    ['empty search', {}],
    ['empty search, by name', { sort: 'name' }],
    ['empty search, by name descending', { sort: 'name', desc: true }],
    ['SKU prefix (100 match)', { search: 'P0123' }],
    ['SKU exact', { search: 'P054321' }],
    ['name substring (common)', { search: 'olive oil' }],
    ['name substring (rare)', { search: 'wild gin 9' }],
    ['no match', { search: 'no such thing' }],
    ['barcode exact', { search: someBarcode }],
    ['stock type Recipe', { stockType: 'Recipe' }],
    ['tracking RFID', { tracking: 'RFID' }],
    ['inactive only', { active: false }],
    ['active only', { active: true }],
    ['stock keeping off', { stockKeeping: false }],
    ['product group', { groupId: 7 }],
    ['group + tracking + name search, by name', { groupId: 7, tracking: 'LOT', search: 'rice', sort: 'name' }],
  ];
  const all: number[] = [];
  console.log('search / filter | matched | p50 ms | p95 ms | p99 ms');
  let worst = 0;
  for (const [name, q] of combos) {
    const input = productsListSchema.parse(q);
    let total = 0;
    const t = timeIt(() => (total = md['masterdata.products'](input).total));
    all.push(...t);
    worst = Math.max(worst, pct(t, 95));
    console.log(`${name} | ${fmt(total)} | ${pct(t, 50).toFixed(2)} | ${pct(t, 95).toFixed(2)} | ${pct(t, 99).toFixed(2)}`);
  }
  all.sort((a, b) => a - b);
  const deep = timeIt(() => md['masterdata.products'](productsListSchema.parse({ offset: 50_000 })), 10);
  console.log(`page at row 50,000 (scrolled far down): p50 ${pct(deep, 50).toFixed(2)} ms`);
  const raw = timeIt(() => db.prepare('SELECT * FROM products LIMIT 200').all());
  const rawSorted = timeIt(() => db.prepare('SELECT * FROM products ORDER BY sku LIMIT 200').all());
  console.log(`ALL ${combos.length} combinations: p50 ${pct(all, 50).toFixed(2)} ms, p95 ${pct(all, 95).toFixed(2)} ms; worst combination p95 ${worst.toFixed(2)} ms (goal < 50 ms)`);
  console.log(`raw ceiling: SELECT * FROM products LIMIT 200: p50 ${pct(raw, 50).toFixed(3)} ms; ORDER BY sku (unique index): p50 ${pct(rawSorted, 50).toFixed(3)} ms`);
  const scan = timeIt(() => db.prepare('SELECT COUNT(*) FROM products WHERE sku LIKE ? OR name LIKE ?').get('%olive oil%', '%olive oil%'));
  const search = combos.find(([n]) => n === 'name substring (common)')!;
  const searchT = timeIt(() => md['masterdata.products'](productsListSchema.parse(search[1])));
  console.log(`raw search ceiling: one LIKE pass over every SKU and name, count only: p50 ${pct(scan, 50).toFixed(2)} ms → RATIO "${search[0]}" first page + total / raw pass = ${(pct(searchT, 50) / pct(scan, 50)).toFixed(1)}×`);
  console.log(`RATIO empty-search first page / raw 200 by SKU = ${(pct(all, 50) / pct(rawSorted, 50)).toFixed(1)}× (barcodes, movements, stock per row, and the total)`);
  const productId = pick('SELECT id FROM products ORDER BY id LIMIT 1 OFFSET 77777') as number;
  const h = timeIt(() => md['masterdata.history']({ record: 'product', id: productId }));
  console.log(`History of one product among ${fmt(PRODUCTS)} master-data audit entries: p50 ${pct(h, 50).toFixed(2)} ms, p95 ${pct(h, 95).toFixed(2)} ms`);
  await ledger.close();
}
