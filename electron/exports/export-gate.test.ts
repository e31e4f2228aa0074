import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExportWhat } from '../../shared/contract/exports.schemas';
import type { JobFinished, JobProgress } from '../../shared/domain';
import { exportQueuedText, exportWaitingPhase } from '../../shared/enquiry';
import { pgLedgerForFile, type PgFixture } from '../../test/fixtures/pg-ledger';
import { catalogProductsCsv } from '../../test/fixtures/catalog-csv';
import { asUser } from '../../test/fixtures/caller';
import { catalogPgOps } from '../catalog/catalog.pg-ops';
import { reverseWhileRunning } from '../posting/posting-confirmation';
import { postingPgOps } from '../posting/posting.pg-ops';
import { createPgWorkerContext } from '../ledger/pg/pg-worker-context';
import { ExportGate, pgExportLimit } from './export-gate';
import { refusalOf } from '../../test/fixtures/refusal';
import { exportsPgOpsWith } from './exports.pg-ops';

/** Polls `check` until it holds (no timing asserted: the test's own timeout is the bound). */
async function until(check: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
}

describe('the export gate', () => {
  it('runs at most `limit` at once, the rest first come first served, each told where it stands; one cancelled while waiting leaves the queue', async () => {
    const gate = new ExportGate(2);
    const release: (() => void)[] = [];
    const told: Record<string, string[]> = {};
    const started: string[] = [];
    const job = (name: string, signal = new AbortController().signal) =>
      gate.run(signal, (ahead) => (told[name] ??= []).push(ahead), () => {
        started.push(name);
        return new Promise<string>((r) => release.push(() => r(name)));
      });
    const a = job('a');
    const b = job('b');
    const c = job('c');
    const cancel = new AbortController();
    const d = job('d', cancel.signal).catch((e: Error) => e.message);
    const e = job('e');
    await until(() => started.length === 2);
    expect(started).toEqual(['a', 'b']);
    cancel.abort();
    expect(await d).toBe('The export was cancelled while it waited for its turn; nothing was written.');
    release.shift()!();
    expect(await a).toBe('a');
    await until(() => started.length === 3);
    release.shift()!();
    release.shift()!();
    await until(() => started.length === 4);
    release.shift()!();
    expect(await Promise.all([b, c, e])).toEqual(['b', 'c', 'e']);
    expect(started).toEqual(['a', 'b', 'c', 'e']);
    // c was first in the queue; e third, then second once d left, first once c started
    const at = (ahead: number) => exportWaitingPhase(2, ahead);
    expect(told).toEqual({ c: [at(0)], d: [at(1)], e: [at(2), at(1), at(0)] });
  });

  it('keeps two connections of a PostgreSQL pool from exports, and runs at least one', () => {
    expect([1, 2, 3, 4, 8].map(pgExportLimit)).toEqual([1, 1, 1, 2, 6]);
  });
});

