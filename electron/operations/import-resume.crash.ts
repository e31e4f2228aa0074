import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobFinished } from '../../shared/domain';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { IMPORT_CHUNK_LINES } from './import-chunks';
import { crashImportQty } from '../safety/crash-documents';
import { openLedgerSafely } from '../safety/startup-check';
import { startLedgerWorker } from '../safety/worker-start';

/**
 * A chunked import killed part-way (npm run test:crash): the crash child imports 100,000 rows (in chunks of IMPORT_CHUNK_LINES) and
 * is killed with SIGKILL as soon as it reports chunks posting. The file is then part-posted; the next start (the ledger
 * worker's start, as the app runs it) must finish it: every row of the file exactly once, the file recorded as imported
 * once, and the full check (hash chain, balances, levels) passing.
 */
const CHILD = fileURLToPath(new URL('../safety/crash-child.ts', import.meta.url));
const RUNS = Number(process.env.STOCKBOOK_CRASH_IMPORT_RUNS ?? 3);
const ROWS = 100_000;
const DOCS = ROWS / IMPORT_CHUNK_LINES;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-import-crash-'));
  process.env.STOCKBOOK_NO_DAILY_BACKUP = '1';
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function seed(path: string): Promise<void> {
  const ledger = await SqliteLedger.open(path);
  const r = ledger.reference;
  r.addSite({ code: 'WH1', name: 'Warehouse' });
  r.addSite({ code: 'BAR', name: 'Bar', kind: 'shop' });
  for (let i = 0; i < 20; i++) r.addProduct({ sku: `CRASH-${String(i).padStart(2, '0')}`, name: `Crash product ${i}`, stockType: 'Supplied' });
  await ledger.close();
}

/** Runs the child's import and kills it on its first report of chunks posting; resolves with what it printed. */
function importAndKill(path: string, runId: string): Promise<{ lines: string[]; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, 'import', path, runId], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += String(d);
      if (out.includes('POSTING ')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d: Buffer) => (err += String(d)));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`child exited ${code}: ${err}`));
      else resolve({ lines: out.split('\n').filter(Boolean), killed: signal === 'SIGKILL' });
    });
  });
}

/** The movements of each of the run's import documents. */
function perDocument(ledger: SqliteLedger, runId: string): { k: string; n: number; qty: number }[] {
  return ledger.db
    .prepare(
      `SELECT d.idempotency_key AS k, COUNT(m.seq) AS n, SUM(m.qty) AS qty FROM documents d JOIN movements m ON m.document_id = d.id
       WHERE d.idempotency_key LIKE ? GROUP BY d.id ORDER BY d.id`,
    )
    .all(`crash-import-${runId}:%`) as { k: string; n: number; qty: number }[];
}

/** Starts the ledger worker as the app does (the composition root asks for the full check once it is up) and waits for the roll-forward and the full check. */
async function restart(path: string): Promise<JobFinished[]> {
  const finished: JobFinished[] = [];
  let settle!: () => void;
  const both = new Promise<void>((r) => (settle = r));
  const worker = await startLedgerWorker(path, (event, payload) => {
    if (event !== 'job.finished') return;
    finished.push(payload as JobFinished);
    if (finished.some((f) => f.kind === 'import') && finished.some((f) => f.kind === 'ledger-check')) settle();
  });
  worker.ops.safetyStartFullCheck();
  await both;
  await worker.close();
  return finished;
}

describe('SIGKILL while an import posts its chunks', () => {
  it(`${RUNS} kills mid-posting: the next start finishes each import, every row exactly once, and the full check passes`, async () => {
    // The file as crash-child writes it: row i is CRASH-(i % 20) at BAR or WH1, qty 1 + (i % 9).
    const fileQty = crashImportQty(ROWS);
    const partials: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const path = join(dir, `import-${run}.db`);
      await seed(path);
      const runId = `r${run}`;
      const { lines, killed } = await importAndKill(path, runId);
      expect(killed, lines.join('\n')).toBe(true);

      // As the kill left it: whole chunk documents only, and the file not recorded as imported.
      const left = await SqliteLedger.open(path);
      const before = perDocument(left, runId);
      for (const d of before) expect(d.n, d.k).toBe(IMPORT_CHUNK_LINES);
      const posted = before.length * IMPORT_CHUNK_LINES;
      partials.push(posted);
      if (posted < ROWS) expect(left.db.prepare('SELECT COUNT(*) FROM import_files').pluck().get()).toBe(0);
      await left.close();

      const finished = await restart(path);
      expect(finished.find((f) => f.kind === 'ledger-check'), JSON.stringify(finished)).toMatchObject({ ok: true });
      if (posted < ROWS) expect(finished.find((f) => f.kind === 'import'), JSON.stringify(finished)).toMatchObject({ ok: true, message: expect.stringMatching(new RegExp(`^Finished the import of crash-r\\d+\\.csv that was interrupted: 100,000 rows in ${DOCS.toLocaleString('en-GB')} documents`)) });

      const start = await openLedgerSafely(path);
      expect(start.safeMode).toBeNull();
      const ledger = start.ledger!;
      expect(ledger.verify().checks.filter((c) => !c.ok)).toEqual([]);
      const after = perDocument(ledger, runId);
      expect(after.map((d) => d.k)).toEqual(Array.from({ length: DOCS }, (_, i) => `crash-import-${runId}:${i + 1}`));
      expect(after.every((d) => d.n === IMPORT_CHUNK_LINES)).toBe(true);
      expect(after.reduce((s, d) => s + d.qty, 0)).toBe(fileQty);
      expect(ledger.db.prepare('SELECT COUNT(*) FROM movements').pluck().get()).toBe(ROWS);
      expect(ledger.db.prepare('SELECT row_count AS rows, json_array_length(document_ids) AS docs FROM import_files').all()).toEqual([{ rows: ROWS, docs: DOCS }]);
      expect(ledger.db.prepare("SELECT COUNT(*) FROM import_postings WHERE status <> 'posted'").pluck().get()).toBe(0);
      expect(ledger.db.prepare('SELECT COUNT(*) FROM import_posting_chunks').pluck().get()).toBe(0);
      expect(ledger.db.prepare('SELECT COUNT(*) FROM operation_requests WHERE idempotency_key = ?').pluck().get(`crash-import-${runId}`)).toBe(1);
      await ledger.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    }
    console.log(`chunked import: ${RUNS} SIGKILLs mid-posting with ${partials.map((p) => p.toLocaleString('en-GB')).join(', ')} of 100,000 rows posted; each finished at the next start, every row once`);
    // The kills landed part-way (not before the first chunk or after the last).
    expect(partials.some((p) => p > 0 && p < ROWS)).toBe(true);
  }, 900_000);
});
