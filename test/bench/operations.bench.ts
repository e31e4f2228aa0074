import { join } from 'node:path';
import { openLedgerDataSource } from '../../electron/ledger/data-source';
import { createWorkerContext } from '../../electron/ledger/worker-context';
import { MOVEMENT_COLUMNS } from '../../electron/ledger/store/movement-hash';
import { SqliteLedger } from '../../electron/ledger/store/sqlite-ledger';
import { planImport } from '../../electron/operations/import-plan';
import { postingSecondsOf } from '../../electron/operations/import-rules';
import { operationsOps } from '../../electron/operations/operations.ops';
import { seedWorld } from './bench-data';
import { fmt, type BenchOptions } from './bench-options';
import { asUser } from '../fixtures/caller';

const ROWS = 100_000;

/** A 100,000-row CSV import as a job: check, then post all rows in one transaction; ratio to the bulk-posting ceiling (raw insert into the real movements table). */
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
  const plan = await planImport(ledger.db, csv, 'inventory_import', { locale: 'en-GB' });
  console.log(`preview (parse + check every row, nothing written): ${((performance.now() - tp) / 1000).toFixed(2)} s, ${plan.problemCount} problems`);

  let progressEvents = 0;
  const t0 = performance.now();
  const finished = new Promise<{ ok: boolean; message: string }>((resolve) => {
    const ctx = createWorkerContext(ledger, (event, payload) => {
      if (event === 'job.progress') progressEvents++;
      if (event === 'job.finished') resolve(payload as { ok: boolean; message: string });
    });
    operationsOps(ctx)['operations.importStart']({ csv, kind: 'inventory_import', jobId: 'bench-import', idempotencyKey: 'bench-import-0001', fileName: 'bench.csv' }, asUser(admin));
  });
  const done = await finished;
  const secs = (performance.now() - t0) / 1000;
  // The job times its posting phase (one transaction, after every row was checked) and says so in its message.
  const postSecs = postingSecondsOf(done.message) ?? secs;
  console.log(`import job: ${secs.toFixed(2)} s end to end = ${fmt(ROWS / secs)} rows/s (${done.ok ? done.message : `FAILED: ${done.message}`}), ${progressEvents} progress events`);

  // Ceiling, as for bulk posting: the very same movement rows inserted raw with one prepared statement, in one transaction,
  // into the real movements table of a fresh ledger (same schema and indexes; reference checks off).
  const rows = ledger.db.prepare(`SELECT ${MOVEMENT_COLUMNS.join(', ')} FROM movements ORDER BY seq`).raw().all() as unknown[][];
  const docRows = ledger.db.prepare('SELECT * FROM documents ORDER BY id').raw().all() as unknown[][];
  console.log(`verify: ${ledger.verify().ok ? 'all invariants hold' : 'FAILED'}`);
  await ledger.close();
  const raw = await openLedgerDataSource(join(dir, 'import-raw.db'));
  raw.db.pragma('foreign_keys = OFF');
  raw.db.transaction(() => {
    const d = raw.db.prepare(`INSERT INTO documents VALUES (${docRows[0]!.map(() => '?').join(', ')})`);
    for (const r of docRows) d.run(...r);
  })();
  const insert = raw.db.prepare(`INSERT INTO movements (${MOVEMENT_COLUMNS.join(', ')}) VALUES (${MOVEMENT_COLUMNS.map(() => '?').join(', ')})`);
  const t1 = performance.now();
  raw.db.transaction(() => {
    for (const r of rows) insert.run(...r);
  })();
  const rawRate = rows.length / ((performance.now() - t1) / 1000);
  await raw.dataSource.destroy();
  console.log(`raw better-sqlite3 insert of the same ${fmt(rows.length)} rows (real movements table and indexes, one transaction): ${fmt(rawRate)} rows/s`);
  console.log(`posting phase (ledger throughput during the import): ${postSecs.toFixed(2)} s = ${fmt(ROWS / postSecs)} movements/s; RATIO posting / raw ceiling = ${(ROWS / postSecs / rawRate).toFixed(3)} (goal ≥ 0.25)`);
  console.log(`RATIO import end to end (parse, check, post) / raw ceiling = ${(ROWS / secs / rawRate).toFixed(3)}`);
}
