import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture } from '../../../test/fixtures/ledger';
import { openPgFixture } from '../../../test/fixtures/pg-ledger';
import { pgPosting, sqlitePosting, type PostingLedger } from '../../../test/fixtures/posting-under-test';
import { clusterForConfiguredStore, STORE_UNDER_TEST } from '../../../test/fixtures/store-under-test';
import { runPosting } from '../../posting/batch-runner';
import { recordPgAnchor } from '../pg/store/pg-anchor-store';
import { recordAnchor, type AnchorSource, type ChainHead } from './chain-anchors';

/**
 * Chain anchors on the configured store (test/fixtures/store-under-test.ts): SQLite's chain-anchors.ts by default,
 * PostgreSQL's pg-anchor-store.ts (and its posting store's anchor) in `npm run test:unit:pg`. A posting batch anchors
 * the head it starts from with the running sum of quantities; a head the chain does not hold is never anchored. The
 * anchors of SQLite's checked backups and its incremental verify from them: verify.incremental.sqlite.test.ts.
 */
const cluster = clusterForConfiguredStore();

/** A ledger of the configured store with its posting store, and the store's own anchor writer. */
interface AnchoredLedger {
  posting: PostingLedger;
  ids: { wh: number; bulk: number; binA: number; admin: number };
  /** Records `at` (by default the current head) as an anchor: chainHead and recordAnchor on SQLite, recordPgAnchor on PostgreSQL. */
  record(source: AnchorSource, ref: number | null, at?: ChainHead): Promise<ChainHead>;
}

async function openLedger(): Promise<AnchoredLedger> {
  if (STORE_UNDER_TEST === 'sqlite') {
    const f = await openFixture();
    return { posting: sqlitePosting(f.ledger, f.dir, () => f.cleanup()), ids: f.ids, record: async (source, ref, at) => recordAnchor(f.ledger.db, source, ref, at) };
  }
  const f = await openPgFixture(cluster()!);
  return { posting: pgPosting(f.pool, f.store, f.ids.admin, () => f.close()), ids: f.ids, record: (source, ref, at) => recordPgAnchor(f.pool, source, ref, Date.now(), at) };
}

let l: AnchoredLedger;
let keys = 0;
const post = (...qtys: number[]) =>
  l.posting.core.post(
    {
      idempotencyKey: `anchor-${process.pid}-${++keys}`,
      type: qtys[0]! > 0 ? 'receipt' : 'despatch',
      lines: qtys.map((qty) => ({ productId: l.ids.bulk, siteId: l.ids.wh, binId: l.ids.binA, type: qty > 0 ? ('inbound' as const) : ('sale' as const), qty, unitCost: 100 })),
    },
    l.ids.admin,
  );
const sumQty = async () => Number((await l.posting.rows<{ q: number }>('SELECT SUM(qty) AS q FROM movements'))[0]!.q);
const anchorRows = () => l.posting.rows('SELECT seq, source, ref, qty_sum AS "qtySum" FROM chain_anchors ORDER BY id');

beforeEach(async () => {
  l = await openLedger();
  await post(5_000, 2_000);
  await post(-1_000);
  await post(700, 300, 200);
  // Movement 6 anchored with the running sum of quantities, as a backup anchors it; then movements 7..9.
  await l.record('backup', null);
  await post(400);
  await post(-250, -50);
});
afterEach(async () => {
  await l.posting.close();
});

describe(`anchors record the chain head with its running sum (${STORE_UNDER_TEST})`, () => {
  it('a posting batch records the head it starts from with its running sum', async () => {
    const posted = await runPosting(l.posting.store, await l.posting.openTarget('builtin'), { to: Date.now() + 60_000, summarised: true, userId: l.ids.admin });
    expect(await anchorRows()).toContainEqual({ seq: 9, source: 'posting', ref: posted.batchId, qtySum: await sumQty() });
    // The chain head's running sum, read from the newest anchor carrying one (the posting's), as the next anchor records it.
    expect(await l.record('check', null)).toMatchObject({ seq: 9, qtySum: await sumQty() });
  });

  it('refuses to record a head the chain does not hold, and writes nothing', async () => {
    const before = await anchorRows();
    await expect(l.record('check', null, { seq: 8, hash: 'f'.repeat(64), qtySum: 1 })).rejects.toThrow(/movement 8\) is not the one this ledger holds, so no anchor was recorded/);
    await expect(l.record('check', null, { seq: 99, hash: 'f'.repeat(64), qtySum: 1 })).rejects.toThrow(/movement 99/);
    expect(await anchorRows()).toEqual(before);
  });
});

describe(`a full verify holds the chain to every anchor (${STORE_UNDER_TEST})`, () => {
  it('a forged anchor with the right hash but a false running sum: the sums tell', async () => {
    // Around the app: an anchor at movement 8 with its true hash and a running sum of 99 (inserting is not refused).
    await l.posting.rows("INSERT INTO chain_anchors (seq, hash, recorded_at, source, ref, qty_sum) SELECT 8, hash, 0, 'check', NULL, 99 FROM movements WHERE seq = 8");
    const report = await l.posting.core.verify();
    expect(report.checks.find((c) => c.name === 'chain-anchors')!.problems).toEqual([
      `movement 8: chain anchor 2 (check) recorded quantities summing to 99, but the movements up to it sum to ${(await sumQty()) + 50} (a forged anchor)`,
    ]);
  });
});
