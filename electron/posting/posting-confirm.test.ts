import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { postingRunSchema } from '../../shared/contract/posting.schemas';
import { refusalOf } from '../../test/fixtures/refusal';
import { jobFinished, storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';
import { reverseWhileRunning } from './posting-confirmation';

/** Posting starts only from a confirmation, on the configured store (test/fixtures/store-under-test.ts). */
let s: StoreUnderTest;
let n = 0;
const key = () => `posting-confirm-test-${process.pid}-${++n}`;
const T0 = Date.UTC(2026, 0, 5, 9);
const iso = (t: number) => new Date(t).toISOString();
const TO = iso(T0 + 3_600_000);
/** A posting test waits for a real posting job (a SQLite run takes its checked backup first): a slow machine's minutes, not a limit checked. */
const SLOW = 180_000;

storePerTest((opened) => (s = opened));

/** Receives 1 kg of rice into the warehouse at `at`. */
const receive = (at: number) =>
  s.call('operations.receive', { idempotencyKey: key(), kind: 'stock_receipt', siteId: s.ids.wh, dutyPaid: false, occurredAt: iso(at), lines: [{ productId: s.ids.bulk, qty: 1_000, unitCost: 15_000 }] });
const number = async (sql: string) => Number((await s.rows<{ n: number }>(sql))[0]!.n);
const posted = () => number('SELECT COUNT(*) AS n FROM movement_postings');
const batches = () => number('SELECT COUNT(*) AS n FROM journal_batches');
const preview = (to: string, summarised = false) => s.call('posting.preview', { to, target: 'builtin', summarised });

describe('posting starts only from a confirmation', { timeout: SLOW }, () => {
  it('the preview states how many movements, up to when, to which target, detailed or summarised', async () => {
    await receive(T0);
    await receive(T0 + 60_000);
    await receive(T0 + 2 * 3_600_000); // after the chosen time
    expect(await preview(TO, true)).toEqual({
      to: TO,
      target: 'builtin',
      summarised: true,
      unposted: 2,
      unpostedValueCredits: 0,
      firstAt: iso(T0),
      lastAt: iso(T0 + 60_000),
    });
  });

  it('posts up to the second in the company time zone; a date alone means up to 23:59:59.999 local', async () => {
    await s.call('company.update', { name: 'Soho Bar Ltd', currency: 'GBP', timeZone: 'Europe/London', locale: 'en-GB', fyStartMonth: 1 });
    for (const at of ['2026-07-01T23:59:58.000+01:00', '2026-07-01T23:59:59.500+01:00', '2026-07-02T00:00:00.000+01:00']) await receive(Date.parse(at));
    expect(await preview('2026-07-01')).toMatchObject({ to: '2026-07-01T22:59:59.999Z', unposted: 2 });
    expect(await preview('2026-07-01T23:59:59')).toMatchObject({ to: '2026-07-01T22:59:59.999Z', unposted: 2 });
    expect(await preview('2026-07-01T23:59:58')).toMatchObject({ to: '2026-07-01T22:59:58.999Z', unposted: 1 });
    expect(await preview('2026-07-02T00:00')).toMatchObject({ to: '2026-07-01T23:00:00.999Z', unposted: 3 });
    expect(await preview('2026-07-01T22:59:59.000Z')).toMatchObject({ unposted: 1 });
    for (const to of ['2026-07-01', '2026-07-01T23:59:59', '2026-07-01T23:59', '2026-07-01T22:59:59.999Z']) {
      expect(postingRunSchema.safeParse({ to, target: 'builtin', expectedMovements: 2 }).success).toBe(true);
    }
    expect(postingRunSchema.safeParse({ to: 'end of June', target: 'builtin', expectedMovements: 2 }).success).toBe(false);
  });

  it('a start without a confirmed count is refused by the contract', () => {
    const r = postingRunSchema.safeParse({ to: TO, target: 'builtin', summarised: false });
    expect(r.success).toBe(false);
    expect(postingRunSchema.safeParse({ to: TO, target: 'builtin', summarised: false, expectedMovements: 2 }).success).toBe(true);
  });

  it('a stale confirmation is refused and posts nothing; the confirmed count posts exactly those movements', async () => {
    await receive(T0);
    await receive(T0 + 60_000);
    const confirmed = (await preview(TO)).unposted;
    expect(confirmed).toBe(2);
    await receive(T0 + 120_000); // someone records a (backdated) receipt between the preview and the click
    s.events.length = 0;
    let refused: unknown = null;
    try {
      await s.ops['posting.start']('job-stale', { to: TO, target: 'builtin', summarised: false, expectedMovements: confirmed }, s.admin.userId);
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('CONFLICT');
    expect((refused as AppError).message).toBe(
      '3 movements are unposted up to that time now, not the 2 you confirmed: movements were recorded or posted since. Nothing was posted; review the posting again and confirm the new count.',
    );
    expect(s.events).toEqual([]);
    expect([await posted(), await batches()]).toEqual([0, 0]);

    // reviewed again: 3, confirmed, posted
    const again = (await preview(TO)).unposted;
    expect(again).toBe(3);
    await s.ops['posting.start']('job-ok', { to: TO, target: 'builtin', summarised: false, expectedMovements: again }, s.admin.userId);
    expect(await jobFinished(s, 'job-ok')).toMatchObject({ jobId: 'job-ok', ok: true });
    expect([await posted(), await batches()]).toEqual([3, 1]);
  });

  it("a reversal asked for while this server's posting run is in progress is refused and writes nothing; after the run it goes through", async () => {
    await receive(T0);
    await s.ops['posting.start']('job-first', { to: TO, target: 'builtin', summarised: false, expectedMovements: (await preview(TO)).unposted }, s.admin.userId);
    expect(await jobFinished(s, 'job-first')).toMatchObject({ ok: true });
    const batchId = Number((await s.rows<{ n: number }>('SELECT MAX(id) AS n FROM journal_batches'))[0]!.n);
    await receive(T0 + 60_000);
    // The run's job is started and not yet done (a SQLite run takes its checked backup first): the two would write one journal.
    await s.ops['posting.start']('job-second', { to: TO, target: 'builtin', summarised: false, expectedMovements: (await preview(TO)).unposted }, s.admin.userId);
    expect(await refusalOf(() => s.call('posting.reverse', { batchId }))).toEqual({ code: 'CONFLICT', message: reverseWhileRunning(batchId) });
    // asked as the window asks it (with a job of its own): refused the same, as the answer, and no job was started
    expect(await refusalOf(() => s.call('posting.reverse', { batchId, jobId: 'reversal-refused' }))).toEqual({ code: 'CONFLICT', message: reverseWhileRunning(batchId) });
    expect(await jobFinished(s, 'job-second')).toMatchObject({ ok: true });
    expect(s.events.filter((e) => (e.payload as { jobId?: string }).jobId === 'reversal-refused')).toEqual([]);
    expect([await posted(), await batches()]).toEqual([2, 2]);
    const reversal = await s.call('posting.reverse', { batchId, jobId: 'reversal-ok' });
    expect(reversal.reversalOf).toBe(batchId);
    // its job ends with the mirror batch, as a posting run's ends with its batch
    expect(await jobFinished(s, 'reversal-ok')).toMatchObject({ ok: true, kind: 'posting-reversal', batchId: reversal.batchId, message: reversal.message });
    expect([await posted(), await batches()]).toEqual([1, 3]);
  });
});
