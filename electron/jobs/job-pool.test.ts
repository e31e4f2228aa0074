import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { StockSnapshots } from '../enquiry/stock-snapshots';
import { openJobReader } from './job-reader';
import { JobPool } from './job-pool';
import { GroupCommit } from '../ledger/group-commit';
import { importContentHash } from '../operations/import-file';
import type { ImportJobArgs } from '../operations/import-job';
import { IMPORT_CHUNK_LINES } from '../operations/import-chunks';
import { applyJobWrite, JOB_WRITES } from './job-writes';
import type { JobFigures } from './job-protocol';
import { BACKGROUND_NICE, lowerThisThread, osThreadId, threadNice } from './thread-priority';

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
    // The job posts its progress, then waits at the gate: the message may reach this thread after the gate does.
    await expect.poll(() => seen.at(-1)).toMatchObject({ done: 1000, total: MOVEMENTS, phase: 'posting' });
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
    const job = pool.run('movementExport', { format: 'csv', filter: {}, file, timeZone: 'UTC', separator: ',' }, { signal: controller.signal, progress: () => {}, gate });
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
    const job = pool.run('movementExport', { format: 'csv', filter: {}, file, timeZone: 'UTC', separator: ',' }, { signal: new AbortController().signal, progress: () => {}, gate });
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
    expect(Object.keys(JOB_WRITES).sort()).toEqual([
      'catalog.tryRecipeVersions',
      'import.discard',
      'import.post',
      'import.postChunk',
      'import.stage',
      'posting.commitChunk',
      'posting.createBatch',
      'posting.finishBatch',
      'posting.markExported',
      'posting.replaceControlAccounts',
      'snapshots.replace',
    ]);
    const batches = count('SELECT COUNT(*) FROM journal_batches');
    const snapshots = count('SELECT COUNT(*) FROM stock_snapshots');
    expect(() => applyJobWrite(f.ledger, 'exec', ['DELETE FROM journal_batches'])).toThrow(/unknown job write exec/);
    expect(() => applyJobWrite(f.ledger, 'toString', [])).toThrow(/unknown job write toString/);
    expect(() => applyJobWrite(f.ledger, 'snapshots.rebuild', [])).toThrow(/unknown job write snapshots.rebuild/);
    expect(() => applyJobWrite(f.ledger, 'poster.postMany', [[], f.ids.admin])).toThrow(/unknown job write poster.postMany/);
    expect(count('SELECT COUNT(*) FROM journal_batches')).toBe(batches);
    expect(count('SELECT COUNT(*) FROM stock_snapshots')).toBe(snapshots);
  });
});

