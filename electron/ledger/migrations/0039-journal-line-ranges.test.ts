import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../../test/fixtures/ledger';
import { undoMigrationsThrough } from '../../../test/fixtures/migrations';
import { runPosting } from '../../posting/batch-runner';
import { PostingStore } from '../../posting/posting-store';
import { reverseBatch } from '../../posting/reverse-batch';
import { BuiltinLedgerTarget } from '../../posting/targets/builtin-ledger';
import { HledgerFileTarget } from '../../posting/targets/hledger-file';
import { TargetJournalStore } from '../../posting/targets/target-journal-store';

let f: Fixture;
beforeEach(async () => {
  f = await openFixture();
});
afterEach(async () => {
  await f.cleanup();
});

const T0 = Date.UTC(2026, 0, 5, 9);
const iso = (t: number) => new Date(t).toISOString();

/** n receipts and despatches with on-costs (entries of four and six lines), one document per minute. */
function seed(n: number) {
  const { bulk, wh } = f.ids;
  for (let i = 0; i < n; i++) {
    const at = iso(T0 + i * 60_000);
    f.ledger.poster.post(f.doc('receipt', [{ productId: bulk, siteId: wh, type: 'stock_receipt', qty: 2_000, unitCost: 15_000 + i, onCosts: { freight: 120 } }], { occurredAt: at }), f.ids.admin);
    f.ledger.poster.post(f.doc('despatch', [{ productId: bulk, siteId: wh, type: 'stock_despatch', qty: -1_500, onCosts: { freight: 120, excise: 40 } }], { occurredAt: at }), f.ids.admin);
  }
}

describe('0039 journal line ranges', () => {
  it('gives the chunks of a ledger posted before it their line ranges; every batch stays readable, exportable and reversible', async () => {
    const db = f.ledger.db;
    const q = (sql: string) => db.prepare(sql).pluck().get() as number;
    seed(6);
    let store = new PostingStore(db);
    const builtin = await runPosting(store, new BuiltinLedgerTarget(store), { to: T0 + 3 * 60_000, summarised: false, userId: f.ids.admin, chunkSize: 3 });
    const file = join(f.dir, 'books.journal');
    const hledger = new HledgerFileTarget(store, file);
    hledger.ensureFile(store.accounts(), 'GBP');
    const exported = await runPosting(store, hledger, { to: T0 + 86_400_000, summarised: false, userId: f.ids.admin, chunkSize: 3 });
    const journal = readFileSync(file, 'utf8');
    const linesOf = (batchId: number) => TargetJournalStore.of(db).batchLines(batchId);
    const before = [linesOf(builtin.batchId), linesOf(exported.batchId)];

    // The ledger as it was before 0039: every line holds its entry's description, chunks have no ranges, lines are indexed by chunk.
    await undoMigrationsThrough(f.ledger, 'JournalLineRanges1732400003900');
    expect(q("SELECT COUNT(*) FROM journal_lines WHERE description = ''")).toBe(0);
    expect(q("SELECT COUNT(*) FROM sqlite_master WHERE name = 'IDX_journal_lines_batch_chunk'")).toBe(1);
    expect(q("SELECT COUNT(*) FROM sqlite_master WHERE name = 'journal_chunk_lines'")).toBe(0);
    // the hledger batch's last chunk not yet in the file (a crash before its mark): the migrated ledger must write it again
    db.prepare('UPDATE journal_chunks SET exported_end = NULL WHERE batch_id = ? AND chunk_no = (SELECT MAX(chunk_no) FROM journal_chunks WHERE batch_id = ?)').run(exported.batchId, exported.batchId);

    await f.ledger.dataSource.runMigrations({ transaction: 'each' });
    expect(q("SELECT COUNT(*) FROM sqlite_master WHERE name = 'IDX_journal_lines_batch_chunk'")).toBe(0);
    // each chunk with lines has a range, exactly its lines
    expect(q('SELECT COUNT(*) FROM journal_chunk_lines')).toBe(q('SELECT COUNT(*) FROM journal_chunks WHERE line_count > 0'));
    expect(
      q(`SELECT COUNT(*) FROM journal_chunks c LEFT JOIN journal_chunk_lines r USING (batch_id, chunk_no) WHERE c.line_count > 0 AND (r.first_line IS NULL
           OR (SELECT COUNT(*) FROM journal_lines l WHERE l.id BETWEEN r.first_line AND r.last_line AND l.batch_id = c.batch_id AND l.chunk_no = c.chunk_no) <> c.line_count
           OR r.last_line - r.first_line + 1 <> c.line_count)`),
    ).toBe(0);
    store = new PostingStore(db);
    expect([linesOf(builtin.batchId), linesOf(exported.batchId)]).toEqual(before);

    // the file target writes its pending chunk again from the migrated lines, byte for byte
    const again = new HledgerFileTarget(store, file);
    again.sync();
    expect(readFileSync(file, 'utf8')).toBe(journal);
    expect(again.entriesHeld()).toBe(exported.lastEntryAfter);

    // both old batches reverse: mirror lines with their descriptions, entry checks hold, the movements post again
    const target = new BuiltinLedgerTarget(store);
    expect(target.lastEntryId()).toBe(builtin.entryCount);
    const rev = reverseBatch(store, target, builtin.batchId, f.ids.admin, Date.now());
    expect([rev.entryCount, rev.totalDebit, rev.entryCheckOk, rev.balanced]).toEqual([builtin.entryCount, builtin.totalCredit, true, true]);
    expect(linesOf(rev.batchId).map((l) => [l.account, -l.amount, l.description])).toEqual(before[0]!.map((l) => [l.account, l.amount, `Reversal of batch ${builtin.batchId}: ${l.description}`]));
    expect(target.findBatch(rev.batchId)).toEqual({ found: true, entries: builtin.entryCount });
    const fileRev = reverseBatch(store, again, exported.batchId, f.ids.admin, Date.now());
    expect([fileRev.entryCount, fileRev.entryCheckOk]).toEqual([exported.entryCount, true]);
    const repost = await runPosting(store, target, { to: T0 + 86_400_000, summarised: false, userId: f.ids.admin, chunkSize: 3 });
    expect([repost.movementCount, repost.entryCheckOk, repost.balanced]).toEqual([builtin.movementCount + exported.movementCount, true, true]);
    const balances = (rows: { code: string; debit: number; credit: number }[]) => {
      const m = new Map<string, number>();
      for (const r of rows) m.set(r.code, (m.get(r.code) ?? 0) + r.debit - r.credit);
      return Object.fromEntries([...m].filter(([, v]) => v !== 0));
    };
    expect(balances(store.trialBalance('builtin').rows)).toEqual(balances([...builtin.accounts, ...exported.accounts]));
  });
});
