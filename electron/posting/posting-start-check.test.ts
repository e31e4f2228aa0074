import { describe, expect, it } from 'vitest';
import { jobFinished, storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/*
 * A posting run's start check through the posting job, as the Posting window starts it, on the configured store: a
 * movement that is neither posted nor queued stops the run before any batch is made. On SQLite the check runs on the
 * job's read connection first (JobPostingStore.createBatch) and the writer checks only what came after; on PostgreSQL
 * in createBatch's transaction.
 */
let s: StoreUnderTest;
let n = 0;
const T0 = Date.UTC(2026, 0, 5, 9);
const TO = new Date(T0 + 3_600_000).toISOString();
/** A real posting job (a SQLite run takes its checked backup first): a slow machine's minutes, not a limit checked. */
const SLOW = 180_000;

storePerTest((opened) => (s = opened));

const receive = () =>
  s.call('operations.receive', { idempotencyKey: `start-check-${process.pid}-${++n}`, kind: 'stock_receipt', siteId: s.ids.wh, dutyPaid: false, occurredAt: new Date(T0).toISOString(), lines: [{ productId: s.ids.bulk, qty: 1_000, unitCost: 15_000 }] });
const count = async (sql: string) => Number((await s.rows<{ n: number | string }>(sql))[0]!.n);

async function post(jobId: string, expectedMovements: number) {
  await s.ops['posting.start'](jobId, { to: TO, target: 'builtin', summarised: false, expectedMovements }, s.admin.userId);
  return jobFinished(s, jobId);
}

describe('a posting run started as the window starts it', { timeout: SLOW }, () => {
  it('stops before any batch when a movement is neither posted nor queued, saying so; once its queue row is back it posts every movement', async () => {
    for (let i = 0; i < 3; i++) await receive();
    const [first] = await s.rows<{ seq: number }>('SELECT seq FROM movements ORDER BY seq LIMIT 1');
    await s.rows('DELETE FROM unposted_movements WHERE seq = ? RETURNING seq', [first!.seq]);
    const refused = await post('start-check-refused', 2);
    expect(refused.ok).toBe(false);
    expect(refused.message).toMatch(/1 movement and 0 value credits are neither posted nor in the unposted queue, so a batch would never post them\. Nothing was posted\./);
    expect(await count('SELECT COUNT(*) AS n FROM journal_batches')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM posting_queue_check WHERE checked_through > 0')).toBe(0);

    await s.rows('INSERT INTO unposted_movements (occurred_at, seq) SELECT occurred_at, seq FROM movements WHERE seq = ? RETURNING seq', [first!.seq]);
    const posted = await post('start-check-posted', 3);
    expect(posted).toMatchObject({ ok: true });
    expect(await count('SELECT COUNT(*) AS n FROM movement_postings')).toBe(3);
    expect(await count('SELECT MAX(checked_through) AS n FROM posting_queue_check')).toBe(await count('SELECT MAX(seq) AS n FROM movements'));
  });
});
