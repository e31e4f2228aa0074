import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { runPosting } from '../posting/batch-runner';
import { PostingStore } from '../posting/posting-store';
import { openTarget } from '../posting/targets/open-target';
import { externalAnchors } from './external-anchors-store';
import { fullCheck } from './full-check';

let f: Fixture;
beforeEach(async () => {
  f = await openFixture();
  const line = (qty: number) => ({ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'stock_receipt' as const, qty, unitCost: 1_500 });
  for (let i = 1; i <= 6; i++) f.ledger.poster.post(f.doc('receipt', [line(100 * i)]), f.ids.admin);
});
afterEach(async () => f.cleanup());

/**
 * The hledger journal's chain heads (external-anchors-store.ts) after a SQLite ledger file went back to an older copy of
 * itself (VACUUM INTO, the file copied back), so a batch id is repeated in the journal, and SQLite's full check of the
 * file (full-check.ts) over it. What a journal anchors on either store: external-anchors-store.test.ts.
 */
describe('the hledger journal keeps the chain head of every batch, across a restore of the ledger file', () => {
  const receipt = (qty: number) => f.doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'stock_receipt', qty, unitCost: 2_000 }]);
  const post = (journal: string, insideChunk?: () => void) => {
    const store = new PostingStore(f.ledger.db);
    return runPosting(store, openTarget(store, `hledger:${journal}`), { to: Date.now() + 60_000, summarised: false, userId: f.ids.admin, insideChunk });
  };
  /** Batch 1, a copy, batch 2; back to the copy (batch 2 undone, id counter back to 1); other movements, and batch 2 again. */
  async function postRestoreRepost(journal: string, insideChunk?: () => void) {
    const b1 = await post(journal, insideChunk);
    const copy = join(f.dir, 'before-batch-2.db');
    f.ledger.db.exec(`VACUUM INTO '${copy}'`);
    f.ledger.poster.post(receipt(700), f.ids.admin);
    const undone = await post(journal, insideChunk);
    await f.ledger.close();
    for (const suffix of ['-wal', '-shm']) rmSync(f.path + suffix, { force: true });
    copyFileSync(copy, f.path);
    f.ledger = await SqliteLedger.open(f.path);
    f.ledger.poster.post(receipt(900), f.ids.admin);
    f.ledger.poster.post(receipt(50), f.ids.admin);
    const again = await post(journal, insideChunk);
    expect([b1.batchId, undone.batchId, again.batchId]).toEqual([1, 2, 2]);
    expect(readFileSync(journal, 'utf8').match(/^; stockbook begin batch=2 chunk=0 chain=/gm)).toHaveLength(2);
    const hash = (seq: number) => (f.ledger.db.prepare('SELECT hash FROM movements WHERE seq = ?').get(seq) as { hash: string }).hash;
    return { hash };
  }

  it('a batch id repeated in the journal by a restore from an older backup: only this ledger\'s own batch 2 anchors, and the ledger stays healthy', async () => {
    const journal = join(f.dir, 'books.journal');
    const { hash } = await postRestoreRepost(journal);
    // The undone batch 2 recorded chain=7:<the undone movement 7>; this ledger's batch 2 starts from its own movement 8.
    expect(externalAnchors(f.ledger.db)).toEqual([
      { seq: 6, hash: hash(6), source: `posting batch 1 in the journal ${journal}` },
      { seq: 8, hash: hash(8), source: `posting batch 2 in the journal ${journal}` },
    ]);
    expect(f.ledger.verify({ externalAnchors: externalAnchors(f.ledger.db) }).ok).toBe(true);
    const full = fullCheck(f.path); // what the background check runs: a failure here switches the app to safe mode
    expect(full.problems).toEqual([]);
    expect(full.ok).toBe(true);
  });

  it('markers written before batches had marks anchor only where this ledger\'s batch began in the journal', async () => {
    const journal = join(f.dir, 'books.journal');
    // Every batch written as the older version did: no mark in the database or in the marker.
    const { hash } = await postRestoreRepost(journal, () => f.ledger.db.prepare('UPDATE journal_batches SET mark = NULL').run());
    expect(readFileSync(journal, 'utf8')).not.toContain(' mark=');
    expect(externalAnchors(f.ledger.db)).toEqual([
      { seq: 6, hash: hash(6), source: `posting batch 1 in the journal ${journal}` },
      { seq: 8, hash: hash(8), source: `posting batch 2 in the journal ${journal}` },
    ]);
    expect(fullCheck(f.path).ok).toBe(true);
  });
});
