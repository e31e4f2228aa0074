import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostDocumentInput } from '../../shared/contract/schemas';
import { pgLedgerForFile, type PgFixture } from '../../test/fixtures/pg-ledger';
import { settledOrWaiting, writeBetween } from '../../test/fixtures/pg-servers';
import { openPool } from '../ledger/pg/pg-types';
import { PgPostingStore } from './pg-posting-store';
import type { NewBatch } from './posting-store-api';

/**
 * The posting batch start's check (every movement posted or queued, pg 0017) on PostgreSQL, with two servers starting
 * batches at once: each reads its "checked through" mark (pg 0018), checks up to the head and moves the mark under the
 * chain lock its batch start takes, so no start moves the mark past a movement it did not check, whatever commits between.
 * An insert site that forgets its queue row is played by the movements' queue trigger skipping the shop's movements.
 */
let f: PgFixture;
pgLedgerForFile((fixture) => (f = fixture));

let poolA: pg.Pool;
let poolB: pg.Pool;
/** Two servers, each on a pool of its own. */
let a: PgPostingStore;
let b: PgPostingStore;
beforeAll(async () => {
  poolA = openPool(f.connection, 2);
  poolB = openPool(f.connection, 2);
  a = new PgPostingStore(poolA);
  b = new PgPostingStore(poolB);
  await f.pool.query(`CREATE OR REPLACE FUNCTION "movements_unposted"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO "unposted_movements" ("occurred_at", "seq") SELECT "occurred_at", "seq" FROM rows_in WHERE "site_id" <> ${f.ids.shop};
      RETURN NULL;
    END $$`);
});
afterAll(async () => {
  await poolA?.end();
  await poolB?.end();
});

let counter = 0;
const receipt = (siteId: number): PostDocumentInput => ({
  idempotencyKey: `queue-check-${process.pid}-${++counter}`,
  type: 'receipt',
  lines: [{ productId: f.ids.bulk, siteId, type: 'stock_receipt', qty: 1_000, unitCost: 2_000 }],
});
/** A movement queued as it should be (the warehouse), or one its insert site failed to queue (the shop): its seq. */
const record = async (siteId: number) => (await f.store.post(receipt(siteId), f.ids.admin)).lastSeq!;
const start = (): NewBatch => ({ target: 'builtin', postedTo: Date.now(), summarised: false, userId: f.ids.admin, now: Date.now(), lastEntry: 0, targetStart: null, targetId: null });
const checkedThrough = async () => (await f.pool.query<{ n: number }>('SELECT checked_through AS n FROM posting_queue_check')).rows[0]!.n;
const head = async () => (await f.pool.query<{ n: number }>('SELECT MAX(seq) AS n FROM movements')).rows[0]!.n;
const requeue = (seq: number) => f.pool.query('INSERT INTO unposted_movements (occurred_at, seq) SELECT occurred_at, seq FROM movements WHERE seq = $1', [seq]);
const REFUSED = /^1 movement and 0 value credits are neither posted nor in the unposted queue/;

describe('batch starts on two servers at once (PostgreSQL)', () => {
  it('both start while movements are recorded: the mark ends at the head the last of them checked, never past it', async () => {
    await record(f.ids.wh);
    for (let round = 0; round < 4; round++) {
      const [ida, idb] = await Promise.all([a.createBatch(start()), b.createBatch(start()), record(f.ids.wh)]);
      const seqs = (await f.pool.query<{ chain_seq: number }>('SELECT chain_seq FROM journal_batches WHERE id = ANY($1::int[]) ORDER BY id DESC', [[ida, idb]])).rows;
      // the later start (the higher id) wrote the mark last, at the head it read
      expect(await checkedThrough()).toBe(seqs[0]!.chain_seq);
      expect(seqs[1]!.chain_seq).toBeLessThanOrEqual(seqs[0]!.chain_seq);
    }
  });

  it('a movement left unqueued between two starts is never behind the mark: the start that follows it refuses, and so does every later one', async () => {
    const before = await record(f.ids.wh);
    await a.createBatch(start());
    expect(await checkedThrough()).toBe(before);
    // Server A's start has read its head; then the unqueued movement and server B's start come, each waiting for A's chain lock.
    let others: Promise<PromiseSettledResult<number>[]> = Promise.resolve([]);
    const between = writeBetween(poolA, /SELECT seq, hash FROM movements ORDER BY seq DESC LIMIT 1/, () => (others = Promise.allSettled([record(f.ids.shop), b.createBatch(start())])), {
      until: (w) => settledOrWaiting(f.pool, w, 2),
    });
    await a.createBatch(start());
    expect(between()).toBe(true);
    const [bad, fromB] = await others;
    expect(bad!.status).toBe('fulfilled');
    const badSeq = (bad as PromiseFulfilledResult<number>).value;
    expect(badSeq).toBe(before + 1);
    // B either started before the movement was recorded (its head is below it) or checked it and refused
    if (fromB!.status === 'rejected') expect(String((fromB as PromiseRejectedResult).reason)).toMatch(/1 movement and 0 value credits are neither/);
    expect(await checkedThrough()).toBeLessThan(badSeq);
    const batches = (await f.pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM journal_batches')).rows[0]!.n;
    const later = await Promise.allSettled([a.createBatch(start()), b.createBatch(start())]);
    expect(later.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    for (const r of later) expect(String((r as PromiseRejectedResult).reason)).toMatch(/neither posted nor in the unposted queue/);
    expect((await f.pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM journal_batches')).rows[0]!.n).toBe(batches);
    expect(await checkedThrough()).toBeLessThan(badSeq);
    await requeue(badSeq);
    await expect(b.createBatch(start())).resolves.toBeGreaterThan(0);
    expect(await checkedThrough()).toBe(await head());
  });

  it('a start refused by one server leaves the mark for the other, which refuses too', async () => {
    await b.createBatch(start());
    const mark = await checkedThrough();
    const bad = await record(f.ids.shop);
    await expect(a.createBatch(start())).rejects.toThrow(REFUSED);
    await expect(b.createBatch(start())).rejects.toThrow(REFUSED);
    expect(await checkedThrough()).toBe(mark);
    await requeue(bad);
    await a.createBatch(start());
    expect(await checkedThrough()).toBe(bad);
  });
});
