import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { hashMovement, type MovementRow } from '../ledger/store/movement-hash';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { runPosting } from '../posting/batch-runner';
import { PostingStore } from '../posting/posting-store';
import { openTarget } from '../posting/targets/open-target';
import { externalAnchors } from './external-anchors-store';

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
    expect(readFileSync(journal, 'utf8')).toContain(`; stockbook begin batch=${r.batchId} chunk=0 chain=6:${head.hash}\n`);
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
});
