/**
 * The process the crash tests kill (SIGKILL at a random instant). `post`: posts documents of 1..7 lines
 * forever, printing "C <key>" after each commit. `import`: imports 100,000 rows through the operations
 * import job, printing "IMPORTED" when done. Run: node --import tsx crash-child.ts <mode> <db> <runId>
 */
import { writeSync } from 'node:fs';
import { createWorkerContext } from '../ledger/worker-context';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { operationsOps } from '../operations/operations.ops';

const [mode, dbPath, runId] = process.argv.slice(2) as ['post' | 'import', string, string];
const say = (line: string) => writeSync(1, `${line}\n`);

const ledger = await SqliteLedger.open(dbPath);
const id = (sql: string) => (ledger.db.prepare(sql).get() as { id: number }).id;
const wh = id("SELECT id FROM sites WHERE code = 'WH1'");
const bar = id("SELECT id FROM sites WHERE code = 'BAR'");
const products = (ledger.db.prepare("SELECT id FROM products WHERE sku LIKE 'CRASH-%' ORDER BY id").all() as { id: number }[]).map((p) => p.id);
const admin = id("SELECT id FROM users WHERE username = 'admin'");

if (mode === 'post') {
  say('READY');
  for (let i = 1; ; i++) {
    const n = 1 + (i % 7);
    const key = `crash-${runId}-${i}-L${n}`;
    const lines = Array.from({ length: n }, (_, j) => ({
      productId: products[(i + j) % products.length]!,
      siteId: j % 2 ? bar : wh,
      type: 'supplier_order' as const,
      qty: 1 + ((i * 7 + j) % 50),
      unitCost: 100 + j,
    }));
    ledger.poster.post({ idempotencyKey: key, type: 'receipt', reference: key, lines }, admin);
    say(`C ${key}`);
    if (i % 25 === 0) await new Promise((r) => setImmediate(r));
  }
} else {
  const rows = ['sku,site,bin,qty,batch,expiry,serial,unit_cost'];
  for (let i = 0; i < 100_000; i++) rows.push(`CRASH-${String(i % 20).padStart(2, '0')},${i % 2 ? 'BAR' : 'WH1'},,${1 + (i % 9)},,,,1.25`);
  const ops = operationsOps(
    createWorkerContext(ledger, (event, payload) => {
      if (event === 'job.finished') {
        const p = payload as { ok: boolean; message: string };
        say(p.ok ? 'IMPORTED' : `FAILED ${p.message}`);
        void ledger.close().then(() => process.exit(0));
      }
    }),
  );
  say('READY');
  ops.opsImportStart({ jobId: `import-${runId}`, idempotencyKey: `crash-import-${runId}`, kind: 'inventory_import', csv: rows.join('\n'), fileName: `crash-${runId}.csv` }, admin);
}
