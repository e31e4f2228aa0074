import { loadavg } from 'node:os';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import { MovementQuery, StatementCache, type QueryTuning } from '../../electron/enquiry/movement-query';
import { fmt, pct, type BenchOptions } from './bench-options';
import { demoLedger } from './demo-ledger';

const PAGE = 200;
const ROUNDS = 40;

/**
 * The Enquiry window's serial search (the search box matching serial units, migration 0047) on the demo ledger: the
 * first page (200 rows, plan chosen afresh per call as a new search is, balance on that date shown and hidden) of an
 * exact serial, prefixes of about 10 and 100 units, and a prefix of every unit, each set against the same run's raw read
 * of those rows (the page's movements by primary key, no joins: what reading them costs with nothing to find), read
 * round-robin with the pages, and the enquiry's usual ceiling (the newest 200 movements, no joins); resolving the search
 * (products, batches, serial units: MovementQuery's constructor) is timed apart. The time walk (every movement checked newest first, the plan without the serial index)
 * of the exact serial is printed beside it. STOCKBOOK_BENCH_DEMO_DB=path runs on a copy of that ledger.
 */
export async function serialSearchBench({ dir, movements }: BenchOptions): Promise<void> {
  const ledger = await demoLedger(dir, movements);
  const db = ledger.db;
  const total = db.prepare('SELECT MAX(seq) FROM movements').pluck().get() as number;
  const units = db.prepare('SELECT COUNT(*) FROM serial_units').pluck().get() as number;
  // The unit with the most movements (a unit received, moved, sold and returned), and prefixes of its serial.
  const serial = db.prepare('SELECT su.serial FROM movements m JOIN serial_units su ON su.id = m.serial_id GROUP BY su.id ORDER BY COUNT(*) DESC, su.id LIMIT 1').pluck().get() as string;
  const combos: [string, MovementFilter][] = [
    [`exact serial ${serial}`, { search: serial }],
    [`exact serial in lower case ${serial.toLowerCase()}`, { search: serial.toLowerCase() }],
    [`prefix ${serial.slice(0, -1)}`, { search: serial.slice(0, -1) }],
    [`prefix ${serial.slice(0, -2)}`, { search: serial.slice(0, -2) }],
    [`prefix ${serial.slice(0, 2)} (every unit)`, { search: serial.slice(0, 2) }],
  ];
  console.log(`\n## Serial search over ${fmt(total)} movements, ${fmt(units)} serial units (first page = ${PAGE} rows), load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const cache = new StatementCache(db);
  const rawRows = db.prepare('SELECT m.* FROM json_each(?) j CROSS JOIN movements m ON m.seq = j.value');
  const first = (filter: MovementFilter, balanceOnDate: boolean, tuning?: QueryTuning) => new MovementQuery(db, filter, cache, tuning).page('desc', PAGE, undefined, undefined, { balanceOnDate });
  const seqs = combos.map(([, f]) => JSON.stringify(first(f, false).rows.map((r) => r.seq)));
  const times = combos.map(() => ({ shown: [] as number[], hidden: [] as number[], raw: [] as number[], resolve: [] as number[] }));
  // The enquiry's usual ceiling beside it: the newest 200 movements by the occurred_at index, no joins.
  const newest = db.prepare('SELECT * FROM movements INDEXED BY IDX_movements_occurred ORDER BY occurred_at DESC LIMIT 200');
  const newestTimes: number[] = [];
  const time = (fn: () => unknown) => {
    const s = performance.now();
    fn();
    return performance.now() - s;
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [c, [, filter]] of combos.entries()) {
      times[c]!.shown.push(time(() => first(filter, true)));
      times[c]!.raw.push(time(() => rawRows.all(seqs[c])));
      times[c]!.hidden.push(time(() => first(filter, false)));
      times[c]!.resolve.push(time(() => new MovementQuery(db, filter, cache)));
      newestTimes.push(time(() => newest.all()));
    }
  }
  const f = (n: number) => n.toFixed(2);
  newestTimes.sort((a, b) => a - b);
  console.log(`raw ceiling (newest 200 by the occurred_at index, no joins), ${newestTimes.length} runs: p50 ${pct(newestTimes, 50).toFixed(2)} ms, p99 ${pct(newestTimes, 99).toFixed(2)} ms`);
  console.log(`search | plan | rows (count) | shown p50 / p99 ms | hidden p50 / p99 ms | of which resolving the search p50 | raw rows p50 / p99 ms | hidden p50 / raw rows p50 | shown p99 / raw rows p99 | shown p99 / newest-200 p99`);
  for (const [c, [name, filter]] of combos.entries()) {
    const t = times[c]!;
    for (const x of [t.shown, t.hidden, t.raw, t.resolve]) x.sort((a, b) => a - b);
    const q = new MovementQuery(db, filter, cache);
    const p = q.page('desc', PAGE);
    const n = q.count(100_000);
    console.log(
      `${name} | ${p.plan} | ${p.rows.length} (${n.exact ? '' : '>'}${fmt(n.count)}) | ${f(pct(t.shown, 50))} / ${f(pct(t.shown, 99))} | ${f(pct(t.hidden, 50))} / ${f(pct(t.hidden, 99))} | ${f(pct(t.resolve, 50))} | ${f(pct(t.raw, 50))} / ${f(pct(t.raw, 99))} | ${(pct(t.hidden, 50) / pct(t.raw, 50)).toFixed(1)}x | ${(pct(t.shown, 99) / pct(t.raw, 99)).toFixed(1)}x | ${(pct(t.shown, 99) / pct(newestTimes, 99)).toFixed(1)}x`,
    );
  }
  const walk = Array.from({ length: 3 }, () => time(() => first(combos[0]![1], false, { timeWalk: true }))).sort((a, b) => a - b);
  console.log(`exact serial by the time walk (no serial index: every movement checked), 3 runs: p50 ${f(pct(walk, 50))} ms; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  await ledger.close();
}
