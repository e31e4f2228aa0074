import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../../test/fixtures/ledger';
import { runPosting } from '../batch-runner';
import { PostingStore } from '../posting-store';
import { reportText } from '../posting-report';
import { BuiltinLedgerTarget } from './builtin-ledger';
import { openTarget } from './open-target';

/**
 * Seed 004's check "last entry id before + postings = last entry id after" reads the entries the finance system
 * really holds: an entry removed from the target between two postings makes the next batch's check fail, saying so.
 */
let f: Fixture;
let store: PostingStore;
const T0 = Date.UTC(2026, 0, 5, 9);
const DAY = 86_400_000;

/** n receipts and despatches of the bulk product, one a minute from `start`. */
function seed(n: number, start: number) {
  const { bulk, wh } = f.ids;
  for (let i = 0; i < n; i++) {
    const at = new Date(start + i * 60_000).toISOString();
    f.ledger.poster.post(f.doc('receipt', [{ productId: bulk, siteId: wh, type: 'stock_receipt', qty: 2_000, unitCost: 15_000 + i }], { occurredAt: at }), f.ids.admin);
    f.ledger.poster.post(f.doc('despatch', [{ productId: bulk, siteId: wh, type: 'stock_despatch', qty: -1_500 }], { occurredAt: at }), f.ids.admin);
  }
}

beforeEach(async () => {
  f = await openFixture();
  store = new PostingStore(f.ledger.db);
  seed(5, T0);
  seed(5, T0 + DAY);
});
afterEach(async () => f.cleanup());

describe('the entry-id check reads the target’s own entries', () => {
  it('hledger file: an entry removed from the journal between postings makes the next check fail with a clear message', async () => {
    const file = join(f.dir, 'books.journal');
    const target = openTarget(store, `hledger:${file}`);
    const first = await runPosting(store, target, { to: T0 + DAY - 1, summarised: false, userId: f.ids.admin });
    expect(first.entryCount).toBe(10);
    expect([first.lastEntryBefore, first.lastEntryAfter, first.entryCheckOk]).toEqual([0, 10, true]);

    // Someone deletes entry 4 from the journal file (its header line and its postings); Stockbook's end markers still say 10.
    const text = readFileSync(file, 'utf8');
    const cut = text.replace(/\n\d{4}-\d\d-\d\d \(4\) [^\n]*\n(?: {4}[^\n]*\n)+/, '\n');
    expect(cut.length).toBeLessThan(text.length);
    writeFileSync(file, cut);

    const second = await runPosting(store, target, { to: T0 + 2 * DAY, summarised: false, userId: f.ids.admin });
    expect(second.entryCount).toBe(10);
    expect(second.lastEntryBefore).toBe(10);
    expect(second.lastEntryAfter).toBe(19);
    expect(second.entryCheckOk).toBe(false);
    expect(second.message).toContain("CHECK FAILED: the finance system holds 19 of Stockbook's entries but 20 were posted to it — 1 entry is missing there.");
    expect(reportText(second, { currency: 'GBP', locale: 'en-GB', timeZone: 'UTC' })).toContain('Last entry id after (target):     19   CHECK FAILED');
  });

  it('hledger file: an untouched journal passes the check batch after batch', async () => {
    const target = openTarget(store, `hledger:${join(f.dir, 'books.journal')}`);
    const first = await runPosting(store, target, { to: T0 + DAY - 1, summarised: false, userId: f.ids.admin });
    const second = await runPosting(store, target, { to: T0 + 2 * DAY, summarised: true, userId: f.ids.admin });
    expect([first.lastEntryAfter, first.entryCheckOk]).toEqual([10, true]);
    expect([second.lastEntryBefore, second.lastEntryAfter - second.entryCount, second.entryCheckOk]).toEqual([10, 10, true]);
    expect(second.message).not.toContain('CHECK FAILED');
  });

  it('built-in ledger: an entry dropped from the journal lines makes the next check fail with a clear message', async () => {
    const target = new BuiltinLedgerTarget(store);
    const first = await runPosting(store, target, { to: T0 + DAY - 1, summarised: false, userId: f.ids.admin });
    expect([first.lastEntryAfter, first.entryCheckOk]).toEqual([10, true]);

    f.ledger.db.prepare('DELETE FROM journal_lines WHERE batch_id = ? AND entry_no = 4').run(first.batchId);

    const second = await runPosting(store, target, { to: T0 + 2 * DAY, summarised: false, userId: f.ids.admin });
    expect(second.lastEntryBefore).toBe(10);
    expect(second.lastEntryAfter).toBe(19);
    expect(second.entryCheckOk).toBe(false);
    expect(second.message).toContain('1 entry is missing there');
  });
});
