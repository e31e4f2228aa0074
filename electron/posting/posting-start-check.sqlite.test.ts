import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { PostingStore } from './posting-store';

/**
 * SQLite's start check in two parts: a job checks the movements up to the head its read connection sees
 * (checkQueuedUpToHead), and the writer's createBatch then checks only the movements after that head
 * (queueCheckedThrough), so the first batch over a long history does not hold the writer while it reads it all.
 */
let f: Fixture;
let store: PostingStore;
beforeEach(async () => {
  f = await openFixture();
  store = new PostingStore(f.ledger.db);
});
afterEach(() => f.cleanup());

const REFUSED = /^1 movement and 0 value credits are neither posted nor in the unposted queue/;
const start = { target: 'builtin', postedTo: Date.UTC(2099, 0, 1), summarised: false, now: 0, lastEntry: 0, targetStart: null, targetId: null };
const receive = (k: number) =>
  f.ledger.poster.postMany(
    Array.from({ length: k }, () => f.doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'stock_receipt', qty: 1, unitCost: 2_5000 }])),
    f.ids.admin,
  );
const head = () => f.ledger.db.prepare('SELECT MAX(seq) FROM movements').pluck().get() as number;
const unqueue = (seq: number) => f.ledger.db.prepare('DELETE FROM unposted_movements WHERE seq = ?').run(seq);
const checkedThrough = () => f.ledger.db.prepare('SELECT checked_through FROM posting_queue_check').pluck().get() as number | undefined;

describe("SQLite's posting start check, split between a job's connection and the writer", () => {
  it('the job side checks every movement up to the head it sees and answers that head', () => {
    receive(4);
    expect(store.checkQueuedUpToHead()).toBe(head());
    unqueue(2);
    expect(() => store.checkQueuedUpToHead()).toThrow(REFUSED);
  });

  it('the writer checks only the movements after the head the job checked, and moves the mark to its own head', () => {
    receive(4);
    const checked = head();
    receive(3); // committed after the job's check
    unqueue(checked + 2);
    expect(() => store.createBatch({ ...start, userId: f.ids.admin, queueCheckedThrough: checked })).toThrow(REFUSED);
    expect(checkedThrough() ?? 0).toBe(0);
    f.ledger.db.prepare('INSERT INTO unposted_movements (occurred_at, seq) SELECT occurred_at, seq FROM movements WHERE seq = ?').run(checked + 2);

    // A movement at or before the head the job checked is not read again on the writer: the job answered for it.
    unqueue(2);
    const id = store.createBatch({ ...start, userId: f.ids.admin, queueCheckedThrough: checked });
    expect(id).toBeGreaterThan(0);
    expect(checkedThrough()).toBe(head());
  });

  it('without a head checked before (a batch started on the writer itself), the writer checks from the mark as before', () => {
    receive(4);
    unqueue(2);
    expect(() => store.createBatch({ ...start, userId: f.ids.admin })).toThrow(REFUSED);
  });
});
