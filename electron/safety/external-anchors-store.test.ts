import Database from 'better-sqlite3';
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { doc, openFixture } from '../../test/fixtures/ledger';
import { openPgFixture } from '../../test/fixtures/pg-ledger';
import { pgPosting, sqlitePosting, type PostingLedger } from '../../test/fixtures/posting-under-test';
import { pgRowsOn } from '../../test/fixtures/pg-rows';
import { clusterForConfiguredStore, STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';
import type { MovementRow } from '../ledger/entities/document.entities';
import { pgJournalAnchors } from '../ledger/pg/store/pg-anchor-store';
import { verifyPg } from '../ledger/pg/store/pg-verify-store';
import type { ChainAnchor } from '../ledger/store/chain-anchors';
import { hashMovement, MOVEMENT_COLUMNS } from '../ledger/store/movement-hash';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { runPosting } from '../posting/batch-runner';
import { externalAnchors } from './external-anchors-store';
import { fullCheck } from './full-check';

/**
 * The chain heads kept outside the ledger, on the configured store (test/fixtures/store-under-test.ts): each hledger
 * journal a batch posted to carries the chain head the batch began from, with the batch's mark, and the store's full
 * check holds the chain to it (SQLite: external-anchors-store.ts, read by full-check.ts; PostgreSQL: pgJournalAnchors,
 * read by verifyPg). Whoever can edit the ledger can re-hash the chain and rewrite every anchor stored in it; the journal
 * still says what the chain was. A restore of a SQLite file from an older copy: external-anchors-store.sqlite.test.ts.
 */
const cluster = clusterForConfiguredStore();

/** A ledger of the configured store with six receipts posted, and what the tests do to it and read from it. */
interface AnchoredLedger {
  ids: { wh: number; binA: number; bulk: number; admin: number };
  /** A folder of the ledger's own for the journals (removed on close). */
  dir: string;
  /** Posts every movement to the hledger journal at `journal` as a posting run does. */
  postTo(journal: string): Promise<{ batchId: number; movementCount: number }>;
  /** Posts a receipt of `qty` rice into bin A-01 at `unitCost`. */
  receive(qty: number, unitCost: number): Promise<void>;
  /** The rows of a query (`?` placeholders). */
  rows<R>(sql: string, params?: unknown[]): Promise<R[]>;
  /** The chain heads the store reads from outside the ledger (no backups are taken here: the journals' only). */
  externalAnchors(): Promise<ChainAnchor[]>;
  /** Around the app, with the ledger's keys: movement 2 edited, the chain re-hashed, every anchor inside the ledger rewritten to match. */
  rehashAroundTheApp(): Promise<void>;
  /** The store's full check of the whole ledger, anchors inside and outside it: "check: problem" lines of the failed checks. */
  fullCheck(): Promise<{ ok: boolean; problems: string[] }>;
  close(): Promise<void>;
}

async function openLedger(): Promise<AnchoredLedger> {
  const ledger = await (STORE_UNDER_TEST === 'sqlite' ? openSqlite() : openPg());
  for (let i = 1; i <= 6; i++) await ledger.receive(100 * i, 1_500);
  return ledger;
}

/** What both stores' ledgers do the same way, through their posting fixture. */
const postingParts = (p: PostingLedger, ids: AnchoredLedger['ids']) => ({
  ids,
  dir: p.dir,
  postTo: async (journal: string) => runPosting(p.store, await p.openTarget(`hledger:${journal}`), { to: Date.now() + 60_000, summarised: false, userId: ids.admin }),
  receive: async (qty: number, unitCost: number) =>
    void (await p.core.post(doc('receipt', [{ productId: ids.bulk, siteId: ids.wh, binId: ids.binA, type: 'stock_receipt', qty, unitCost }]), ids.admin)),
});

async function openSqlite(): Promise<AnchoredLedger> {
  const f = await openFixture();
  const p = sqlitePosting(f.ledger, f.dir, () => f.cleanup());
  return {
    ...postingParts(p, f.ids),
    // f.ledger, not p's: the tamper below closes the file and opens it again
    rows: async <R,>(sql: string, params: unknown[] = []) => f.ledger.db.prepare(sql).all(...params) as R[],
    externalAnchors: async () => externalAnchors(f.ledger.db),
    rehashAroundTheApp: async () => {
      await f.ledger.close();
      const raw = new Database(f.path);
      // the two triggers out of the way, and put back after, as PostgreSQL's are disabled and enabled again
      const triggers = raw.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ('TRG_movements_no_update', 'TRG_chain_anchors_no_update')").all() as { name: string; sql: string }[];
      expect(triggers).toHaveLength(2);
      for (const t of triggers) raw.exec(`DROP TRIGGER ${t.name}`);
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
      for (const t of triggers) raw.exec(t.sql);
      raw.close();
      f.ledger = await SqliteLedger.open(f.path);
    },
    fullCheck: async () => fullCheck(f.path),
    close: p.close,
  };
}

async function openPg(): Promise<AnchoredLedger> {
  const c = cluster();
  if (!c) throw new Error('A PostgreSQL ledger needs the file\'s cluster.');
  const f = await openPgFixture(c);
  const p = pgPosting(f.pool, f.store, f.ids.admin, () => f.close());
  const rows = pgRowsOn(f.pool);
  return {
    ...postingParts(p, f.ids),
    rows,
    externalAnchors: async () => {
      const client = await f.pool.connect();
      try {
        return await pgJournalAnchors(client);
      } finally {
        client.release();
      }
    },
    rehashAroundTheApp: async () => {
      await rows('ALTER TABLE movements DISABLE TRIGGER movements_no_update');
      await rows('ALTER TABLE chain_anchors DISABLE TRIGGER chain_anchors_no_update');
      await rows('UPDATE movements SET unit_cost = 1 WHERE seq = 2');
      const movements = await rows<MovementRow>(`SELECT ${MOVEMENT_COLUMNS.join(', ')} FROM movements ORDER BY seq`);
      let prev = movements[0]!.hash;
      for (const row of movements.slice(1)) {
        const hash = hashMovement(prev, row);
        await rows('UPDATE movements SET prev_hash = ?, hash = ? WHERE seq = ?', [prev, hash, row.seq]);
        prev = hash;
      }
      await rows('UPDATE chain_anchors SET hash = ?', [prev]);
      await rows('UPDATE journal_batches SET chain_hash = ?', [prev]);
      await rows('ALTER TABLE movements ENABLE TRIGGER movements_no_update');
      await rows('ALTER TABLE chain_anchors ENABLE TRIGGER chain_anchors_no_update');
    },
    fullCheck: async () => {
      const report = await verifyPg(f.pool);
      return { ok: report.ok, problems: report.checks.filter((x) => !x.ok).flatMap((x) => x.problems.slice(0, 5).map((problem) => `${x.name}: ${problem}`)) };
    },
    close: p.close,
  };
}

let l: AnchoredLedger;
beforeEach(async () => {
  l = await openLedger();
});
afterEach(() => l.close());

const hashOf = async (ledger: AnchoredLedger, seq: number) => (await ledger.rows<{ hash: string }>('SELECT hash FROM movements WHERE seq = ?', [seq]))[0]!.hash;

describe('the hledger journal keeps the chain head of every batch', () => {
  it('the first chunk of a batch carries chain=seq:hash; a re-hashed ledger with rewritten anchors is caught by the journal', async () => {
    const journal = join(l.dir, 'books.journal');
    const r = await l.postTo(journal);
    expect(r.movementCount).toBe(6);
    const head = await hashOf(l, 6);
    const { mark } = (await l.rows<{ mark: string }>('SELECT mark FROM journal_batches WHERE id = ?', [r.batchId]))[0]!;
    expect(mark).toMatch(/^[0-9a-f]{32}$/);
    expect(readFileSync(journal, 'utf8')).toContain(`; stockbook begin batch=${r.batchId} chunk=0 chain=6:${head} mark=${mark}\n`);
    expect(await l.externalAnchors()).toEqual([{ seq: 6, hash: head, source: `posting batch ${r.batchId} in the journal ${journal}` }]);
    expect(await l.fullCheck()).toMatchObject({ ok: true, problems: [] });

    await l.rehashAroundTheApp();

    // Without the journal (moved away) the chain and every anchor inside the ledger hold: only the journal can tell.
    const away = `${journal}.away`;
    renameSync(journal, away);
    expect(await l.externalAnchors()).toEqual([]);
    expect(await l.fullCheck()).toMatchObject({ ok: true, problems: [] });
    renameSync(away, journal);
    expect(await l.fullCheck()).toMatchObject({
      ok: false,
      problems: [`chain-anchors: movement 6: its hash differs from the one posting batch ${r.batchId} in the journal ${journal} recorded (the chain up to it was rewritten)`],
    });
  });

  it('two ledgers posting to one journal: each takes only its own batch 1', async () => {
    const journal = join(l.dir, 'books.journal');
    const other = await (STORE_UNDER_TEST === 'sqlite' ? openSqlite() : openPg());
    try {
      await other.receive(300, 2_000);
      const theirs = await other.postTo(journal);
      const ours = await l.postTo(journal);
      expect([theirs.batchId, ours.batchId]).toEqual([1, 1]);
      expect(await l.externalAnchors()).toEqual([{ seq: 6, hash: await hashOf(l, 6), source: `posting batch 1 in the journal ${journal}` }]);
      expect(await other.externalAnchors()).toEqual([{ seq: 1, hash: await hashOf(other, 1), source: `posting batch 1 in the journal ${journal}` }]);
      expect((await l.fullCheck()).ok).toBe(true);
      expect((await other.fullCheck()).ok).toBe(true);
    } finally {
      await other.close();
    }
  });
});
