import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExportWhat } from '../../shared/contract/exports.schemas';
import type { JobFinished, JobProgress } from '../../shared/domain';
import { jobsWaitingPhase } from '../../shared/enquiry';
import { asUser } from '../../test/fixtures/caller';
import { pgLedgerForFile, type PgFixture } from '../../test/fixtures/pg-ledger';
import { refusalOf } from '../../test/fixtures/refusal';
import { pgExportLimit } from '../exports/export-gate';
import { exportsPgOpsWith } from '../exports/exports.pg-ops';
import { createPgWorkerContext } from '../ledger/pg/pg-worker-context';
import { postingPgOps } from './posting.pg-ops';
import { REVERSAL_JOB_KIND, REVERSING_PHASE } from './reversal-job';

/** Polls `check` until it holds (no timing asserted: the test's own timeout is the bound). */
async function until(check: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
}

describe('a batch reversal waiting its turn at a PostgreSQL server\'s job gate', () => {
  let f: PgFixture;
  pgLedgerForFile((x) => (f = x));
  const dir = mkdtempSync(join(tmpdir(), 'stockbook-reversal-wait-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The host's jobs and events, its posting and export operations, a batch posted to reverse. */
  const setUp = async (key: string) => {
    const progress: JobProgress[] = [];
    const finished: JobFinished[] = [];
    const ctx = createPgWorkerContext(f.pool, f.connection, (event, payload) => {
      if (event === 'job.progress') progress.push(payload as JobProgress);
      if (event === 'job.finished') finished.push(payload as JobFinished);
    });
    const posting = postingPgOps(ctx);
    const exports = exportsPgOpsWith(ctx, { exportsDir: dir });
    const jobDone = (jobId: string) => until(() => finished.some((x) => x.jobId === jobId)).then(() => finished.find((x) => x.jobId === jobId)!);
    await f.store.post({ idempotencyKey: key, type: 'receipt', lines: [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'stock_receipt', qty: 2_000, unitCost: 15_000 }] }, f.ids.admin);
    const to = new Date(Date.now() + 60_000).toISOString();
    const { unposted } = await posting['posting.preview']!({ to, target: 'builtin', summarised: false });
    await posting['posting.start']!(`${key}-posting`, { to, target: 'builtin', summarised: false, expectedMovements: unposted }, f.ids.admin);
    expect(await jobDone(`${key}-posting`)).toMatchObject({ ok: true });
    const batchId = (await posting['posting.batches']!()).find((b) => b.reversalOf === null && b.reversedBy === null)!.id;
    return { ctx, posting, exports, progress, finished, jobDone, batchId };
  };

  /**
   * Exports hold every connection the gate gives out, each blocked in its snapshot behind another session's lock on the
   * stock list's table; `then` runs while they hold the gate, and the lock is let go after it.
   */
  const withGateFull = async (exports: ReturnType<typeof exportsPgOpsWith>, names: string[], then: (release: () => Promise<void>) => Promise<void>) => {
    const locker = new pg.Client(f.connection);
    await locker.connect();
    const blocked = async () => (await locker.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")).rows[0]!.n;
    let held = true;
    const release = async () => {
      if (held) await locker.query('COMMIT');
      held = false;
    };
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE product_sites IN ACCESS EXCLUSIVE MODE');
      const what: ExportWhat = { list: 'currentStock', query: { status: 'all', sort: 'sku', direction: 'asc' } };
      for (const jobId of names) await exports['exports.start'](jobId, what, 'csv', 'all stock', null);
      await until(async () => (await blocked()) === names.length);
      await then(release);
    } finally {
      await release().catch(() => undefined);
      await locker.end();
    }
  };

  /** What a cancelled reversal must leave as it was: the ledger, every journal table, the batch history. */
  const written = async (posting: ReturnType<typeof postingPgOps>) => {
    const journal: Record<string, number> = {};
    for (const t of ['journal_batches', 'journal_lines', 'journal_chunks', 'journal_batch_accounts', 'journal_batch_types']) {
      journal[t] = (await f.pool.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM ${t}`)).rows[0]!.n;
    }
    return { ledger: await f.counts(), journal, batches: await posting['posting.batches']!() };
  };

  it('says what it waits behind, and cancelled while it waits it writes nothing: the batch stays unreversed and verify holds', async () => {
    const { ctx, posting, exports, progress, finished, jobDone, batchId } = await setUp('wait-cancel');
    const limit = pgExportLimit(f.pool.options.max);
    const names = Array.from({ length: limit }, (_, i) => `wait-cancel-export-${i}`);
    const before = await written(posting);
    await withGateFull(exports, names, async () => {
      const reversal = refusalOf(() => posting['posting.reverse']!({ batchId, jobId: 'reversal-cancelled' }, asUser(f.ids.admin)));
      await until(() => progress.some((p) => p.jobId === 'reversal-cancelled'));
      expect(progress.find((p) => p.jobId === 'reversal-cancelled')).toMatchObject({ kind: REVERSAL_JOB_KIND, phase: jobsWaitingPhase(names.map(() => 'export'), 0) });
      expect(ctx.cancelJob('reversal-cancelled')).toBe(true);
      const cancelled = { code: 'CANCELLED', message: 'The posting reversal was cancelled while it waited for its turn; nothing was written.' };
      expect(await reversal).toEqual(cancelled);
      expect(await jobDone('reversal-cancelled')).toMatchObject({ ok: false, cancelled: true, message: cancelled.message });
      // nothing was written while the exports still hold the gate...
      expect(await written(posting)).toEqual(before);
    });
    await until(() => names.every((jobId) => finished.some((x) => x.jobId === jobId)));
    // ...nor once they finish: the cancelled reversal never runs later
    expect(await written(posting)).toEqual(before);
    expect((await posting['posting.batches']!()).find((b) => b.id === batchId)).toMatchObject({ reversedBy: null });
    expect((await f.store.verify()).ok).toBe(true);
  });

  it('says what it waits behind, and reverses the batch once the gate frees', async () => {
    const { posting, exports, progress, finished, jobDone, batchId } = await setUp('wait-proceed');
    const limit = pgExportLimit(f.pool.options.max);
    const names = Array.from({ length: limit }, (_, i) => `wait-proceed-export-${i}`);
    let report: Awaited<ReturnType<NonNullable<typeof posting['posting.reverse']>>> | undefined;
    await withGateFull(exports, names, async (release) => {
      const reversal = posting['posting.reverse']!({ batchId, jobId: 'reversal-proceeds' }, asUser(f.ids.admin));
      void reversal.catch(() => undefined);
      await until(() => progress.some((p) => p.jobId === 'reversal-proceeds'));
      expect(progress.find((p) => p.jobId === 'reversal-proceeds')).toMatchObject({ kind: REVERSAL_JOB_KIND, phase: jobsWaitingPhase(names.map(() => 'export'), 0) });
      expect(finished.some((x) => x.jobId === 'reversal-proceeds')).toBe(false);
      await release();
      report = await reversal;
      // its turn came: it says so (no longer queued) before it answers
      expect(progress.filter((p) => p.jobId === 'reversal-proceeds').at(-1)).toMatchObject({ phase: REVERSING_PHASE });
    });
    expect(report).toMatchObject({ reversalOf: batchId, balanced: true, entryCheckOk: true });
    expect(await jobDone('reversal-proceeds')).toMatchObject({ ok: true, cancelled: false, batchId: report!.batchId, message: report!.message });
    expect((await posting['posting.batches']!()).find((b) => b.id === batchId)).toMatchObject({ reversedBy: report!.batchId });
    await until(() => names.every((jobId) => finished.some((x) => x.jobId === jobId)));
    expect((await f.store.verify()).ok).toBe(true);
  });
});
