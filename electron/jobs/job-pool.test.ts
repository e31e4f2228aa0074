import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { openJobReader } from './job-reader';
import { JobPool } from './job-pool';
import { applyJobWrite } from './job-writes';
import type { JobFigures } from './job-protocol';

/**
 * The job threads against a real ledger file. This test's thread is the writer (as the ledger worker is in the app):
 * it serves the jobs' writes and the clerk's commits. A latch (the gate) holds a job at a chunk boundary, so what
 * happens "while a job runs" is fixed by order, not by timing.
 */
let f: Fixture;
let pool: JobPool;
const T0 = Date.UTC(2026, 0, 5, 9);
const DOCS = 1200;
const LINES = 10;
const MOVEMENTS = DOCS * LINES;
const TO = T0 + DOCS * 60_000;

beforeAll(async () => {
  f = await openFixture();
  const docs = Array.from({ length: DOCS }, (_, d) =>
    f.doc('receipt', Array.from({ length: LINES }, () => ({ productId: f.ids.bulk, siteId: f.ids.wh, type: 'stock_receipt' as const, qty: 1000, unitCost: 2_5000 })), {
      occurredAt: new Date(T0 + d * 60_000).toISOString(),
    }),
  );
  f.ledger.poster.postMany(docs, f.ids.admin);
  pool = new JobPool(f.path, f.ledger);
}, 120_000);
afterAll(async () => {
  await pool.close();
  await f.cleanup();
});

const count = (sql: string) => f.ledger.db.prepare(sql).pluck().get() as number;

/** A latch: [steps the job reached, steps let through]; the job waits at the first step past those let through. */
function newGate(letThrough: number): Int32Array {
  const gate = new Int32Array(new SharedArrayBuffer(8));
  gate[1] = letThrough;
  return gate;
}
/** Atomics.waitAsync (Node 16+; not in this project's TypeScript lib). */
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<string> | string } }).waitAsync;
async function reached(gate: Int32Array, step: number): Promise<void> {
  for (let now = Atomics.load(gate, 0); now < step; now = Atomics.load(gate, 0)) {
    const w = waitAsync(gate, 0, now);
    if (w.async) await w.value;
  }
}
function release(gate: Int32Array, steps = 1_000_000): void {
  Atomics.store(gate, 1, steps);
  Atomics.notify(gate, 1);
}

/** A clerk's receipt, dated after everything the jobs here read or post. */
const clerkCommit = () =>
  f.ledger.poster.postMany([f.doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'stock_receipt', qty: 500, unitCost: 2_5000 }], { occurredAt: new Date(TO + 86_400_000).toISOString() })], f.ids.admin);

