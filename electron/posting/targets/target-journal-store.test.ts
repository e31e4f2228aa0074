import { describe, expect, it } from 'vitest';
import { doc } from '../../../test/fixtures/ledger';
import { postingPerTest, type PostingUnderTest } from '../../../test/fixtures/posting-under-test';
import { STORE_UNDER_TEST } from '../../../test/fixtures/store-under-test';
import { runPosting } from '../batch-runner';
import { BUILTIN_TARGET } from './builtin-ledger';

/**
 * The journal tables as a finance target reads them back, on the configured store (test/fixtures/store-under-test.ts):
 * SQLite's TargetJournalStore or PgPostingStore's reads. SQLite's own machinery (statements per connection, line packs,
 * the query plan) is target-journal-store.sqlite.test.ts.
 */
let p: PostingUnderTest;
postingPerTest((opened) => (p = opened));

describe(`the journal tables read back by target, on ${STORE_UNDER_TEST}`, () => {
  it("answers the built-in ledger's questions from the journal of its own target only", async () => {
    const { bulk, wh, admin } = p.ids;
    for (let i = 0; i < 3; i++) await p.core.post(doc('receipt', [{ productId: bulk, siteId: wh, type: 'stock_receipt', qty: 10, unitCost: 100 + i }]), admin);
    const builtin = await p.openTarget(BUILTIN_TARGET);
    expect(await builtin.lastEntryId()).toBe(0);
    expect(await p.journal.entriesHeld(BUILTIN_TARGET)).toBe(0);

    const r = await runPosting(p.store, builtin, { to: Date.now() + 60_000, summarised: false, userId: admin });
    const entries = await p.journal.entriesHeld(BUILTIN_TARGET);
    expect(entries).toBeGreaterThan(0);
    expect(await builtin.entriesHeld()).toBe(entries);
    expect(await p.journal.findBatch(r.batchId, BUILTIN_TARGET)).toEqual({ found: true, entries });
    expect(await builtin.findBatch(r.batchId)).toEqual({ found: true, entries });
    expect(await builtin.lastEntryId()).toBe(r.lastEntryAfter);
    // another target's key sees none of it
    expect(await p.journal.findBatch(r.batchId, 'hledger:/nowhere.journal')).toEqual({ found: false, entries: 0 });
    expect(await p.journal.entriesHeld('hledger:/nowhere.journal')).toBe(0);
    expect(await p.journal.pendingChunks('hledger:/nowhere.journal')).toEqual([]);
  });
});
