import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { MIN_BUDGET_CHUNK, runPosting } from './batch-runner';
import { PostingStore } from './posting-store';
import { BuiltinLedgerTarget } from './targets/builtin-ledger';
import { TargetJournalStore } from './targets/target-journal-store';

/**
 * SQLite-only remainder of batch-runner.test.ts: the write budget's chunk sizing takes the runner's stopwatch and
 * budget (no operation exposes them; only SQLite's posting passes a budget), and an entry's description stored once
 * on its first line is SQLite's own layout (migration 0039; PostgreSQL keeps it on every line).
 */
let f: Fixture;
let store: PostingStore;
let target: BuiltinLedgerTarget;
const T0 = Date.UTC(2026, 0, 5, 9);
const iso = (t: number) => new Date(t).toISOString();
const count = (sql: string) => (f.ledger.db.prepare(sql).get() as { n: number }).n;

beforeEach(async () => {
  f = await openFixture();
  store = new PostingStore(f.ledger.db);
  target = new BuiltinLedgerTarget(store);
});
afterEach(async () => f.cleanup());

describe('the batch runner on SQLite', () => {
  it("an entry's description is stored once, on its first line, and each line of the entry is read back with it", async () => {
    const { bulk, wh, admin } = f.ids;
    f.ledger.poster.post(f.doc('receipt', [{ productId: bulk, siteId: wh, type: 'stock_receipt', qty: 2_000, unitCost: 15_000 }], { occurredAt: iso(T0), reference: 'GRN-000123' }), admin);
    f.ledger.poster.post(f.doc('despatch', [{ productId: bulk, siteId: wh, type: 'stock_despatch', qty: -500 }], { occurredAt: iso(T0 + 60_000) }), admin);
    const r = await runPosting(store, target, { to: T0 + 86_400_000, summarised: false, userId: admin });
    const lines = TargetJournalStore.of(f.ledger.db).batchLines(r.batchId);
    expect(lines.length).toBeGreaterThan(r.entryCount);
    expect([...new Set(lines.map((l) => `${l.movementSeq}: ${l.description}`))]).toEqual([
      '1: Stock Receipt movement 1 Receipt GRN-000123',
      '2: Stock Despatch movement 2 Despatch (no reference)',
    ]);
    expect(count("SELECT COUNT(*) AS n FROM journal_lines WHERE description <> ''")).toBe(r.entryCount);
  });

  it('with a write budget, each chunk is sized by the last commit time (at most doubling or halving, within the floor and the chunk size), and every movement is posted once', async () => {
    expect(MIN_BUDGET_CHUNK).toBe(250);
    const { bulk, wh } = f.ids;
    const docs = Array.from({ length: 2_500 }, (_, i) => f.doc('receipt', [{ productId: bulk, siteId: wh, type: 'stock_receipt', qty: 10, unitCost: 15_000 }], { occurredAt: iso(T0 + i * 1000) }));
    f.ledger.poster.postMany(docs, f.ids.admin); // 2,500 movements
    // The stopwatch is read before and after each chunk's commit: the commits "take" 1, 1, 8, 3 ms.
    const took = [1, 1, 8, 3];
    let reads = 0;
    let t = 0;
    const stopwatch = () => (reads++ % 2 === 1 ? (t += took[(reads - 2) / 2] ?? 3) : t);
    const r = await runPosting(store, target, { to: T0 + 86_400_000, summarised: false, userId: f.ids.admin, chunkSize: 2_000, writeBudgetMs: 2, stopwatch });
    expect(r.movementCount).toBe(2_500);
    const sizes = f.ledger.db.prepare('SELECT item_count FROM journal_chunks ORDER BY chunk_no').pluck().all();
    // 250 (the floor to start) took 1 ms of 2: 500; took 1: 1,000; took 8: halved (not quartered) to 500; then the 250 left.
    expect(sizes).toEqual([250, 500, 1_000, 500, 250]);
    expect(count('SELECT COUNT(*) AS n FROM movements m WHERE NOT EXISTS (SELECT 1 FROM movement_postings p WHERE p.movement_seq = m.seq)')).toBe(0);
    expect(count('SELECT COUNT(*) AS n FROM (SELECT batch_id, entry_no FROM journal_lines GROUP BY batch_id, entry_no HAVING SUM(amount) <> 0)')).toBe(0);
  });

  it("a store that answers how long each commit held the writer (a posting job's) is sized by that, not by the time its answer took to come back", async () => {
    const { bulk, wh } = f.ids;
    const docs = Array.from({ length: 2_500 }, (_, i) => f.doc('receipt', [{ productId: bulk, siteId: wh, type: 'stock_receipt', qty: 10, unitCost: 15_000 }], { occurredAt: iso(T0 + i * 1000) }));
    f.ledger.poster.postMany(docs, f.ids.admin);
    // As a job's store: each commit answered later, with the writer's own figure (1, 1, 8, 3 ms); meanwhile the
    // runner reads and builds the next chunk, so from asking to the answer always "takes" 50 ms.
    const held = [1, 1, 8, 3];
    class AnsweredLater extends PostingStore {
      override commitChunk(...a: Parameters<PostingStore['commitChunk']>) {
        super.commitChunk(...a);
        return Promise.resolve({ writerMs: held[a[1]] ?? 3 });
      }
    }
    let t = 0;
    const stopwatch = () => (t += 25);
    const later = new AnsweredLater(f.ledger.db);
    const r = await runPosting(later, new BuiltinLedgerTarget(later), { to: T0 + 86_400_000, summarised: false, userId: f.ids.admin, chunkSize: 2_000, writeBudgetMs: 2, stopwatch });
    expect(r.movementCount).toBe(2_500);
    // Each chunk is read while the one before commits, so a commit's figure sizes the chunk after next: 250 to start,
    // 250 (read during chunk 0's commit), 500 (chunk 0: 250 in 1 ms of 2), 500 (chunk 1: likewise), 250 (chunk 2: 500
    // in 8 ms, halved), 333 (chunk 3: 500 in 3 ms), 250 (chunk 4: 250 in 3 ms, the floor), then the 167 left. By the
    // round trip every chunk would stay at the floor (ten of 250).
    expect(f.ledger.db.prepare('SELECT item_count FROM journal_chunks ORDER BY chunk_no').pluck().all()).toEqual([250, 250, 500, 500, 250, 333, 250, 167]);
    expect(count('SELECT COUNT(*) AS n FROM movements m WHERE NOT EXISTS (SELECT 1 FROM movement_postings p WHERE p.movement_seq = m.seq)')).toBe(0);
  });
});
