import { copyFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generateDemo } from '../../electron/demo/generate-demo';
import { SqliteLedger } from '../../electron/ledger/store/sqlite-ledger';
import { runBackup } from '../../electron/safety/backup-service';
import { fmt, type BenchOptions } from './bench-options';

/**
 * Online backup of a ledger of `movements` rows (SQLite backup API + integrity_check + verify on the copy,
 * checked off-thread), against the ceiling of a plain file copy of the same (checkpointed) file in the same run;
 * and the commit latency seen by a writer while the backup runs.
 */
export async function backupBench({ dir, movements }: BenchOptions): Promise<void> {
  const n = Math.min(movements, 1_000_000);
  console.log(`\n## Online backup of a ${fmt(n)}-movement ledger`);
  const ledger = await SqliteLedger.open(join(dir, 'backup.db'));
  await generateDemo(ledger, { movements: n });
  ledger.db.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = statSync(ledger.path).size;

  let t = performance.now();
  copyFileSync(ledger.path, join(dir, 'plain-copy.db'));
  const copyMs = performance.now() - t;

  t = performance.now();
  await ledger.db.backup(join(dir, 'api-copy.db'));
  const apiMs = performance.now() - t;

  const site = (ledger.db.prepare("SELECT id FROM sites WHERE code != 'EXTERNAL' LIMIT 1").get() as { id: number }).id;
  const product = (ledger.db.prepare("SELECT id FROM products WHERE tracking = 'BULK' AND stock_type != 'Recipe' LIMIT 1").get() as { id: number }).id;
  const latencies: number[] = [];
  let writing = true;
  let i = 0;
  const writer = (async () => {
    while (writing) {
      const s = performance.now();
      ledger.poster.post({ idempotencyKey: `bench-backup-${i++}`, type: 'receipt', lines: [{ productId: product, siteId: site, type: 'supplier_order', qty: 1, unitCost: 1 }] }, 2);
      latencies.push(performance.now() - s);
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  t = performance.now();
  const b = await runBackup(ledger, 'manual', { folder: join(dir, 'backups'), offThread: true });
  const backupMs = performance.now() - t;
  writing = false;
  await writer;
  latencies.sort((a, c) => a - c);
  const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? 0;
  console.log(`  file: ${fmt(bytes / 1024 / 1024)} MB; plain file copy (ceiling): ${copyMs.toFixed(0)} ms`);
  console.log(`  SQLite online backup API alone: ${apiMs.toFixed(0)} ms — ${(copyMs / apiMs).toFixed(2)} of the plain-copy ceiling`);
  console.log(
    `  whole checked backup with a writer posting beside it (copy + integrity_check + full verify off-thread, ${b.ok ? 'ok' : 'FAILED'}): ${backupMs.toFixed(0)} ms — ${fmt(n / (backupMs / 1000))} movements/s, ${(copyMs / backupMs).toFixed(3)} of the plain-copy ceiling`,
  );
  console.log(`  ${fmt(latencies.length)} documents committed during the backup; commit p99 ${p99.toFixed(2)} ms (the writer was never stopped)`);
  await ledger.close();
}
