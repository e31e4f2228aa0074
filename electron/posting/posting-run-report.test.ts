import { beforeEach, describe, expect, it } from 'vitest';
import type { JobFinished } from '../../shared/domain';
import type { PostingReport } from '../../shared/posting';
import { postingOpsPerTest, receiveAt, type PostingOpsFixture } from '../../test/fixtures/posting-ops';
import { finishedRunReport, RUNNING_REPORT_RECHECKS, type RunReportReads } from '../../renderer/posting/run-report';
import { buildReport } from './posting-report';
import { PostingStore } from './posting-store';

/*
 * The Posting window's report of a finished run (renderer/posting/run-report.ts), read through the real SQLite posting
 * operations: a CI run showed a still-running batch's report (no account lines, "balanced: yes" on 0 = 0) as the run's
 * result, because the window took whatever batch was newest and showed its report whatever its status.
 */
let t: PostingOpsFixture;
const T0 = Date.UTC(2026, 0, 5, 9);
const iso = (t: number) => new Date(t).toISOString();
const TO = iso(T0 + 3_600_000);
const never = new AbortController().signal;

const receive = (at: number) => receiveAt(t.f, at);
const reads = (): RunReportReads => ({
  batches: () => Promise.resolve(t.ops['posting.batches']()),
  report: (batchId) => Promise.resolve(t.ops['posting.report']({ batchId })),
});
/** A batch as a run leaves it between its start and its end: opened, nothing of it finished (another run's, or this one's). */
const openBatch = (store: PostingStore) =>
  store.createBatch({ target: 'builtin', postedTo: T0 + 3_600_000, summarised: false, userId: t.f.ids.admin, now: T0, lastEntry: 0, targetStart: null, targetId: null });

async function postedRun(): Promise<JobFinished> {
  receive(T0);
  receive(T0 + 60_000);
  t.ops.postingStart('job-run', { to: TO, target: 'builtin', summarised: false, expectedMovements: 2 }, t.f.ids.admin);
  await expect.poll(() => t.events.find(([e]) => e === 'job.finished'), { timeout: 20_000 }).toBeTruthy();
  return t.events.find(([e]) => e === 'job.finished')![1] as JobFinished;
}

const fixture = postingOpsPerTest();
beforeEach(() => void (t = fixture()));

describe("the Posting window's report of a finished run", () => {
  it("job.finished names the run's batch; the window shows that batch's final report, not a newer batch still running", async () => {
    const finished = await postedRun();
    const [ran] = t.ops['posting.batches']();
    expect(finished).toMatchObject({ jobId: 'job-run', ok: true, batchId: ran!.id });
    // Before the window reads: another run (another server's, on PostgreSQL) has opened a newer batch.
    const newer = openBatch(new PostingStore(t.f.ledger.db));
    expect(t.ops['posting.batches']().map((b) => [b.id, b.status])).toEqual([[newer, 'running'], [ran!.id, 'posted']]);

    const shownRunning: PostingReport[] = [];
    const r = await finishedRunReport(reads(), finished, (x) => shownRunning.push(x), never);
    expect(r).toMatchObject({ batchId: ran!.id, status: 'posted', movementCount: 2, balanced: true });
    expect(r!.accounts.length).toBeGreaterThan(0);
    expect(shownRunning).toEqual([]);
  });

  it('a batch still running when the window reads it is shown as running and read again; only its finished report is the result', async () => {
    receive(T0);
    const store = new PostingStore(t.f.ledger.db);
    const batchId = openBatch(store);
    const shownRunning: PostingReport[] = [];
    const result = finishedRunReport(
      reads(),
      {}, // a run that named no batch: the newest
      (running) => {
        shownRunning.push(running);
        // The batch finishes while the window waits, with its report saved as the runner saves it.
        if (shownRunning.length === 2) {
          const row = { ...store.batch(batchId), status: 'posted' as const, finished_at: T0 + 1_000 };
          store.finishBatch(batchId, 'posted', row.finished_at, 0, JSON.stringify(buildReport(store, row, 0, 'Posted 0 movements.')));
        }
      },
      never,
      1,
    );
    const r = await result;
    expect(shownRunning.map((x) => [x.batchId, x.status, x.accounts.length])).toEqual([[batchId, 'running', 0], [batchId, 'running', 0]]);
    expect(r).toMatchObject({ batchId, status: 'posted', message: 'Posted 0 movements.' });
  });

  it('stops reading once the window has moved on', async () => {
    const batchId = openBatch(new PostingStore(t.f.ledger.db));
    const moved = new AbortController();
    const r = await finishedRunReport(reads(), { batchId }, () => moved.abort(), moved.signal, 60_000);
    expect(r).toBeNull();
  });
});

describe("the Posting window's report of a run that failed", () => {
  it('shows no batch when the failed run named none (the newest batch may be another run’s, still running), and never reads forever', async () => {
    const other = openBatch(new PostingStore(t.f.ledger.db));
    const shownRunning: PostingReport[] = [];
    expect(await finishedRunReport(reads(), { ok: false }, (x) => shownRunning.push(x), never, 1)).toBeNull();
    expect(shownRunning).toEqual([]);
    // A batch that stays running (its run died) is read a bounded number of times, then left shown as running.
    const r = await finishedRunReport(reads(), { batchId: other, ok: false }, (x) => shownRunning.push(x), never, 0);
    expect(r).toBeNull();
    expect(shownRunning.length).toBe(RUNNING_REPORT_RECHECKS + 1);
    expect(shownRunning.every((x) => x.batchId === other && x.status === 'running')).toBe(true);
  });
});
