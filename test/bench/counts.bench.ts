import { join } from 'node:path';
import { countServices } from '../../electron/counts/counts.ops';
import { SqliteLedger } from '../../electron/ledger/store/sqlite-ledger';
import type { PostDocumentInput } from '../../shared/contract/schemas';
import { seedWorld } from './bench-data';
import { fmt, type BenchOptions } from './bench-options';

const LINES = 10_000;
const ODOO_LINES_PER_SEC = 14;

/** A 10,000-line full count: create (snapshot), 10,000 line edits, complete — against raw SQLite ceilings. */
export async function countsBench({ dir }: BenchOptions): Promise<void> {
  console.log(`\n## Stock count of ${fmt(LINES)} lines (create with snapshot, ${fmt(LINES)} line edits, complete)`);
  const ledger = await SqliteLedger.open(join(dir, 'counts.db'));
  const world = seedWorld(ledger, 2000);
  const admin = ledger.reference.userId('admin');
  const site = world.sites[0]!;
  const bins = world.bins.get(site)!;
  // 2,000 products × 5 bins = 10,000 quants at one site
  const docs: PostDocumentInput[] = [];
  for (let b = 0; b < 5; b++) {
    docs.push({
      idempotencyKey: `count-bench-stock-${b}`,
      type: 'receipt',
      lines: world.products.map((p) => ({ productId: p, siteId: site, binId: bins[b]!, type: 'inbound' as const, qty: 100, unitCost: 12_500 })),
    });
  }
  ledger.poster.postMany(docs, admin);
  const c = countServices(ledger);

  let t = performance.now();
  const sessionId = c.sessions.create({ siteId: site, notes: 'bench' }, admin);
  const createMs = performance.now() - t;
  const lines = c.queries.lines(sessionId);
  if (lines.length !== LINES) throw new Error(`expected ${LINES} lines, got ${lines.length}`);

  // Raw ceiling for the snapshot: the very same INSERT…SELECT into a plain table in the same file, one durable commit.
  ledger.db.exec('CREATE TABLE raw_lines AS SELECT * FROM count_lines WHERE 0');
  const rawSnapshot = ledger.db.prepare(
    'INSERT INTO raw_lines (session_id, stock_level_id, product_id, bin_id, batch_id, system_qty) SELECT 0, id, product_id, bin_id, batch_id, qty FROM stock_levels WHERE site_id = ? AND qty <> 0',
  );
  t = performance.now();
  ledger.db.transaction(() => rawSnapshot.run(site))();
  const rawCreateMs = performance.now() - t;
  console.log(`create (snapshot of ${fmt(LINES)} quants): ${createMs.toFixed(1)} ms; raw INSERT…SELECT of the same rows: ${rawCreateMs.toFixed(1)} ms; RATIO raw/ours = ${(rawCreateMs / createMs).toFixed(2)}`);

  t = performance.now();
  const sheet = c.queries.lines(sessionId);
  console.log(`read the whole sheet (${fmt(sheet.length)} lines with moved-since, cost, codes): ${(performance.now() - t).toFixed(1)} ms`);

  // 10,000 single edits, each its own durable transaction (what autosave does, synchronous=FULL, WAL)
  t = performance.now();
  lines.forEach((l, i) => c.editing.setCounted(sessionId, l.id, l.systemQty + ((i % 7) - 3), admin));
  const editSecs = (performance.now() - t) / 1000;
  const upd = ledger.db.prepare('UPDATE raw_lines SET counted_qty = ? WHERE rowid = ?');
  t = performance.now();
  for (let i = 1; i <= LINES; i++) ledger.db.transaction(() => upd.run(i, i))();
  const rawEditSecs = (performance.now() - t) / 1000;
  console.log(
    `${fmt(LINES)} line edits, one commit each: ${editSecs.toFixed(2)} s = ${fmt(LINES / editSecs)} edits/s (${((editSecs / LINES) * 1000).toFixed(3)} ms each); ` +
      `raw UPDATE by rowid, one durable commit each: ${fmt(LINES / rawEditSecs)} /s; RATIO = ${(rawEditSecs / editSecs).toFixed(2)}`,
  );
  t = performance.now();
  c.editing.setCountedMany({ sessionId, entries: lines.map((l, i) => ({ lineId: l.id, countedQty: l.systemQty + ((i % 7) - 3) })) }, admin);
  console.log(`${fmt(LINES)} line edits in one transaction (CSV import): ${(performance.now() - t).toFixed(1)} ms`);

  t = performance.now();
  const done = c.completion.complete(sessionId, admin);
  const completeSecs = (performance.now() - t) / 1000;
  console.log(
    `complete: ${fmt(done.movementCount)} Stock Taking movements posted from ${fmt(LINES)} lines in ${(completeSecs * 1000).toFixed(0)} ms = ${fmt(LINES / completeSecs)} lines/s ` +
      `(Odoo validates ~${ODOO_LINES_PER_SEC} lines/s: ×${fmt(LINES / completeSecs / ODOO_LINES_PER_SEC)})`,
  );
  const report = ledger.verify();
  console.log(`verify after the count: ${report.ok ? 'all invariants hold' : 'FAILED'}`);
  await ledger.close();
}
