import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDemo } from '../../electron/demo/generate-demo';
import { SqliteLedger } from '../../electron/ledger/store/sqlite-ledger';

const made = new Map<string, string>();

/**
 * A demo ledger of `movements` rows, generated once per bench run and shared by the sections that read it (checkpointed).
 * STOCKBOOK_BENCH_DEMO_DB=path copies that ledger (checkpointed, made by `stockbook demo`) into the run's folder instead,
 * once per run (the sections share the copy, as they share a generated one).
 */
export async function demoLedger(dir: string, movements: number): Promise<SqliteLedger> {
  const key = `${dir}:${movements}`;
  let path = made.get(key);
  const reuse = process.env.STOCKBOOK_BENCH_DEMO_DB;
  if (reuse && !path) {
    path = join(dir, 'demo-reused.db');
    copyFileSync(reuse, path);
    made.set(key, path);
  }
  if (!path) {
    path = join(dir, `demo-${movements}.db`);
    const ledger = await SqliteLedger.open(path);
    await generateDemo(ledger, { movements });
    ledger.db.pragma('wal_checkpoint(TRUNCATE)');
    made.set(key, path);
    return ledger;
  }
  return SqliteLedger.open(path);
}

/** Posts `n` new movements (documents of 100 receipt lines of one bulk product) after whatever the ledger holds. */
export function postMore(ledger: SqliteLedger, n: number, keyPrefix: string): void {
  const site = (ledger.db.prepare("SELECT id FROM sites WHERE code != 'EXTERNAL' LIMIT 1").get() as { id: number }).id;
  const product = (ledger.db.prepare("SELECT id FROM products WHERE tracking = 'BULK' AND stock_type != 'Recipe' LIMIT 1").get() as { id: number }).id;
  const docs = [];
  for (let made = 0, d = 0; made < n; d++) {
    const lines = Math.min(100, n - made);
    docs.push({ idempotencyKey: `${keyPrefix}-${d}`, type: 'receipt' as const, lines: Array.from({ length: lines }, () => ({ productId: product, siteId: site, type: 'supplier_order' as const, qty: 1, unitCost: 1 })) });
    made += lines;
  }
  ledger.poster.postMany(docs, 2);
}