describe('exports on a PostgreSQL pool', () => {
  let f: PgFixture;
  pgLedgerForFile((x) => (f = x));
  const dir = mkdtempSync(join(tmpdir(), 'stockbook-export-gate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** A clerk's document commits: it settles before the pool is starved (every connection taken and a caller waiting for one). */
  const expectCommits = async (commit: Promise<{ replayed: boolean }>) => {
    let committed = false;
    void commit.then(() => (committed = true), () => (committed = true));
    const starved = () => f.pool.totalCount === f.pool.options.max && f.pool.idleCount === 0 && f.pool.waitingCount > 0;
    await until(() => committed || starved());
    expect(committed).toBe(true);
    expect(await commit).toMatchObject({ replayed: false });
  };

  it('run at most the pool size less two at once; the next ones wait their turn saying so, and a clerk\'s document still commits meanwhile', async () => {
    const { ids } = f;
    const size = f.pool.options.max;
    const limit = pgExportLimit(size);
    expect(limit).toBe(size - 2);
    const progress: JobProgress[] = [];
    const finished: JobFinished[] = [];
    const ctx = createPgWorkerContext(f.pool, f.connection, (event, payload) => {
      if (event === 'job.progress') progress.push(payload as JobProgress);
      if (event === 'job.finished') finished.push(payload as JobFinished);
    });
    const ops = exportsPgOpsWith(ctx, { exportsDir: dir });
    await f.store.post({ idempotencyKey: 'gate-1', type: 'receipt', lines: [{ productId: ids.bulk, siteId: ids.wh, type: 'inbound', qty: 5 }] }, ids.admin);

    // Another session holds a table the stock list reads (and a posting does not) so every export that starts blocks
    // on it in its snapshot, holding its pool connection, for as long as the test needs.
    const jobIds = Array.from({ length: size }, (_, i) => `gate-job-${i}`);
    const locker = new pg.Client(f.connection);
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE product_sites IN ACCESS EXCLUSIVE MODE');
      const blocked = async () => (await locker.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")).rows[0]!.n;
      const what: ExportWhat = { list: 'currentStock', query: { status: 'all', sort: 'sku', direction: 'asc' } };
      // as many exports as the pool has connections: unbounded, they would hold every one of them
      for (const jobId of jobIds) expect(await ops['exports.start'](jobId, what, 'csv', 'all stock', null)).toMatchObject({ jobId, status: 'running' });
      await until(async () => (await blocked()) === limit);
      const waiting = jobIds.slice(limit);
      await until(() => waiting.every((jobId) => progress.some((p) => p.jobId === jobId)));
      expect(waiting.map((jobId) => progress.find((p) => p.jobId === jobId)!.phase)).toEqual(waiting.map((_, ahead) => exportWaitingPhase(limit, ahead)));
      expect(exportWaitingPhase(limit, 1)).toBe('waiting: 2 exports already running, 1 more queued before this one');
      expect(exportQueuedText(exportWaitingPhase(1, 0))).toBe('Queued: 1 export already running');
      expect(exportQueuedText('writing')).toBeNull();

      // the commit finds a connection while the exports run and wait
      expect(await f.store.post({ idempotencyKey: 'gate-2', type: 'receipt', lines: [{ productId: ids.bulk, siteId: ids.wh, type: 'inbound', qty: 7 }] }, ids.admin))
        .toMatchObject({ documentId: 2, replayed: false });
      expect(await blocked()).toBe(limit);
      for (const jobId of waiting) expect(await ops['exports.job']({ jobId })).toMatchObject({ status: 'running', rows: 0 });

      // the last one is cancelled while it waits: it ends at once, and writes nothing
      const last = jobIds.at(-1)!;
      expect(ctx.cancelJob(last)).toBe(true);
      await until(() => finished.some((x) => x.jobId === last));
      expect(finished.find((x) => x.jobId === last)).toMatchObject({ ok: false, cancelled: true, message: 'The export was cancelled while it waited for its turn; nothing was written.' });
      expect(finished.filter((x) => x.jobId !== last)).toEqual([]);
    } finally {
      await locker.query('COMMIT');
      await locker.end();
    }
    const done = jobIds.slice(0, -1);
    await until(() => done.every((jobId) => finished.some((x) => x.jobId === jobId)));
    for (const jobId of done) {
      const info = (await ops['exports.job']({ jobId }))!;
      expect(info).toMatchObject({ status: 'done', rows: 1 });
      expect(existsSync(info.file)).toBe(true);
    }
    expect(existsSync((await ops['exports.job']({ jobId: jobIds.at(-1)! }))!.file)).toBe(false);
  });

  it('count the other jobs that hold connections (catalog imports here): exports wait behind them, saying so, and a clerk\'s document still commits', async () => {
    const { ids } = f;
    const limit = pgExportLimit(f.pool.options.max);
    const progress: JobProgress[] = [];
    const finished: JobFinished[] = [];
    const ctx = createPgWorkerContext(f.pool, f.connection, (event, payload) => {
      if (event === 'job.progress') progress.push(payload as JobProgress);
      if (event === 'job.finished') finished.push(payload as JobFinished);
    });
    const ops = exportsPgOpsWith(ctx, { exportsDir: dir });
    const catalog = catalogPgOps(ctx);
    // Another session holds the catalog import lock and the table the stock list reads: each import started blocks in
    // its transaction, and each export in its snapshot, holding a pool connection for as long as the test needs.
    const locker = new pg.Client(f.connection);
    await locker.connect();
    const imports = Array.from({ length: limit }, (_, i) => `gate-import-${i}`);
    const exports = ['gate-after-import-0', 'gate-after-import-1'];
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT pg_advisory_xact_lock(17004, 0)');
      await locker.query('LOCK TABLE product_sites IN ACCESS EXCLUSIVE MODE');
      const blocked = async () => (await locker.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")).rows[0]!.n;
      for (const jobId of imports) expect(await catalog['catalog.importStart']!({ csv: catalogProductsCsv(3), locale: 'en-GB', jobId }, asUser(ids.admin, ['read:stock', 'manage:products']))).toEqual({ started: true });
      await until(async () => (await blocked()) === limit);
      const what: ExportWhat = { list: 'currentStock', query: { status: 'all', sort: 'sku', direction: 'asc' } };
      for (const jobId of exports) expect(await ops['exports.start'](jobId, what, 'csv', 'all stock', null)).toMatchObject({ jobId, status: 'running' });
      // without the gate counting the imports the exports would take the last connections, and the commit would wait for one
      await expectCommits(f.store.post({ idempotencyKey: 'gate-imports-1', type: 'receipt', lines: [{ productId: ids.bulk, siteId: ids.wh, type: 'inbound', qty: 3 }] }, ids.admin));
      expect(await blocked()).toBe(limit);
      await until(() => exports.every((jobId) => progress.some((p) => p.jobId === jobId)));
      expect(exports.map((jobId) => progress.find((p) => p.jobId === jobId)!.phase)).toEqual([
        `waiting: ${limit} catalog imports already running`,
        `waiting: ${limit} catalog imports already running, 1 more queued before this one`,
      ]);
    } finally {
      await locker.query('COMMIT');
      await locker.end();
    }
    await until(() => [...imports, ...exports].every((jobId) => finished.some((x) => x.jobId === jobId)));
    for (const jobId of exports) expect(await ops['exports.job']({ jobId })).toMatchObject({ status: 'done' });
  });

  it('a batch reversal goes through the gate: refused while this server posts, and behind running exports it waits its turn while a clerk\'s document still commits', async () => {
    const { ids } = f;
    const limit = pgExportLimit(f.pool.options.max);
    const finished: JobFinished[] = [];
    const ctx = createPgWorkerContext(f.pool, f.connection, (event, payload) => {
      if (event === 'job.finished') finished.push(payload as JobFinished);
    });
    const ops = exportsPgOpsWith(ctx, { exportsDir: dir });
    const posting = postingPgOps(ctx);
    const receipt = (key: string) => f.store.post({ idempotencyKey: key, type: 'receipt', lines: [{ productId: ids.bulk, siteId: ids.wh, type: 'stock_receipt', qty: 2_000, unitCost: 15_000 }] }, ids.admin);
    const postAll = async (jobId: string) => {
      const to = new Date(Date.now() + 60_000).toISOString();
      const { unposted } = await posting['posting.preview']!({ to, target: 'builtin', summarised: false });
      return posting['posting.start']!(jobId, { to, target: 'builtin', summarised: false, expectedMovements: unposted }, ids.admin);
    };
    const jobDone = (jobId: string) => until(() => finished.some((x) => x.jobId === jobId)).then(() => finished.find((x) => x.jobId === jobId)!);
    await receipt('gate-reverse-1');
    await postAll('gate-posting-1');
    expect(await jobDone('gate-posting-1')).toMatchObject({ ok: true });
    const batchId = (await posting['posting.batches']!()).at(-1)!.id;

    const locker = new pg.Client(f.connection);
    await locker.connect();
    const blocked = async () => (await locker.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")).rows[0]!.n;
    try {
      // this server's own posting run, held in its chunk's write: a reversal is refused as its own run (not another server's)
      await receipt('gate-reverse-2');
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE journal_lines IN ACCESS EXCLUSIVE MODE');
      await postAll('gate-posting-2');
      await until(async () => (await blocked()) === 1);
      expect(await refusalOf(() => posting['posting.reverse']!({ batchId }, asUser(ids.admin)))).toEqual({ code: 'CONFLICT', message: reverseWhileRunning(batchId) });
      await locker.query('COMMIT');
      expect(await jobDone('gate-posting-2')).toMatchObject({ ok: true });

      // exports hold every connection the gate gives out, each blocked in its snapshot; the reversal would block on journal_lines
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE product_sites IN ACCESS EXCLUSIVE MODE');
      await locker.query('LOCK TABLE journal_lines IN ACCESS EXCLUSIVE MODE');
      const exports = Array.from({ length: limit }, (_, i) => `gate-reverse-export-${i}`);
      const what: ExportWhat = { list: 'currentStock', query: { status: 'all', sort: 'sku', direction: 'asc' } };
      for (const jobId of exports) await ops['exports.start'](jobId, what, 'csv', 'all stock', null);
      await until(async () => (await blocked()) === limit);
      const reversal = posting['posting.reverse']!({ batchId }, asUser(ids.admin));
      void reversal.catch(() => undefined);
      // without the gate the reversal takes the two connections kept from the jobs (its claim, its blocked write): the commit would wait for one
      await expectCommits(receipt('gate-reverse-3'));
      expect(await blocked()).toBe(limit);
      await locker.query('COMMIT');
      expect(await reversal).toMatchObject({ reversalOf: batchId, balanced: true });
      await until(() => exports.every((jobId) => finished.some((x) => x.jobId === jobId)));
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
  });
});
