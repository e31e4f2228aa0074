import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostDocumentInput } from '../../shared/contract/schemas';
import { movementsInFolder } from '../../test/fixtures/csv-folder';
import { HLEDGER, hledgerBalances } from '../../test/fixtures/hledger';
import { openPgFixture, type PgFixture } from '../../test/fixtures/pg-ledger';
import { startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';
import { runPosting } from './batch-runner';
import { PgPostingStore } from './pg-posting-store';
import type { PostingChildPlan } from './pg-posting-child';
import { openPgTarget } from './targets/pg-targets';

const root = resolve(__dirname, '../..');
const child = join(__dirname, 'pg-posting-child.ts');
const T0 = Date.UTC(2026, 0, 5, 9);
const KILLS = 3;
const PAIRS = 1_500;

let cluster: TestCluster;
let f: PgFixture;
let dir: string;
beforeAll(async () => {
  cluster = await startTestCluster();
  dir = mkdtempSync(join(tmpdir(), 'stockbook-pg-crash-'));
}, 180_000);
afterAll(() => {
  cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh ledger of PAIRS receipts and despatches, a minute apart (this file's `f`). */
async function openSeeded(): Promise<void> {
  f = await openPgFixture(cluster);
  const { bulk, wh, admin } = f.ids;
  const docs: PostDocumentInput[] = [];
  for (let i = 0; i < PAIRS; i++) {
    const at = new Date(T0 + i * 60_000).toISOString();
    docs.push({ idempotencyKey: `crash-r-${i}`, type: 'receipt', occurredAt: at, lines: [{ productId: bulk, siteId: wh, type: 'stock_receipt', qty: 2_000, unitCost: 15_000 + i, onCosts: { freight: 120 } }] });
    docs.push({ idempotencyKey: `crash-d-${i}`, type: 'despatch', occurredAt: at, lines: [{ productId: bulk, siteId: wh, type: 'stock_despatch', qty: -1_500, onCosts: { freight: 120, excise: 40 } }] });
  }
  for (let i = 0; i < docs.length; i += 500) await f.store.postMany(docs.slice(i, i + 500), admin);
}

const q = async (sql: string) => Number((await f.pool.query<{ n: number }>(sql)).rows[0]!.n);

/** Starts a posting server process and SIGKILLs it once `more` further movements are posted (chunks committed). */
async function postAndKill(plan: PostingChildPlan, more: number): Promise<number | null> {
  const start = await q('SELECT COUNT(*) AS n FROM movement_postings');
  const p = spawn(process.execPath, ['--import', 'tsx', child, JSON.stringify(plan)], { cwd: root, stdio: 'ignore' });
  const exited = new Promise<number | null>((r) => p.on('exit', (code) => r(code)));
  let done = false;
  void exited.then(() => (done = true));
  while (!done && (await q('SELECT COUNT(*) AS n FROM movement_postings')) < start + more) await new Promise((r) => setTimeout(r, 20));
  p.kill('SIGKILL');
  const code = await exited;
  // PostgreSQL ends the dead server's sessions (and frees their locks) once it reads their closed sockets: on a busy
  // machine a moment after the kill. A server started meanwhile is told, rightly, that another is posting; the test
  // waits for that moment rather than racing it.
  while ((await q("SELECT COUNT(*) AS n FROM pg_locks WHERE locktype = 'advisory'")) > 0) await new Promise((r) => setTimeout(r, 20));
  return code;
}

describe('crash safety on PostgreSQL: the posting server killed mid-batch', () => {
  beforeAll(openSeeded, 180_000);
  afterAll(() => f?.close());

  it(`survives ${KILLS} SIGKILLs: the dead server's lock is free, its committed chunks stand, and the journal file is healed`, async () => {
    const journal = join(dir, 'books.journal');
    const plan: PostingChildPlan = { connection: f.connection, target: `hledger:${journal}`, to: T0 + 7 * 86_400_000, userId: f.ids.admin, chunkSize: 40 };
    for (let i = 0; i < KILLS; i++) await postAndKill(plan, 200 + i * 300);
    // every kill landed mid-batch: the last batch is left running, each earlier one was closed by the next server
    expect(await q("SELECT COUNT(*) AS n FROM journal_batches WHERE status = 'running'")).toBe(1);
    expect(await q("SELECT COUNT(*) AS n FROM journal_batches WHERE status = 'interrupted'")).toBe(KILLS - 1);
    expect(await q('SELECT COUNT(*) AS n FROM movement_postings')).toBeLessThan(2 * PAIRS);

    // the next server takes the claim (the killed sessions' locks died with them), closes the dead batches and posts the rest
    const store = new PgPostingStore(f.pool);
    const target = await openPgTarget(store, plan.target);
    const r = await runPosting(store, target, { to: plan.to, summarised: false, userId: f.ids.admin, chunkSize: 500 });
    expect([r.status, r.entryCheckOk]).toEqual(['posted', true]);
    expect(await q("SELECT COUNT(*) AS n FROM journal_batches WHERE status = 'interrupted'")).toBe(KILLS);
    expect(await q('SELECT COUNT(*) AS n FROM movements m WHERE NOT EXISTS (SELECT 1 FROM movement_postings p WHERE p.movement_seq = m.seq)')).toBe(0);
    expect(await q('SELECT COUNT(*) AS n FROM movement_postings')).toBe(2 * PAIRS);
    expect(await q('SELECT COALESCE(SUM(amount), 0) AS n FROM journal_lines')).toBe(0);
    expect(await q('SELECT COUNT(*) AS n FROM (SELECT batch_id, entry_no FROM journal_lines GROUP BY batch_id, entry_no HAVING SUM(amount) <> 0) e')).toBe(0);
    expect(await q('SELECT COUNT(*) AS n FROM (SELECT entry_no FROM journal_lines GROUP BY entry_no HAVING COUNT(DISTINCT batch_id) > 1) e')).toBe(0);
    expect(await q('SELECT COUNT(*) AS n FROM journal_chunks WHERE exported_end IS NULL')).toBe(0);
    expect((await f.store.verify()).ok).toBe(true);
    execFileSync(HLEDGER, ['-f', journal, 'check', '--strict']);
    const theirs = hledgerBalances(journal);
    const ours = Object.fromEntries((await store.trialBalance(plan.target)).rows.filter((row) => row.balance !== 0).map((row) => [row.code, row.balance]));
    expect(theirs).toEqual(ours);
    const entries = Number(execFileSync(HLEDGER, ['-f', journal, 'stats'], { encoding: 'utf8' }).match(/^Transactions\s*:\s*(\d+)/m)![1]);
    expect(entries).toBe(await q('SELECT COUNT(*) AS n FROM (SELECT DISTINCT batch_id, entry_no FROM journal_lines) e'));
  }, 300_000);
});

describe('crash safety on PostgreSQL: the posting server killed mid-batch, posting to a CSV folder', () => {
  beforeAll(openSeeded, 180_000);
  afterAll(() => f?.close());

  it(`survives ${KILLS} SIGKILLs: every movement ends in exactly one Xero file, each entry balanced to the penny`, async () => {
    const folder = join(dir, 'xero');
    const plan: PostingChildPlan = { connection: f.connection, target: `csv:xero:${folder}`, to: T0 + 7 * 86_400_000, userId: f.ids.admin, chunkSize: 40 };
    for (let i = 0; i < KILLS; i++) await postAndKill(plan, 200 + i * 300);
    expect(await q("SELECT COUNT(*) AS n FROM journal_batches WHERE status = 'running'")).toBe(1);

    const store = new PgPostingStore(f.pool);
    const r = await runPosting(store, await openPgTarget(store, plan.target), { to: plan.to, summarised: false, userId: f.ids.admin, chunkSize: 500 });
    expect([r.status, r.entryCheckOk]).toEqual(['posted', true]);
    expect(await q("SELECT COUNT(*) AS n FROM journal_batches WHERE status = 'interrupted'")).toBe(KILLS);
    expect(await q('SELECT COUNT(*) AS n FROM movement_postings')).toBe(2 * PAIRS);
    expect(await q('SELECT COUNT(*) AS n FROM journal_chunks WHERE exported_end IS NULL')).toBe(0);
    expect(movementsInFolder(folder)).toEqual(Array.from({ length: 2 * PAIRS }, (_, i) => i + 1));
    const byEntry = new Map<string, number>();
    for (const name of readdirSync(folder).filter((n) => n.startsWith('stockbook-b'))) {
      for (const line of readFileSync(join(folder, name), 'utf8').split('\r\n').slice(1).filter(Boolean)) {
        const c = line.split(',');
        byEntry.set(c[0]!, (byEntry.get(c[0]!) ?? 0) + Math.round(Number(c[5]) * 100));
      }
    }
    expect([...byEntry.values()].filter((pence) => pence !== 0)).toEqual([]);
  }, 300_000);
});
