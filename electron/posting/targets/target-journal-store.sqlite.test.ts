import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../../test/fixtures/ledger';
import { runPosting } from '../batch-runner';
import { PostingStore } from '../posting-store';
import { BUILTIN_TARGET, BuiltinLedgerTarget } from './builtin-ledger';
import { ENTRIES_HELD_SQL, TargetJournalStore } from './target-journal-store';
import { openTarget } from './open-target';
import { reverseBatch } from '../reverse-batch';
import { join } from 'node:path';

let f: Fixture;
beforeEach(async () => {
  f = await openFixture();
});
afterEach(async () => f.cleanup());

/**
 * SQLite's TargetJournalStore itself: its statements prepared once per connection, its own reads of a batch's newest
 * chunk, a file target's lines kept in packs (migration 0041) and its entry count's query plan. What the built-in ledger
 * answers from its journal, on either store, is target-journal-store.test.ts.
 */
describe('TargetJournalStore', () => {
  it('is one store per connection (its statements are prepared once), and another connection gets its own', () => {
    const store = TargetJournalStore.of(f.ledger.db);
    expect(TargetJournalStore.of(f.ledger.db)).toBe(store);
    const other = new Database(f.path, { readonly: true });
    try {
      const otherStore = TargetJournalStore.of(other);
      expect(otherStore).not.toBe(store);
      expect(TargetJournalStore.of(other)).toBe(otherStore);
    } finally {
      other.close();
    }
  });

  it("finds the built-in ledger's newest batch with lines and its last entry, which is the built-in ledger's", async () => {
    const { bulk, wh } = f.ids;
    for (let i = 0; i < 3; i++) f.ledger.poster.post(f.doc('receipt', [{ productId: bulk, siteId: wh, type: 'stock_receipt', qty: 10, unitCost: 100 + i }]), f.ids.admin);
    const posting = new PostingStore(f.ledger.db);
    const journal = TargetJournalStore.of(f.ledger.db);
    expect(journal.lastBatchWithLines(BUILTIN_TARGET)).toBeNull();

    await runPosting(posting, new BuiltinLedgerTarget(posting), { to: Date.now() + 60_000, summarised: false, userId: f.ids.admin });
    const batchId = journal.lastBatchWithLines(BUILTIN_TARGET);
    expect(batchId).not.toBeNull();
    expect(journal.batchEntries(batchId!, BUILTIN_TARGET)).toBe(journal.entriesHeld(BUILTIN_TARGET));
    expect(journal.lastEntryOfBatch(batchId!)).toBe(new BuiltinLedgerTarget(posting).lastEntryId());
  });

  it('reads a file target\'s chunks from their packs (no row per line) and the built-in ledger\'s from rows: the same lines either way', async () => {
    const { bulk, wh } = f.ids;
    for (let i = 0; i < 5; i++) f.ledger.poster.post(f.doc('receipt', [{ productId: bulk, siteId: wh, type: 'stock_receipt', qty: 10, unitCost: 100 + i }]), f.ids.admin);
    const posting = new PostingStore(f.ledger.db);
    const journal = TargetJournalStore.of(f.ledger.db);
    const to = Date.now() + 60_000;
    const file = await runPosting(posting, openTarget(posting, `hledger:${join(f.dir, 'books.journal')}`), { to, summarised: false, userId: f.ids.admin, chunkSize: 2 });
    const count = (sql: string, id: number) => f.ledger.db.prepare(sql).pluck().get(id) as number;
    expect(count('SELECT COUNT(*) FROM journal_lines WHERE batch_id = ?', file.batchId)).toBe(0);
    expect(count('SELECT COUNT(*) FROM journal_chunk_packs WHERE batch_id = ?', file.batchId)).toBe(3);
    const packed = journal.batchLines(file.batchId);
    expect(packed).toHaveLength(file.lineCount);
    expect([0, 1, 2].flatMap((c) => journal.chunkLines(file.batchId, c))).toEqual(packed);

    // the same movements to the built-in ledger, once the file batch is reversed: rows, and the same lines
    reverseBatch(posting, openTarget(posting, `hledger:${join(f.dir, 'books.journal')}`), file.batchId, f.ids.admin, Date.now());
    const builtin = await runPosting(posting, new BuiltinLedgerTarget(posting), { to, summarised: false, userId: f.ids.admin, chunkSize: 2 });
    expect(count('SELECT COUNT(*) FROM journal_chunk_packs WHERE batch_id = ?', builtin.batchId)).toBe(0);
    expect(count('SELECT COUNT(*) FROM journal_lines WHERE batch_id = ?', builtin.batchId)).toBe(file.lineCount);
    const first = packed[0]!.entryNo;
    const rows = journal.batchLines(builtin.batchId);
    expect(rows.map((l) => ({ ...l, entryNo: l.entryNo - rows[0]!.entryNo }))).toEqual(packed.map((l) => ({ ...l, entryNo: l.entryNo - first })));
  });

  it("counts a target's entries chunk by chunk, each chunk's lines by a range of their key: never a scan of every journal line", () => {
    const plan = (f.ledger.db.prepare(`EXPLAIN QUERY PLAN ${ENTRIES_HELD_SQL}`).all(BUILTIN_TARGET) as { detail: string }[]).map((r) => r.detail);
    expect(plan).toContain('SEARCH l USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)');
    expect(plan.filter((s) => /^SCAN (l|c)\b/.test(s))).toEqual([]);
  });
});
