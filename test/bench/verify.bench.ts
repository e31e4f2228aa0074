import Database from 'better-sqlite3';
import { inReadSnapshot } from '../../electron/ledger/store/read-snapshot';
import { recordAnchor } from '../../electron/ledger/store/chain-anchors';
import { MOVEMENT_COLUMNS } from '../../electron/ledger/store/movement-hash';
import { availableParallelism, loadavg } from 'node:os';
import { verifyLedger, verifyLedgerSplit } from '../../electron/ledger/store/verify';
import { fmt, type BenchOptions } from './bench-options';
import { demoLedger, postMore } from './demo-ledger';

const NEW_MOVEMENTS = 10_000;

const load = () => `load ${loadavg()[0]!.toFixed(1)}`;

/** CPU time of this process (user + system), ms: the bench runs nothing else meanwhile. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * `stockbook verify` over `movements` rows on a read connection, against the ceiling of a raw ordered SELECT of the same
 * rows (every movement column, raw mode, iterated) in the same run: the full pass, then the incremental run after
 * NEW_MOVEMENTS more movements since an anchor.
 */
export async function verifyBench({ dir, movements }: BenchOptions): Promise<void> {
  const n = Math.min(movements, 1_000_000);
  console.log(`\n## stockbook verify, ${fmt(n)} movements`);
  const ledger = await demoLedger(dir, n);
  const reader = new Database(ledger.path, { readonly: true });
  // Wall time, and this process's CPU time: on a shared machine the wall clock also counts the time others had the cores.
  const time = <T>(f: () => T): [T, number, number] => {
    const t = performance.now();
    const c = cpuMs();
    const r = reader.transaction(f)();
    return [r, performance.now() - t, cpuMs() - c];
  };
  const select = reader.prepare(`SELECT ${MOVEMENT_COLUMNS.map((c) => `"${c}"`).join(', ')} FROM movements ORDER BY seq`).raw();
  const scan = () => {
    let rows = 0;
    for (const _ of select.iterate()) rows++;
    return rows;
  };
  scan(); // warm the page cache for both
  const [rows, scanMs, scanCpu] = time(scan);
  console.log(`  raw ordered SELECT of ${fmt(rows)} movements (ceiling): ${scanMs.toFixed(0)} ms (CPU ${scanCpu.toFixed(0)} ms)`);
  const [full, fullMs, fullCpu] = time(() => verifyLedger(reader, { mode: 'full' }));
  console.log(
    `  full pass (${full.ok ? 'ok' : 'FAILED'}, ${fmt(full.movements)} hashed): ${fullMs.toFixed(0)} ms — ${(fullMs / scanMs).toFixed(2)}× the raw scan (CPU ${fullCpu.toFixed(0)} ms — ${(fullCpu / scanCpu).toFixed(2)}×)`,
  );

  // `stockbook verify --full`'s scan: split over the machine's cores (at most 4), each part on its own connection. Wall
  // time is the goal's measure (someone waits for it); CPU here is this thread's part only, so it is not printed.
  const parts = Math.min(4, availableParallelism());
  const t = performance.now();
  const split = await inReadSnapshot(reader, () => verifyLedgerSplit(reader, ledger.path, parts, { mode: 'full' }));
  const splitMs = performance.now() - t;
  console.log(
    `  full pass split over ${parts} threads (${split.ok ? 'ok' : 'FAILED'}, ${fmt(split.movements)} hashed, the same report: ${JSON.stringify(split) === JSON.stringify(full)}): ${splitMs.toFixed(0)} ms — ${(splitMs / scanMs).toFixed(2)}× the raw scan (${load()})`,
  );

  recordAnchor(ledger.db, 'check', null, full.head);
  postMore(ledger, NEW_MOVEMENTS, 'bench-verify-more');
  const [inc, incMs, incCpu] = time(() => verifyLedger(reader, { mode: 'incremental' }));
  const from = inc.mode.kind === 'incremental' ? `from movement ${fmt(inc.mode.from.seq)}` : 'NOT incremental';
  console.log(
    `  incremental after ${fmt(NEW_MOVEMENTS)} new movements (${inc.ok ? 'ok' : 'FAILED'}, ${from}, ${fmt(inc.movements)} hashed): ${incMs.toFixed(0)} ms — ${(incMs / scanMs).toFixed(3)}× the raw scan of all (CPU ${incCpu.toFixed(0)} ms — ${(incCpu / scanCpu).toFixed(3)}×)`,
  );
  reader.close();
  await ledger.close();
}
