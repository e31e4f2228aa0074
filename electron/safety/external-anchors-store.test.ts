import Database from 'better-sqlite3';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { hashMovement, type MovementRow } from '../ledger/store/movement-hash';
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

describe('the hledger journal keeps the chain head of every batch', () => {
  it('the first chunk of a batch carries chain=seq:hash; a re-hashed ledger with rewritten anchors is caught by the journal', async () => {
    const journal = join(f.dir, 'books.journal');
    const store = new PostingStore(f.ledger.db);
    const r = await runPosting(store, openTarget(store, `hledger:${journal}`), { to: Date.now() + 60_000, summarised: false, userId: f.ids.admin });
    expect(r.movementCount).toBe(6);
    const head = f.ledger.db.prepare('SELECT seq, hash FROM movements WHERE seq = 6').get() as { seq: number; hash: string };
    const { mark } = f.ledger.db.prepare('SELECT mark FROM journal_batches WHERE id = ?').get(r.batchId) as { mark: string };
    expect(mark).toMatch(/^[0-9a-f]{32}$/);
    expect(readFileSync(journal, 'utf8')).toContain(`; stockbook begin batch=${r.batchId} chunk=0 chain=6:${head.hash} mark=${mark}\n`);
    expect(externalAnchors(f.ledger.db)).toEqual([{ seq: 6, hash: head.hash, source: `posting batch ${r.batchId} in the journal ${journal}` }]);
    await f.ledger.close();

    // Around the app: edit movement 2, re-hash the chain, and rewrite every anchor inside the file to match.
    const raw = new Database(f.path);
    raw.exec('DROP TRIGGER TRG_movements_no_update; DROP TRIGGER TRG_chain_anchors_no_update;');
    raw.prepare('UPDATE movements SET unit_cost = 1 WHERE seq = 2').run();
    let prev = (raw.prepare('SELECT hash FROM movements WHERE seq = 1').get() as { hash: string }).hash;
    for (const row of raw.prepare('SELECT * FROM movements WHERE seq >= 2 ORDER BY seq').all() as MovementRow[]) {
      const { hash: _h, prev_hash: _p, ...content } = row;
      const hash = hashMovement(prev, content);
      raw.prepare('UPDATE movements SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, row.seq);
      prev = hash;
    }
    raw.prepare('UPDATE chain_anchors SET hash = ?').run(prev);
    raw.prepare('UPDATE journal_batches SET chain_hash = ?').run(prev);
    raw.close();

    f.ledger = await SqliteLedger.open(f.path);
    const inside = f.ledger.verify().checks.find((c) => c.name === 'chain-anchors')!;
    expect(inside.ok).toBe(true);
    const report = f.ledger.verify({ externalAnchors: externalAnchors(f.ledger.db) });
    expect(report.checks.find((c) => c.name === 'chain-anchors')!.problems).toEqual([
      `movement 6: its hash differs from the one posting batch ${r.batchId} in the journal ${journal} recorded (the chain up to it was rewritten)`,
    ]);
  });

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

  it('two ledgers posting to one journal: each takes only its own batch 1', async () => {
    const journal = join(f.dir, 'books.journal');
    const other = await openFixture();
    try {
      other.ledger.poster.post(receipt(300), other.ids.admin);
      const otherStore = new PostingStore(other.ledger.db);
      const theirs = await runPosting(otherStore, openTarget(otherStore, `hledger:${journal}`), { to: Date.now() + 60_000, summarised: false, userId: other.ids.admin });
      const ours = await post(journal);
      expect([theirs.batchId, ours.batchId]).toEqual([1, 1]);
      const head = (l: Fixture['ledger'], seq: number) => (l.db.prepare('SELECT hash FROM movements WHERE seq = ?').get(seq) as { hash: string }).hash;
      expect(externalAnchors(f.ledger.db)).toEqual([{ seq: 6, hash: head(f.ledger, 6), source: `posting batch 1 in the journal ${journal}` }]);
      expect(externalAnchors(other.ledger.db)).toEqual([{ seq: 1, hash: head(other.ledger, 1), source: `posting batch 1 in the journal ${journal}` }]);
      expect(fullCheck(f.path).ok).toBe(true);
      expect(fullCheck(other.path).ok).toBe(true);
    } finally {
      await other.cleanup();
    }
  });
});
