import Database from 'better-sqlite3';
import { pct } from './bench-options';

/** The disk's floor for one durable commit: 300 one-row transactions on a raw better-sqlite3 connection, WAL, synchronous FULL. */
export function durableCommitCeiling(file: string): { p50: number; p99: number } {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE IF NOT EXISTS t (x INTEGER)');
    const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
    const one = db.transaction((i: number) => insert.run(i));
    const times: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t0 = performance.now();
      one(i);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return { p50: pct(times, 50), p99: pct(times, 99) };
  } finally {
    db.close();
  }
}
