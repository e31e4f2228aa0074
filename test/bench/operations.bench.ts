import { join } from 'node:path';
import { createWorkerContext } from '../../electron/ledger/worker-context';
import { MOVEMENT_COLUMNS } from '../../electron/ledger/store/movement-hash';
import { SqliteLedger } from '../../electron/ledger/store/sqlite-ledger';
import { planImport } from '../../electron/operations/import-plan';
import { operationsOps } from '../../electron/operations/operations.ops';
import { seedWorld } from './bench-data';
import { fmt, type BenchOptions } from './bench-options';

const ROWS = 100_000;

/** A 100,000-row CSV import as a job: check, then post all rows in one transaction; ratio to a raw insert of the same rows. */
export async function importBench({ dir }: BenchOptions): Promise<void> {
  console.log(`\n## Inventory import of ${fmt(ROWS)} CSV rows (background job: check every row, then post all or none)`);
  const ledger = await SqliteLedger.open(join(dir, 'import.db'));
  const world = seedWorld(ledger);
  const admin = ledger.reference.userId('admin');
  const lines = ['sku,site,bin,qty,batch,expiry,serial,unit_cost'];
  for (let i = 0; i < ROWS; i++) lines.push(`P${String(i % world.products.length).padStart(6, '0')},WH${(i % 2) + 1},A-${String((i % 10) + 1).padStart(2, '0')},${1 + (i % 40)},,,,${(1 + (i % 900) / 100).toFixed(2)}`);
  const csv = lines.join('\n');
  console.log(`file: ${(csv.length / 1e6).toFixed(1)} MB`);

  const tp = performance.now();
  const plan = await planImport(ledger.db, csv, 'inventory_import');
  console.log(`preview (parse + check every row, nothing written): ${((performance.now() - tp) / 1000).toFixed(2)} s, ${plan.problemCount} problems`);

  let progressEvents = 0;
  let postingStart = 0;
  const t0 = performance.now();
  const finished = new Promise<{ ok: boolean; message: string }>((resolve) => {
    const ctx = createWorkerContext(ledger, (event, payload) => {
      if (event === 'job.progress') {
        progressEvents++;
        if (!postingStart && (payload as { phase: string }).phase === 'posting') postingStart = performance.now();
      }
      if (event === 'job.finished') resolve(payload as { ok: boolean; message: string });
    });
    operationsOps(ctx).opsImportStart({ csv, kind: 'inventory_import', jobId: 'bench-import', idempotencyKey: 'bench-import-0001', fileName: 'bench.csv' }, admin);
  });
  const done = await finished;
  const end = performance.now();
  const secs = (end - t0) / 1000;
  const postSecs = postingStart ? (end - postingStart) / 1000 : secs;
  console.log(`import job: ${secs.toFixed(2)} s end to end = ${fmt(ROWS / secs)} rows/s (${done.ok ? done.message : `FAILED: ${done.message}`}), ${progressEvents} progress events`);

  // Ceiling: the same movement rows inserted raw, one prepared statement, one transaction, into a fresh table of the same shape.
  const rows = ledger.db.prepare(`SELECT ${MOVEMENT_COLUMNS.join(', ')} FROM movements ORDER BY seq`).raw().all() as unknown[][];
  ledger.db.exec(`CREATE TEMP TABLE raw_movements AS SELECT ${MOVEMENT_COLUMNS.join(', ')} FROM movements WHERE 0`);
  const insert = ledger.db.prepare(`INSERT INTO raw_movements (${MOVEMENT_COLUMNS.join(', ')}) VALUES (${MOVEMENT_COLUMNS.map(() => '?').join(', ')})`);
  const t1 = performance.now();
  ledger.db.transaction(() => {
    for (const r of rows) insert.run(...r);
  })();
  const rawRate = rows.length / ((performance.now() - t1) / 1000);
  console.log(`raw better-sqlite3 insert of the same ${fmt(rows.length)} rows: ${fmt(rawRate)} rows/s`);
  console.log(`posting phase (ledger throughput during the import): ~${postSecs.toFixed(2)} s = ${fmt(ROWS / postSecs)} movements/s; RATIO posting / raw ceiling = ${(ROWS / postSecs / rawRate).toFixed(3)}`);
  console.log(`RATIO import end to end / raw ceiling = ${(ROWS / secs / rawRate).toFixed(3)}`);
  console.log(`verify: ${ledger.verify().ok ? 'all invariants hold' : 'FAILED'}`);
  await ledger.close();
}
