import { copyFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runBackup } from '../../electron/safety/backup-service';
import { fmt, type BenchOptions } from './bench-options';
import { demoLedger, postMore } from './demo-ledger';

const NEW_MOVEMENTS = 10_000;

/**
 * Checked online backup of a ledger of `movements` rows (one snapshot copied as a file plus its WAL frames, proven equal page
 * for page, + verify on the copy, off-thread),
 * against the ceiling of a plain file copy of the same (checkpointed) file in the same run: the first backup (nothing
 * anchored yet: a full verify pass), then one after NEW_MOVEMENTS more (verify from the first backup's anchor), the
 * second with a writer committing beside it. The old check (integrity_check + full verify) with --full-backup-check.
 */
export async function backupBench({ dir, movements }: BenchOptions): Promise<void> {
  const n = Math.min(movements, 1_000_000);
  console.log(`\n## Checked backup of a ${fmt(n)}-movement ledger`);
  const ledger = await demoLedger(dir, n);
  ledger.db.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = statSync(ledger.path).size;

  let t = performance.now();
  copyFileSync(ledger.path, join(dir, 'plain-copy.db'));
  const copyMs = performance.now() - t;
  const ratio = (ms: number) => `${(ms / copyMs).toFixed(1)}× the plain copy`;
  console.log(`  file: ${fmt(bytes / 1024 / 1024)} MB; plain file copy (ceiling): ${copyMs.toFixed(0)} ms`);

  t = performance.now();
  await ledger.db.backup(join(dir, 'api-copy.db'));
  const apiMs = performance.now() - t;
  console.log(`  SQLite online backup API alone: ${apiMs.toFixed(0)} ms — ${ratio(apiMs)}`);

  const folder = join(dir, 'backups');
  t = performance.now();
  const first = await runBackup(ledger, 'manual', { folder, offThread: true });
  const firstMs = performance.now() - t;
  console.log(`  first checked backup (nothing anchored: page proof + full verify pass, ${first.ok ? 'ok' : 'FAILED'}): ${firstMs.toFixed(0)} ms — ${ratio(firstMs)}`);

  postMore(ledger, NEW_MOVEMENTS, 'bench-backup-more');
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
  const second = await runBackup(ledger, 'manual', { folder, offThread: true });
  const secondMs = performance.now() - t;
  writing = false;
  await writer;
  latencies.sort((a, c) => a - c);
  const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? 0;
  console.log(
    `  checked backup after ${fmt(NEW_MOVEMENTS)} new movements, a writer posting beside it (page proof + verify from the last anchor, ${second.ok ? 'ok' : 'FAILED'}): ${secondMs.toFixed(0)} ms — ${ratio(secondMs)}`,
  );
  console.log(`    ${second.message}`);
  console.log(`  ${fmt(latencies.length)} documents committed during that backup; commit p99 ${p99.toFixed(2)} ms (the writer was never stopped)`);
  if (process.argv.includes('--full-backup-check')) {
    t = performance.now();
    const full = await runBackup(ledger, 'manual', { folder, offThread: true, check: 'full' });
    const fullMs = performance.now() - t;
    console.log(`  checked backup with the full check (integrity_check + full verify, ${full.ok ? 'ok' : 'FAILED'}): ${fullMs.toFixed(0)} ms — ${ratio(fullMs)}`);
  }
  await ledger.close();
}
