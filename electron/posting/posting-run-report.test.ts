import { describe, expect, it } from 'vitest';
import type { JobFinished } from '../../shared/domain';
import type { PostingReport } from '../../shared/posting';
import { jobFinished, storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';
import { finishedRunReport, RUNNING_REPORT_RECHECKS, type RunReportReads } from '../../renderer/posting/run-report';
import { GENESIS_HASH } from '../ledger/store/movement-hash';

/*
 * The Posting window's report of a finished run (renderer/posting/run-report.ts), read through the posting operations
 * of the configured store (test/fixtures/store-under-test.ts): a CI run showed a still-running batch's report (no
 * account lines, "balanced: yes" on 0 = 0) as the run's result, because the window took whatever batch was newest and
 * showed its report whatever its status.
 */
let s: StoreUnderTest;
let n = 0;
const T0 = Date.UTC(2026, 0, 5, 9);
const iso = (t: number) => new Date(t).toISOString();
const TO = iso(T0 + 3_600_000);
const never = new AbortController().signal;
/** A posting test waits for a real posting job (a SQLite run takes its checked backup first): a slow machine's minutes, not a limit checked. */
const SLOW = 180_000;

storePerTest((opened) => (s = opened));

const receive = (at: number) =>
  s.call('operations.receive', { idempotencyKey: `run-report-test-${process.pid}-${++n}`, kind: 'stock_receipt', siteId: s.ids.wh, dutyPaid: false, occurredAt: iso(at), lines: [{ productId: s.ids.bulk, qty: 1_000, unitCost: 15_000 }] });
const reads = (): RunReportReads => ({
  batches: () => s.call('posting.batches', {}),
  report: (batchId) => s.call('posting.report', { batchId }),
});
const statuses = async () => (await s.call('posting.batches', {})).map((b) => [b.id, b.status]);

/**
 * A batch as a run leaves it between its start and its end: opened at the chain head, nothing of it finished (another
 * run's — another server's, on PostgreSQL — or this one's). Written as the store's createBatch writes it: no operation
 * holds a batch open for a test to read.
 */
async function openBatch(): Promise<number> {
  const head = (await s.rows<{ seq: number; hash: string }>('SELECT seq, hash FROM movements ORDER BY seq DESC LIMIT 1'))[0] ?? { seq: 0, hash: GENESIS_HASH };
  const [row] = await s.rows<{ id: number }>(
    `INSERT INTO journal_batches (target, status, posted_to, summarised, user_id, started_at, last_entry_before, next_entry, chain_seq, chain_hash, mark)
     VALUES ('builtin', 'running', ?, FALSE, ?, ?, 0, 1, ?, ?, ?) RETURNING id`,
    [T0 + 3_600_000, s.admin.userId, T0, head.seq, head.hash, `open-batch-${++n}`],
  );
  return Number(row!.id);
}

/** The batch finishes with its report saved as the runner saves it (its running report, posted, finished, its message). */
async function finishBatch(running: PostingReport, message: string): Promise<void> {
  const finishedAt = T0 + 1_000;
  const report: PostingReport = { ...running, status: 'posted', finishedAt: iso(finishedAt), message };
  await s.rows("UPDATE journal_batches SET status = 'posted', finished_at = ?, last_entry_after = 0, report = ? WHERE id = ? RETURNING id", [finishedAt, JSON.stringify(report), running.batchId]);
}

async function postedRun(): Promise<JobFinished> {
  await receive(T0);
  await receive(T0 + 60_000);
  await s.ops['posting.start']('job-run', { to: TO, target: 'builtin', summarised: false, expectedMovements: 2 }, s.admin.userId);
  return (await jobFinished(s, 'job-run')) as unknown as JobFinished;
}

describe("the Posting window's report of a finished run", { timeout: SLOW }, () => {
  it("job.finished names the run's batch; the window shows that batch's final report, not a newer batch still running", async () => {
    const finished = await postedRun();
    const [ran] = await s.call('posting.batches', {});
    expect(finished).toMatchObject({ jobId: 'job-run', ok: true, batchId: ran!.id });
    // Before the window reads: another run (another server's, on PostgreSQL) has opened a newer batch.
    const newer = await openBatch();
    expect(await statuses()).toEqual([[newer, 'running'], [ran!.id, 'posted']]);

    const shownRunning: PostingReport[] = [];
    const r = await finishedRunReport(reads(), finished, (x) => shownRunning.push(x), never);
    expect(r).toMatchObject({ batchId: ran!.id, status: 'posted', movementCount: 2, balanced: true });
    expect(r!.accounts.length).toBeGreaterThan(0);
    expect(shownRunning).toEqual([]);
  });

  it('a batch still running when the window reads it is shown as running and read again; only its finished report is the result', async () => {
    await receive(T0);
    const batchId = await openBatch();
    const shownRunning: PostingReport[] = [];
    let finishing: Promise<void> | undefined;
    // the window's next read comes after the finish has committed
    const afterFinish: RunReportReads = {
      ...reads(),
      report: async (id) => {
        await finishing;
        return s.call('posting.report', { batchId: id });
      },
    };
    const result = finishedRunReport(
      afterFinish,
      {}, // a run that named no batch: the newest
      (running) => {
        shownRunning.push(running);
        // The batch finishes while the window waits.
        if (shownRunning.length === 2) finishing = finishBatch(running, 'Posted 0 movements.');
      },
      never,
      1,
    );
    const r = await result;
    expect(shownRunning.map((x) => [x.batchId, x.status, x.accounts.length])).toEqual([[batchId, 'running', 0], [batchId, 'running', 0]]);
    expect(r).toMatchObject({ batchId, status: 'posted', message: 'Posted 0 movements.' });
  });

  it('stops reading once the window has moved on', async () => {
    const batchId = await openBatch();
    const moved = new AbortController();
    const r = await finishedRunReport(reads(), { batchId }, () => moved.abort(), moved.signal, 60_000);
    expect(r).toBeNull();
  });
});

describe("the Posting window's report of a run that failed", () => {
  it('shows no batch when the failed run named none (the newest batch may be another run’s, still running), and never reads forever', async () => {
    const other = await openBatch();
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
