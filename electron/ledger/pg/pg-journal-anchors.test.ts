import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPgFixture, type PgFixture } from '../../../test/fixtures/pg-ledger';
import type { MovementRow } from '../entities/document.entities';
import { runPosting } from '../../posting/batch-runner';
import { PgPostingStore } from '../../posting/pg-posting-store';
import { openPgTarget } from '../../posting/targets/pg-targets';
import { hashMovement, MOVEMENT_COLUMNS } from '../store/movement-hash';
import { pgJournalAnchors } from './store/pg-anchor-store';
import { verifyPg } from './store/pg-verify-store';
import { startTestCluster, type TestCluster } from './test-cluster';

/**
 * Issue 17: PostgreSQL's verify holds the chain to the heads kept outside the database too, as SQLite's does
 * (safety/external-anchors-store.test.ts): each hledger journal a batch posted to carries the chain head the batch
 * began from. Whoever holds the database's keys can re-hash the chain and rewrite every anchor stored in it; the
 * journal still says what the chain was.
 */
let cluster: TestCluster;
let f: PgFixture;
let dir: string;
beforeAll(async () => {
  cluster = await startTestCluster();
});
afterAll(() => cluster.stop());
beforeEach(async () => {
  f = await openPgFixture(cluster);
  dir = mkdtempSync(join(tmpdir(), 'stockbook-pg-journal-anchors-'));
  for (let i = 1; i <= 6; i++) {
    await f.store.post({ idempotencyKey: `pg-journal-anchor-${i}`, type: 'receipt', lines: [{ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'stock_receipt', qty: 100 * i, unitCost: 1_500 }] }, f.ids.admin);
  }
});
afterEach(async () => {
  rmSync(dir, { recursive: true, force: true });
  await f.close();
});

const anchorsCheck = async () => (await verifyPg(f.pool)).checks.find((c) => c.name === 'chain-anchors')!;

describe("PostgreSQL's verify and the chain heads in the hledger journals", () => {
  it('a batch to a journal anchors the head it began from; a chain re-hashed with every stored anchor rewritten is caught by the journal', async () => {
    const journal = join(dir, 'books.journal');
    const store = new PgPostingStore(f.pool);
    const r = await runPosting(store, await openPgTarget(store, `hledger:${journal}`), { to: Date.now() + 60_000, summarised: false, userId: f.ids.admin });
    expect(r.movementCount).toBe(6);
    const head = (await f.pool.query<{ hash: string }>('SELECT hash FROM movements WHERE seq = 6')).rows[0]!.hash;
    const { mark } = (await f.pool.query<{ mark: string }>('SELECT mark FROM journal_batches WHERE id = $1', [r.batchId])).rows[0]!;
    expect(readFileSync(journal, 'utf8')).toContain(`; stockbook begin batch=${r.batchId} chunk=0 chain=6:${head} mark=${mark}\n`);
    const c = await f.pool.connect();
    try {
      expect(await pgJournalAnchors(c)).toEqual([{ seq: 6, hash: head, source: `posting batch ${r.batchId} in the journal ${journal}` }]);
    } finally {
      c.release();
    }
    expect((await anchorsCheck()).ok).toBe(true);

    // Around the app, with the database's keys: edit movement 2, re-hash the chain, and rewrite every anchor inside the database to match.
    await f.pool.query('ALTER TABLE movements DISABLE TRIGGER movements_no_update; ALTER TABLE chain_anchors DISABLE TRIGGER chain_anchors_no_update');
    await f.pool.query('UPDATE movements SET unit_cost = 1 WHERE seq = 2');
    const rows = (await f.pool.query<MovementRow>(`SELECT ${MOVEMENT_COLUMNS.join(', ')} FROM movements ORDER BY seq`)).rows;
    let prev = rows[0]!.hash;
    for (const row of rows.slice(1)) {
      const hash = hashMovement(prev, row);
      await f.pool.query('UPDATE movements SET prev_hash = $1, hash = $2 WHERE seq = $3', [prev, hash, row.seq]);
      prev = hash;
    }
    await f.pool.query('UPDATE chain_anchors SET hash = $1', [prev]);
    await f.pool.query('UPDATE journal_batches SET chain_hash = $1', [prev]);
    await f.pool.query('ALTER TABLE movements ENABLE TRIGGER movements_no_update; ALTER TABLE chain_anchors ENABLE TRIGGER chain_anchors_no_update');

    // Without the journal the chain would hold: every check but the journal's anchor passes.
    const report = await verifyPg(f.pool);
    expect(report.checks.filter((x) => !x.ok).map((x) => [x.name, x.problems])).toEqual([
      ['chain-anchors', [`movement 6: its hash differs from the one posting batch ${r.batchId} in the journal ${journal} recorded (the chain up to it was rewritten)`]],
    ]);
  });

  it("another ledger's batch with the same id in the same journal anchors nothing here; a journal not on this machine anchors nothing", async () => {
    const journal = join(dir, 'books.journal');
    const store = new PgPostingStore(f.pool);
    const r = await runPosting(store, await openPgTarget(store, `hledger:${journal}`), { to: Date.now() + 60_000, summarised: false, userId: f.ids.admin });
    // Another ledger's batch 1 in the same journal: the same id, another mark, another head.
    const other = `\n; stockbook begin batch=${r.batchId} chunk=0 chain=1:${'a'.repeat(64)} mark=${'b'.repeat(32)}\n`;
    appendFileSync(journal, other);
    const c = await f.pool.connect();
    try {
      expect((await pgJournalAnchors(c)).map((a) => a.seq)).toEqual([6]);
      rmSync(journal);
      expect(await pgJournalAnchors(c)).toEqual([]);
    } finally {
      c.release();
    }
    expect((await verifyPg(f.pool)).ok).toBe(true);
  });
});