describe('the moved jobs', () => {
  const IMPORT_ROWS = 3000;
  const CHUNKS = IMPORT_ROWS / IMPORT_CHUNK_LINES;
  let importNo = 0;
  /** An inventory import of RICE-1KG into WH1 / A-01, each run a new file (so never a refused duplicate). */
  function importArgs(): ImportJobArgs {
    importNo++;
    const csv = ['sku,site,bin,qty', ...Array.from({ length: IMPORT_ROWS }, (_, i) => `RICE-1KG,WH1,A-01,${importNo}.${String(i % 1000).padStart(3, '0')}`)].join('\n');
    const input = { csv, kind: 'inventory_import' as const, jobId: `import-${importNo}`, idempotencyKey: `job-pool-import-${importNo}`, fileName: `stock-${importNo}.csv` };
    return { input: { ...input, contentHash: importContentHash(input) }, userId: f.ids.admin };
  }
  const tables = () => ({
    movements: count('SELECT COUNT(*) FROM movements'),
    documents: count('SELECT COUNT(*) FROM documents'),
    imports: count('SELECT COUNT(*) FROM import_files'),
    requests: count('SELECT COUNT(*) FROM operation_requests'),
  });

  it('a clerk commits while an import is held checked and about to post; the import then posts whole, once', async () => {
    const gate = newGate(1); // passes the end of checking, holds at posting
    const args = importArgs();
    const order: string[] = [];
    const seen: JobFigures[] = [];
    const job = pool.run('import', args, { signal: new AbortController().signal, progress: (p) => seen.push(p), gate }).then((r) => (order.push('import ended'), r));
    await reached(gate, 2); // checked, held before its one write
    // The job posts its progress, then waits at the gate: the message may reach this thread after the gate does.
    await expect.poll(() => seen.at(-1)).toMatchObject({ done: IMPORT_ROWS, total: IMPORT_ROWS * 2, phase: 'posting' });
    const before = tables();
    clerkCommit();
    order.push('clerk committed');
    expect(tables()).toEqual({ ...before, movements: before.movements + 1, documents: before.documents + 1 });
    release(gate);
    expect(await job).toMatch(new RegExp(`^Imported 3,000 rows in ${IMPORT_ROWS / IMPORT_CHUNK_LINES} documents`));
    expect(order).toEqual(['clerk committed', 'import ended']);
    expect(tables()).toEqual({ movements: before.movements + 1 + IMPORT_ROWS, documents: before.documents + 1 + IMPORT_ROWS / IMPORT_CHUNK_LINES, imports: before.imports + 1, requests: before.requests + 1 });
    expect(count(`SELECT COUNT(*) FROM movements m JOIN documents d ON d.id = m.document_id WHERE d.idempotency_key LIKE '${args.input.idempotencyKey}:%'`)).toBe(IMPORT_ROWS);
    // The same import again (a resubmit under its key) replays and writes nothing.
    const again = tables();
    expect(await pool.run('import', args, { signal: new AbortController().signal, progress: () => {} })).toMatch(/already imported under this key; nothing was posted again/);
    expect(tables()).toEqual(again);
    expect(f.ledger.verify().ok).toBe(true);
  });

  /** Movements of an import's documents, by chunk number, with their seqs. */
  const chunkSeqs = (key: string) =>
    f.ledger.db
      .prepare(`SELECT CAST(substr(d.idempotency_key, length(?) + 2) AS INTEGER) AS chunk, COUNT(*) AS n, MIN(m.seq) AS first, MAX(m.seq) AS last
        FROM documents d JOIN movements m ON m.document_id = d.id WHERE d.idempotency_key LIKE ? || ':%' GROUP BY d.id ORDER BY chunk`)
      .all(key, key) as { chunk: number; n: number; first: number; last: number }[];

  it("a clerk's receipt commits between two chunks of an import (held by the latch after chunk 1); every row posts once", async () => {
    const gate = newGate(2); // passes checking and the start of posting, holds after the first chunk's commit
    const args = importArgs();
    const key = args.input.idempotencyKey;
    const seen: JobFigures[] = [];
    const job = pool.run('import', args, { signal: new AbortController().signal, progress: (p) => seen.push(p), gate });
    await reached(gate, 3);
    // The job posts its progress, then waits at the gate: the message may reach this thread after the gate does.
    await expect.poll(() => seen.at(-1)).toMatchObject({ done: IMPORT_ROWS + IMPORT_CHUNK_LINES, total: IMPORT_ROWS * 2, phase: 'posting (it can no longer be cancelled)' });
    expect(chunkSeqs(key).map((c) => [c.chunk, c.n])).toEqual([[1, IMPORT_CHUNK_LINES]]);
    expect(count(`SELECT COUNT(*) FROM import_files WHERE idempotency_key = '${key}'`)).toBe(0); // not yet recorded as imported
    expect(count(`SELECT status = 'posting' FROM import_postings WHERE idempotency_key = '${key}'`)).toBe(1);
    clerkCommit();
    const clerkSeq = count('SELECT MAX(seq) FROM movements');
    release(gate);
    expect(await job).toMatch(new RegExp(`^Imported 3,000 rows in ${CHUNKS} documents; posting took [\\d.]+ s\\.$`));
    const chunks = chunkSeqs(key);
    expect(chunks.map((c) => [c.chunk, c.n])).toEqual(Array.from({ length: CHUNKS }, (_, i) => [i + 1, IMPORT_CHUNK_LINES]));
    expect(chunks[0]!.last).toBeLessThan(clerkSeq);
    expect(chunks[1]!.first).toBeGreaterThan(clerkSeq);
    expect(count(`SELECT row_count FROM import_files WHERE idempotency_key = '${key}'`)).toBe(IMPORT_ROWS);
    expect(count(`SELECT COUNT(*) FROM import_posting_chunks`)).toBe(0);
    expect(f.ledger.verify().ok).toBe(true);
  });

  it("joined to the writer's group commit, an import counts a chunk posted only once the WAL holding it is synced", async () => {
    const args = importArgs();
    const key = args.input.idempotencyKey;
    const postedNow = () => count(`SELECT COUNT(*) FROM documents WHERE idempotency_key LIKE '${key}:%'`);
    /** Chunks of this import on disk: posted as of the last sync of the WAL file. */
    let synced = 0;
    let syncs = 0;
    const group = new GroupCommit<never>(f.ledger.db, `${f.path}-wal`, () => {}, (g) => {
      g.fsyncWal();
      syncs++;
      synced = postedNow();
    });
    const joined = new JobPool(f.path, f.ledger);
    joined.joinGroup(group);
    /** For each progress report while posting: [chunks the job counts as posted, chunks synced when it arrived]. */
    const seen: [number, number][] = [];
    const progress = (p: JobFigures) => {
      if (p.done > IMPORT_ROWS) seen.push([(p.done - IMPORT_ROWS) / IMPORT_CHUNK_LINES, synced]);
    };
    try {
      expect(await joined.run('import', args, { signal: new AbortController().signal, progress })).toMatch(new RegExp(`^Imported 3,000 rows in ${CHUNKS} documents`));
    } finally {
      await joined.close();
      group.close();
    }
    expect(seen.map(([counted]) => counted)).toEqual(Array.from({ length: CHUNKS }, (_, i) => i + 1));
    for (const [counted, onDisk] of seen) expect(counted).toBeLessThanOrEqual(onDisk);
    expect(syncs).toBeGreaterThanOrEqual(CHUNKS);
    expect(f.ledger.db.pragma('synchronous', { simple: true })).toBe(2); // FULL again between the writes
    expect(chunkSeqs(key).map((c) => c.n)).toEqual(Array.from({ length: CHUNKS }, () => IMPORT_CHUNK_LINES));
    expect(f.ledger.verify().ok).toBe(true);
  });

  it('a cancel after the first chunk is posted is refused: the import finishes whole and says so', async () => {
    const gate = newGate(2);
    const controller = new AbortController();
    const args = importArgs();
    const before = tables();
    const job = pool.run('import', args, { signal: controller.signal, progress: () => {}, gate });
    await reached(gate, 3);
    controller.abort();
    release(gate);
    expect(await job).toMatch(/^Imported 3,000 rows in \d+ documents; .* A cancel came after posting had begun: an import is posted whole or not at all, so it was finished rather than left part-posted\.$/);
    expect(chunkSeqs(args.input.idempotencyKey).map((c) => c.n)).toEqual(Array.from({ length: CHUNKS }, () => IMPORT_CHUNK_LINES));
    expect(tables()).toEqual({ movements: before.movements + IMPORT_ROWS, documents: before.documents + CHUNKS, imports: before.imports + 1, requests: before.requests + 1 });
    expect(f.ledger.verify().ok).toBe(true);
  });

  it('an import cancelled mid-way writes nothing: no movement, document, request or file record', async () => {
    const gate = newGate(1);
    const controller = new AbortController();
    const before = tables();
    const job = pool.run('import', importArgs(), { signal: controller.signal, progress: () => {}, gate });
    await reached(gate, 2);
    controller.abort();
    release(gate);
    const refused = await job.then(() => null, (e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('CANCELLED');
    expect((refused as AppError).message).toMatch(/nothing was written/);
    expect(tables()).toEqual(before);
    expect(count("SELECT COUNT(*) FROM import_postings WHERE status <> 'posted'") + count('SELECT COUNT(*) FROM import_posting_chunks')).toBe(0);
  });

  it('a clerk commits while a snapshot rebuild is held built and about to swap; the swap accounts for what it read, and the commit is folded in after', async () => {
    const gate = newGate(1); // passes 'reading', holds at 'writing' (the build done)
    const job = pool.run('snapshotRebuild', { spacing: 1000 }, { signal: new AbortController().signal, progress: () => {}, gate });
    await reached(gate, 2);
    const head = count('SELECT MAX(seq) FROM movements');
    // A backdated receipt: effective on the first day, before every cut's day end.
    f.ledger.poster.postMany([f.doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'stock_receipt', qty: 7, unitCost: 2_5000 }], { occurredAt: new Date(T0 - 3_600_000).toISOString() })], f.ids.admin);
    release(gate);
    const cuts = await job;
    expect(cuts).toBeGreaterThan(1);
    expect(count('SELECT COUNT(DISTINCT day_end) FROM stock_snapshots')).toBe(cuts);
    expect(count('SELECT through_seq FROM stock_snapshot_state')).toBe(head);
    // Each cut holds exactly the stock of the movements it read: those up to the head, effective before its day end.
    const wrong = count(
      `SELECT COUNT(*) FROM (SELECT s.day_end, s.qty, (SELECT SUM(qty) FROM movements m WHERE m.seq <= ${head} AND m.occurred_at < s.day_end AND m.product_id = s.product_id AND m.site_id = s.site_id
         AND IFNULL(m.bin_id, 0) = s.bin_id AND IFNULL(m.batch_id, 0) = s.batch_id) AS sum FROM stock_snapshots s) WHERE qty <> sum`,
    );
    expect(wrong).toBe(0);
    // The writer's next read folds the clerk's backdated receipt in.
    const snaps = new StockSnapshots(f.ledger.db, { spacing: 1000 });
    const firstCut = count('SELECT MIN(day_end) FROM stock_snapshots');
    const at = snaps.stockAt(firstCut, { productId: f.ids.bulk, siteId: f.ids.wh, level: 'site' }).rows[0]!.qty;
    expect(at).toBe(count(`SELECT SUM(qty) FROM movements WHERE product_id = ${f.ids.bulk} AND site_id = ${f.ids.wh} AND occurred_at <= ${firstCut}`));
  });

  it('a snapshot rebuild cancelled before its swap leaves the snapshots as they were', async () => {
    const gate = newGate(1);
    const controller = new AbortController();
    const before = f.ledger.db.prepare('SELECT * FROM stock_snapshots ORDER BY 1, 2, 3, 4, 5').all();
    const state = f.ledger.db.prepare('SELECT * FROM stock_snapshot_state').all();
    const job = pool.run('snapshotRebuild', { spacing: 500 }, { signal: controller.signal, progress: () => {}, gate });
    await reached(gate, 2);
    controller.abort();
    release(gate);
    const refused = await job.then(() => null, (e: unknown) => e);
    expect((refused as AppError).code).toBe('CANCELLED');
    expect(f.ledger.db.prepare('SELECT * FROM stock_snapshots ORDER BY 1, 2, 3, 4, 5').all()).toEqual(before);
    expect(f.ledger.db.prepare('SELECT * FROM stock_snapshot_state').all()).toEqual(state);
  });

  it('a clerk commits while a list export is held mid-file; a cancel then leaves no file and no part file', async () => {
    const gate = newGate(0);
    const controller = new AbortController();
    const dir = join(f.dir, 'list-cancelled');
    const file = join(dir, 'stock.csv');
    const job = pool.run('listExport', { what: { list: 'currentStock', query: { status: 'all', sort: 'sku', direction: 'asc' } }, format: 'csv', file, timeZone: 'UTC', separator: ',' }, { signal: controller.signal, progress: () => {}, gate });
    await reached(gate, 1);
    expect(existsSync(`${file}.part`)).toBe(true);
    const before = count('SELECT COUNT(*) FROM movements');
    clerkCommit();
    expect(count('SELECT COUNT(*) FROM movements')).toBe(before + 1);
    controller.abort();
    release(gate);
    const refused = await job.then(() => null, (e: unknown) => e);
    expect((refused as AppError).code).toBe('CANCELLED');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a list export reads one snapshot: stock at a date in the file is the ledger as the export began, read-only', async () => {
    const gate = newGate(0);
    const file = join(f.dir, 'stock-at.csv');
    const at = new Date(TO + 3 * 86_400_000).toISOString();
    const onHand = count(`SELECT SUM(qty) FROM movements WHERE product_id = ${f.ids.bulk} AND site_id = ${f.ids.wh} AND occurred_at <= ${Date.parse(at)}`);
    const state = f.ledger.db.prepare('SELECT * FROM stock_snapshot_state').all();
    const job = pool.run('listExport', { what: { list: 'stockAt', query: { at, level: 'site' } }, format: 'csv', file, timeZone: 'UTC', separator: ',' }, { signal: new AbortController().signal, progress: () => {}, gate });
    await reached(gate, 1);
    // Effective within the date asked for, but committed after the export began.
    f.ledger.poster.postMany([f.doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'stock_receipt', qty: 9, unitCost: 2_5000 }], { occurredAt: new Date(TO).toISOString() })], f.ids.admin);
    release(gate);
    expect(await job).toBe(1);
    const [row] = readFileSync(file, 'utf8').split('\r\n').slice(1, -1);
    expect(row!.split(',').slice(0, 3)).toEqual(['RICE-1KG', 'Arborio rice', 'WH1']);
    expect(Number(row!.split(',')[3])).toBe(onHand / 1000);
    expect(f.ledger.db.prepare('SELECT * FROM stock_snapshot_state').all()).toEqual(state);
  });

  it("a job's thread runs at the background nice value; the writer's thread keeps its own (Linux; elsewhere nothing is lowered)", async () => {
    if (process.platform !== 'linux') {
      expect(osThreadId()).toBeNull();
      expect(lowerThisThread()).toBe(false);
      return;
    }
    const threads = () => new Set(readdirSync('/proc/self/task').map(Number));
    const writer = osThreadId()!;
    const base = threadNice(writer);
    const before = threads();
    const own = new JobPool(f.path, f.ledger); // a fresh pool: its job thread is one this test sees appear
    try {
      const gate = newGate(0);
      const job = own.run('movementExport', { format: 'csv', filter: {}, file: join(f.dir, 'nice.csv'), timeZone: 'UTC', separator: ',' }, { signal: new AbortController().signal, progress: () => {}, gate });
      await reached(gate, 1); // the job is running in its thread
      const appeared = [...threads()].filter((t) => !before.has(t));
      expect(appeared.map(threadNice)).toContain(Math.max(base, BACKGROUND_NICE));
      const before2 = count('SELECT COUNT(*) FROM movements');
      clerkCommit(); // the writer commits beside the held job, at its own priority
      expect(count('SELECT COUNT(*) FROM movements')).toBe(before2 + 1);
      expect(threadNice(writer)).toBe(base);
      expect(threadNice(process.pid)).toBe(base);
      release(gate);
      await job;
    } finally {
      await own.close();
    }
  });
});
