import { join } from 'node:path';
import { openLedgerDataSource } from '../../electron/ledger/data-source';
import { MOVEMENT_COLUMNS } from '../../electron/ledger/store/movement-hash';
import { SqliteLedger } from '../../electron/ledger/store/sqlite-ledger';
import { generateDemo } from '../../electron/demo/generate-demo';
import { fmt, type BenchOptions } from './bench-options';

/** CPU seconds (user + system) of this process since `from`. */
const cpuSecs = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
};

/**
 * Realistic document posting: the demo's year (every document and movement type, lot/serial/RFID lines, costs and
 * on-costs, reversals) through the real document poster, timed around its posting calls, and the whole generation;
 * against the same run's ceiling: the very same movement and document rows inserted raw into a fresh ledger.
 */
export async function documentPostingBench({ dir, movements }: BenchOptions): Promise<void> {
  console.log(`\n## Realistic document posting: the demo's mix, ${fmt(movements)} movements through the document poster`);
  const ledger = await SqliteLedger.open(join(dir, 'docpost.db'));
  const poster = ledger.poster;
  const postMany = poster.postMany.bind(poster);
  let postMs = 0;
  let postCpu = 0;
  poster.postMany = (...args) => {
    const t = performance.now();
    const c = process.cpuUsage();
    try {
      return postMany(...args);
    } finally {
      postMs += performance.now() - t;
      postCpu += cpuSecs(c);
    }
  };
  const t0 = performance.now();
  const result = await generateDemo(ledger, { movements, seed: 1, end: new Date(Date.UTC(2026, 0, 1)) });
  const totalSecs = (performance.now() - t0) / 1000;
  const postSecs = postMs / 1000;
  const postRate = result.movements / postSecs;
  console.log(`${fmt(result.documents)} documents, ${fmt(result.movements)} movements, ${fmt(result.products)} products`);
  console.log(`document posting (checks, batches, serials, balances, stock levels, costs, hash chain, commits): ${postSecs.toFixed(2)} s = ${fmt(postRate)} movements/s (goal ≥ 100,000); CPU ${postCpu.toFixed(2)} s = ${fmt(result.movements / postCpu)} movements per CPU-second`);
  console.log(`whole demo generation (catalog, simulation and posting): ${totalSecs.toFixed(2)} s = ${fmt(result.movements / totalSecs)} movements/s`);

  const rows = ledger.db.prepare(`SELECT ${MOVEMENT_COLUMNS.join(', ')} FROM movements ORDER BY seq`).raw().all() as unknown[][];
  const docRows = ledger.db.prepare('SELECT * FROM documents ORDER BY id').raw().all() as unknown[][];
  await ledger.close();
  // The ceiling: the same documents and movements, one prepared statement each, one transaction, into the real tables and
  // indexes of a fresh ledger (reference checks off: the ceiling only inserts rows).
  const raw = await openLedgerDataSource(join(dir, 'docpost-raw.db'));
  raw.db.pragma('foreign_keys = OFF');
  const insertDoc = raw.db.prepare(`INSERT INTO documents VALUES (${docRows[0]!.map(() => '?').join(', ')})`);
  const insert = raw.db.prepare(`INSERT INTO movements (${MOVEMENT_COLUMNS.join(', ')}) VALUES (${MOVEMENT_COLUMNS.map(() => '?').join(', ')})`);
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  raw.db.transaction(() => {
    for (const r of docRows) insertDoc.run(...r);
    for (const r of rows) insert.run(...r);
  })();
  const rawRate = rows.length / ((performance.now() - t1) / 1000);
  const rawCpu = cpuSecs(c1);
  await raw.dataSource.destroy();
  console.log(`raw better-sqlite3 insert of the same documents and movements (real tables and indexes, one transaction): ${fmt(rawRate)} movements/s; CPU ${rawCpu.toFixed(2)} s`);
  console.log(`RATIO document posting / raw ceiling = ${(postRate / rawRate).toFixed(3)} (wall clock); ${(rawCpu / postCpu).toFixed(3)} (CPU time, steadier on a shared machine)`);
}
