import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { createWorkerContext, type WorkerContext } from '../ledger/worker-context';
import { enquiryOps, SNAPSHOT_TICK_UNSEEN } from './enquiry.ops';
import { StockSnapshots } from './stock-snapshots';

/** The writer's snapshot tick keeps the daily snapshots near the head, so the balance-on-date column can start from them. */
let f: Fixture;
let ctx: WorkerContext;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5, 9);

beforeEach(async () => {
  f = await openFixture();
  ctx = createWorkerContext(f.ledger, () => undefined);
});
afterEach(async () => {
  await ctx.jobs.close();
  await f.cleanup();
});

/** `n` one-line receipts spread over 30 days before now (none in the future). */
const receive = (n: number, from = T0) =>
  f.ledger.poster.postMany(
    Array.from({ length: n }, (_, i) => f.doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'stock_receipt', qty: 1, unitCost: 1_0000 }], { occurredAt: new Date(from + (i % 30) * DAY + i).toISOString() })),
    f.ids.admin,
  );
const unseen = () => new StockSnapshots(f.ledger.db).lag().unseen;
const snapshotTotal = () => f.ledger.db.prepare('SELECT COALESCE(SUM(qty), 0) FROM stock_snapshots WHERE day_end = (SELECT MAX(day_end) FROM stock_snapshots)').pluck().get() as number;

describe('the snapshot tick', () => {
  it('leaves snapshots alone while few movements are unseen, and folds them in on the writer once enough are', async () => {
    const ops = enquiryOps(ctx, { snapshotSpacing: 500 });
    receive(600);
    await ops['enquiry.rebuildSnapshots']();
    expect(unseen()).toBe(0);
    receive(SNAPSHOT_TICK_UNSEEN - 1, T0 + 31 * DAY);
    expect(ops.enquirySnapshotsTick()).toBe('current');
    expect(unseen()).toBe(SNAPSHOT_TICK_UNSEEN - 1);
    receive(1, T0 + 31 * DAY);
    expect(ops.enquirySnapshotsTick()).toBe('refreshed');
    expect(unseen()).toBe(0);
    // The latest cut holds every movement effective before its day end (all 1-unit receipts).
    const lastCut = f.ledger.db.prepare('SELECT MAX(day_end) FROM stock_snapshots').pluck().get() as number;
    const before = f.ledger.db.prepare('SELECT COALESCE(SUM(qty), 0) FROM movements WHERE occurred_at < ?').pluck().get(lastCut) as number;
    expect(snapshotTotal()).toBe(before);
  });

  it('folds a backlog on the writer a bounded step per tick ("catching-up"), so no tick holds the clerks up for long, until it is current', async () => {
    const ops = enquiryOps(ctx, { snapshotSpacing: 500 });
    receive(600);
    await ops['enquiry.rebuildSnapshots']();
    receive(6_000, T0 + 31 * DAY);
    const ticks: string[] = [];
    const folded: number[] = [];
    for (let last = unseen(); ticks.at(-1) !== 'refreshed' && ticks.length < 100; ) {
      ticks.push(ops.enquirySnapshotsTick());
      folded.push(last - unseen());
      last = unseen();
    }
    expect(ticks.length).toBeGreaterThan(1);
    expect(new Set(ticks.slice(0, -1))).toEqual(new Set(['catching-up']));
    expect(ticks.at(-1)).toBe('refreshed');
    expect(folded[0]).toBe(1_000); // the first step, before any has been timed
    expect(unseen()).toBeLessThan(SNAPSHOT_TICK_UNSEEN); // close enough: the next ticks leave it until more come
    // The latest cut holds every movement folded in so far (through_seq) effective before its day end.
    const lastCut = f.ledger.db.prepare('SELECT MAX(day_end) FROM stock_snapshots').pluck().get() as number;
    const through = f.ledger.db.prepare('SELECT through_seq FROM stock_snapshot_state').pluck().get() as number;
    const before = f.ledger.db.prepare('SELECT COALESCE(SUM(qty), 0) FROM movements WHERE occurred_at < ? AND seq <= ?').pluck().get(lastCut, through) as number;
    expect(snapshotTotal()).toBe(before);
    expect(ops.enquirySnapshotsTick()).toBe('current');
  });

  it('catches up a large backlog in a job thread (one rebuild at a time), not on the writer', async () => {
    const ops = enquiryOps(ctx, { snapshotSpacing: 100 });
    receive(1_500); // never built and more than one spacing: too big for the writer
    expect(ops.enquirySnapshotsTick()).toBe('rebuilding');
    expect(ops.enquirySnapshotsTick()).toBe('rebuilding'); // the running rebuild is not started twice
    await vi.waitFor(() => expect(unseen()).toBe(0), { timeout: 30_000, interval: 50 });
    await vi.waitFor(() => expect(ops.enquirySnapshotsTick()).toBe('current'), { timeout: 5_000, interval: 20 });
    const lastCut = f.ledger.db.prepare('SELECT MAX(day_end) FROM stock_snapshots').pluck().get() as number;
    const before = f.ledger.db.prepare('SELECT COALESCE(SUM(qty), 0) FROM movements WHERE occurred_at < ?').pluck().get(lastCut) as number;
    expect(snapshotTotal()).toBe(before);
  });
});