describe('job threads', () => {
  it('a clerk commits while a posting is mid-way, and the commit is done before the posting ends', async () => {
    const gate = newGate(1);
    const order: string[] = [];
    const seen: JobFigures[] = [];
    const job = pool
      .run('posting', { target: 'builtin', to: TO, summarised: false, userId: f.ids.admin, chunkSize: 1000 }, { signal: new AbortController().signal, progress: (p) => seen.push(p), gate })
      .then((r) => (order.push('posting ended'), r));
    await reached(gate, 2); // the start, then the first chunk committed
    expect(count('SELECT COUNT(*) FROM movement_postings')).toBe(1000);
    const before = count('SELECT COUNT(*) FROM movements');
    clerkCommit();
    order.push('clerk committed');
    expect(count('SELECT COUNT(*) FROM movements')).toBe(before + 1);
    expect(seen.at(-1)).toMatchObject({ done: 1000, total: MOVEMENTS, phase: 'posting' });
    release(gate);
    const report = await job;
    expect(order).toEqual(['clerk committed', 'posting ended']);
    expect(report.status).toBe('posted');
    expect(count('SELECT COUNT(*) FROM movement_postings')).toBe(MOVEMENTS);
    expect(count('SELECT COUNT(*) FROM journal_chunks')).toBe(MOVEMENTS / 1000);
    // the clerk's movement, dated after the cut, is not in the batch
    expect(count(`SELECT COUNT(*) FROM movement_postings WHERE movement_seq = (SELECT MAX(seq) FROM movements)`)).toBe(0);
  });

  it('a posting cancelled mid-way leaves whole chunks only: each chunk with all its lines and postings, or nothing of it', async () => {
    const gate = newGate(2);
    const controller = new AbortController();
    const before = count('SELECT COUNT(*) FROM movement_postings');
    // Post the clerk's later movements and a fresh set: receipts between TO and TO + 2 days.
    f.ledger.poster.postMany(
      Array.from({ length: 300 }, (_, d) =>
        f.doc('receipt', Array.from({ length: LINES }, () => ({ productId: f.ids.bulk, siteId: f.ids.wh, type: 'stock_receipt' as const, qty: 10, unitCost: 1_0000 })), {
          occurredAt: new Date(TO + 2 * 86_400_000 + d * 1000).toISOString(),
        }),
      ),
      f.ids.admin,
    );
    const unposted = count('SELECT COUNT(*) FROM movements') - before;
    const job = pool.run('posting', { target: 'builtin', to: TO + 3 * 86_400_000, summarised: false, userId: f.ids.admin, chunkSize: 500 }, { signal: controller.signal, progress: () => {}, gate });
    await reached(gate, 3); // two chunks committed
    controller.abort();
    release(gate);
    const report = await job;
    expect(report.status).toBe('cancelled');
    const batch = report.batchId;
    const posted = count(`SELECT COUNT(*) FROM movement_postings WHERE batch_id = ${batch}`);
    expect(posted).toBeGreaterThanOrEqual(1000);
    expect(posted).toBeLessThan(unposted);
    expect(posted % 500).toBe(0);
    expect(count(`SELECT COALESCE(SUM(item_count), 0) FROM journal_chunks WHERE batch_id = ${batch}`)).toBe(posted);
    expect(count(`SELECT COUNT(*) FROM (SELECT chunk_no FROM journal_lines WHERE batch_id = ${batch} GROUP BY chunk_no HAVING SUM(amount) <> 0)`)).toBe(0);
    expect(count(`SELECT COUNT(DISTINCT chunk_no) FROM journal_lines WHERE batch_id = ${batch}`)).toBe(posted / 500);
    expect(count(`SELECT status = 'cancelled' FROM journal_batches WHERE id = ${batch}`)).toBe(1);
  });

  it('an export cancelled mid-way leaves no file and no part file', async () => {
    const gate = newGate(0);
    const controller = new AbortController();
    const dir = join(f.dir, 'cancelled');
    const file = join(dir, 'movements.csv');
    const job = pool.run('movementExport', { format: 'csv', filter: {}, file, timeZone: 'UTC' }, { signal: controller.signal, progress: () => {}, gate });
    await reached(gate, 1);
    expect(existsSync(`${file}.part`)).toBe(true);
    controller.abort();
    release(gate);
    const refused = await job.then(() => null, (e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('CANCELLED');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an export reads one snapshot: movements committed while it runs are not in its file', async () => {
    const gate = newGate(0);
    const file = join(f.dir, 'snapshot.csv');
    const atStart = count('SELECT COUNT(*) FROM movements');
    const job = pool.run('movementExport', { format: 'csv', filter: {}, file, timeZone: 'UTC' }, { signal: new AbortController().signal, progress: () => {}, gate });
    await reached(gate, 1);
    clerkCommit();
    clerkCommit();
    expect(count('SELECT COUNT(*) FROM movements')).toBe(atStart + 2);
    release(gate);
    expect(await job).toBe(atStart);
    const rows = readFileSync(file, 'utf8').split('\r\n').slice(1, -1);
    expect(rows.length).toBe(atStart);
    expect(Number(rows.at(-1)!.split(',')[0])).toBe(count('SELECT MAX(seq) FROM movements') - 2);
  });

  it("a job's connection is read-only: a write through it is refused and nothing is written", () => {
    const reader = openJobReader(f.path);
    try {
      const sites = count('SELECT COUNT(*) FROM sites');
      expect(() => reader.prepare("INSERT INTO sites (code, name) VALUES ('JOB', 'Written by a job')").run()).toThrow(/readonly/);
      expect(count('SELECT COUNT(*) FROM sites')).toBe(sites);
      expect(reader.prepare('SELECT COUNT(*) FROM sites').pluck().get()).toBe(sites);
    } finally {
      reader.close();
    }
  });

  it('the writer runs only the writes a job names from its list; anything else is refused and writes nothing', () => {
    const batches = count('SELECT COUNT(*) FROM journal_batches');
    expect(() => applyJobWrite(f.ledger, 'exec', ['DELETE FROM journal_batches'])).toThrow(/unknown job write exec/);
    expect(() => applyJobWrite(f.ledger, 'toString', [])).toThrow(/unknown job write toString/);
    expect(count('SELECT COUNT(*) FROM journal_batches')).toBe(batches);
  });
});
