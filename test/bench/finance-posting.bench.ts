import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteLedger } from '../../electron/ledger/store/sqlite-ledger';
import { runPosting } from '../../electron/posting/batch-runner';
import { PostingStore } from '../../electron/posting/posting-store';
import { openTarget } from '../../electron/posting/targets/open-target';
import { benchDocuments, seedWorld, type BenchWorld } from './bench-data';
import { fmt, type BenchOptions } from './bench-options';
import { reportFigure } from './side-by-side';
import { postingAsJob } from './posting-job-route';
import { POSTING_WRITE_BUDGET_MS } from '../../electron/posting/posting-job';

/** Finance posting of N movements to the built-in ledger and to an hledger journal, detailed and summarised. */
export async function financePosting({ dir, movements: MOVEMENTS }: BenchOptions): Promise<void> {
  console.log(`\n## Finance posting of ${fmt(MOVEMENTS)} movements (goal: < 15 s detailed)`);
  const ledger = await SqliteLedger.open(join(dir, 'posting.db'));
  const world = seedWorld(ledger);
  const admin = ledger.reference.userId('admin');
  const docs = [...benchDocuments(world, MOVEMENTS, 10, 'fp')];
  for (let i = 0; i < docs.length; i += 10_000) ledger.poster.postMany(docs.slice(i, i + 10_000), admin);
  const store = new PostingStore(ledger.db);
  const to = Date.UTC(2100, 0, 1);
  /** Posting state lives only in its own tables: clearing them makes the same movements postable again. */
  const reset = () => {
    for (const t of ['journal_lines', 'journal_chunk_lines', 'journal_chunk_packs', 'movement_postings', 'value_credit_postings', 'journal_chunks', 'journal_batch_accounts', 'journal_batch_types', 'journal_batches']) ledger.db.prepare(`DELETE FROM ${t}`).run();
    ledger.db.pragma('wal_checkpoint(TRUNCATE)');
  };
  let detailedLines = 0;
  let detailedRate = 0;
  let hledgerSecs = 0;
  let hledgerCpu = 0;
  for (const [label, target, summarised] of [
    ['built-in ledger, detailed', 'builtin', false],
    ['built-in ledger, summarised', 'builtin', true],
    ['hledger journal, detailed', `hledger:${join(dir, 'detailed.journal')}`, false],
    ['hledger journal, summarised', `hledger:${join(dir, 'summary.journal')}`, true],
  ] as const) {
    reset();
    const t = openTarget(store, target);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await runPosting(store, t, { to, summarised, userId: admin });
    const secs = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    const rate = r.movementCount / secs;
    if (target.startsWith('hledger:') && !summarised) {
      hledgerSecs = secs;
      hledgerCpu = (cpu.user + cpu.system) / 1e6;
    }
    if (target === 'builtin' && !summarised) {
      detailedLines = r.lineCount;
      detailedRate = rate;
    }
    const size = target.startsWith('hledger:') ? `, file ${(statSync(target.slice(8)).size / 1e6).toFixed(0)} MB` : '';
    console.log(
      `${label}: ${fmt(r.movementCount)} movements → ${fmt(r.entryCount)} entries, ${fmt(r.lineCount)} lines in ${secs.toFixed(2)} s = ${fmt(rate)} movements/s` +
        ` (balanced: ${r.balanced ? 'yes' : 'NO'}, entry check: ${r.entryCheckOk ? 'ok' : 'FAILED'}${size})`,
    );
  }
  // The same-run ceiling of issue 15: real ledger-cli reading and balancing the detailed journal just written.
  const journal = join(dir, 'detailed.journal');
  const l0 = performance.now();
  const ledgerCpu = ledgerCliCpu(journal);
  const ledgerSecs = (performance.now() - l0) / 1000;
  console.log(`ledger-cli reading and balancing that journal (ledger -f detailed.journal balance): ${ledgerSecs.toFixed(2)} s${ledgerCpu === null ? '' : `, CPU ${ledgerCpu.toFixed(2)} s`}`);
  console.log(`RATIO hledger journal posting, detailed / ledger-cli balance of the same journal = ${(hledgerSecs / ledgerSecs).toFixed(2)}× (goal ≤ 0.5×)`);
  // On a shared, loaded machine wall time swings with the other processes; CPU time (user + system) much less.
  if (ledgerCpu !== null) console.log(`RATIO (CPU time) hledger journal posting, detailed ${hledgerCpu.toFixed(2)} s / ledger-cli ${ledgerCpu.toFixed(2)} s = ${(hledgerCpu / ledgerCpu).toFixed(2)}×`);
  await dailyBatch(ledger, store, world, admin, MOVEMENTS, to);
  // The ceiling: a raw insert of as many journal lines (plus one posting row per movement) into identical tables, one transaction.
  reset();
  const batch = store.createBatch({ target: 'builtin', postedTo: to, summarised: false, userId: admin, now: Date.now(), lastEntry: 0, targetStart: null, targetId: null });
  const line = ledger.db.prepare(
    'INSERT INTO journal_lines (batch_id, chunk_no, entry_no, entry_date, account, amount, movement_type, movement_seq, description) VALUES (?, 0, ?, 0, ?, ?, ?, ?, ?)',
  );
  const posting = ledger.db.prepare('INSERT INTO movement_postings (movement_seq, batch_id) VALUES (?, ?)');
  const t1 = performance.now();
  ledger.db.transaction(() => {
    for (let i = 0; i < detailedLines; i++) line.run(batch, i >> 1, i & 1 ? '2100' : '1200', i & 1 ? -1 : 1, 'inbound', (i >> 1) + 1, 'Inbound movement');
    for (let s = 1; s <= MOVEMENTS; s++) posting.run(s, batch);
  })();
  const rawSecs = (performance.now() - t1) / 1000;
  const rawRate = MOVEMENTS / rawSecs;
  console.log(`raw ceiling: insert ${fmt(detailedLines)} journal lines + ${fmt(MOVEMENTS)} posting rows in one transaction: ${rawSecs.toFixed(2)} s = ${fmt(rawRate)} movements/s`);
  console.log(`RATIO detailed built-in posting / raw ceiling = ${(detailedRate / rawRate).toFixed(3)}`);
  reportFigure('finance', 'sqlite', {
    value: `${fmt(MOVEMENTS)} movements in ${(MOVEMENTS / detailedRate).toFixed(2)} s = ${fmt(detailedRate)} movements/s (goal < 15 s)`,
    ratio: detailedRate / rawRate,
    ceiling: 'a raw one-transaction insert of as many journal lines and posting rows',
  });
  // The same hledger posting as a user runs it: a job beside the ledger worker, after its checked backup. The raw
  // ceiling's posting rows took no movement off the queue; the reset's delete puts each back on it (its trigger).
  ledger.db.prepare('DELETE FROM unposted_movements').run();
  reset();
  await ledger.close();
  const job = await postingAsJob(join(dir, 'posting.db'), `hledger:${join(dir, 'job.journal')}`, new Date(to).toISOString(), admin);
  console.log(
    `hledger journal, detailed, as the app posts it (a job beside the ledger worker, ${POSTING_WRITE_BUDGET_MS} ms write budget), after the full check the app runs once it is up (${job.startCheck.toFixed(2)} s; it anchors the chain): checked backup ${job.backup.toFixed(2)} s, then posting and its PDF report ${job.posting.toFixed(2)} s (${job.message})`,
  );
  console.log(`RATIO hledger posting as a job, detailed / ledger-cli balance of the same journal = ${(job.posting / ledgerSecs).toFixed(2)}× (goal ≤ 0.5×; with its backup ${((job.backup + job.posting) / ledgerSecs).toFixed(2)}×)`);
}

/** Movements in the day's work posted on top of the whole history (issue 15: an end-of-day posting on a big ledger). */
const DAILY = 1_000;

/**
 * The "daily batch" row: every movement so far is posted (the runs above each post them all), then a day's work of
 * DAILY movements is recorded after them and posted to the built-in ledger: the count of what is left plus the batch,
 * timed whole. Its same-run ceiling: a raw read of those DAILY movement rows (the best of three). A posting that walks the posted history
 * to find what is left costs what the history costs; one that reads only what is unposted costs what the day costs.
 */
async function dailyBatch(ledger: SqliteLedger, store: PostingStore, world: BenchWorld, admin: number, posted: number, to: number): Promise<void> {
  const afterHistory = Date.UTC(2026, 0, 1) + Math.ceil(posted / 10) * 1000 + 3_600_000;
  ledger.poster.postMany([...benchDocuments(world, DAILY, 10, 'fp-day', afterHistory)], admin);
  const t = openTarget(store, 'builtin');
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await runPosting(store, t, { to, summarised: false, userId: admin });
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  if (r.movementCount !== DAILY) throw new Error(`the daily batch posted ${r.movementCount} movements, not ${DAILY}`);
  const read = ledger.db.prepare('SELECT * FROM movements WHERE seq > ? ORDER BY seq');
  let rows = 0;
  let rawSecs = Infinity;
  for (let i = 0; i < 3; i++) {
    const t1 = performance.now();
    rows = read.all(posted).length;
    rawSecs = Math.min(rawSecs, (performance.now() - t1) / 1000);
  }
  console.log(
    `daily batch: ${fmt(DAILY)} unposted movements on top of ${fmt(posted)} posted, count + post: ${(secs * 1000).toFixed(1)} ms (CPU ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms)` +
      `; raw read of those ${fmt(rows)} rows: ${(rawSecs * 1000).toFixed(2)} ms`,
  );
  console.log(`RATIO daily batch / raw read of its movements = ${(secs / rawSecs).toFixed(1)}×`);
}

/** Runs `ledger -f journal balance`; its CPU time (user + system, s) by /usr/bin/time where there is one, else null. */
function ledgerCliCpu(journal: string): number | null {
  if (!existsSync('/usr/bin/time')) {
    execFileSync('ledger', ['-f', journal, 'balance'], { stdio: 'ignore', maxBuffer: 1 << 30 });
    return null;
  }
  const r = spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', 'ledger', '-f', journal, 'balance'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`ledger-cli failed: ${r.stderr}`);
  const m = /cpu (\d+\.\d+) (\d+\.\d+)\s*$/.exec(r.stderr);
  return m ? Number(m[1]) + Number(m[2]) : null;
}
