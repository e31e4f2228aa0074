import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { openLedgerSafely } from './startup-check';
import { IMPORT_CHUNK_LINES } from '../operations/import-chunks';
import { runAndKill as killAfterReady } from './crash-kill';

/**
 * Crash safety of a SQLite ledger file (npm run test:crash): a child process importing 100,000 rows is killed with
 * SIGKILL at a random instant, 20 times. After every kill the ledger must open (start-up checks pass), `verify` must
 * pass, and every document must be wholly there or wholly absent. And a full disk made by SQLite's own page limit
 * (max_page_count). Posting killed and a real full disk, on either store: posting-kill.crash.ts, full-disk.crash.ts.
 */
const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const KILLS = Number(process.env.STOCKBOOK_CRASH_KILLS ?? 20);
let dir: string;

function seed(path: string) {
  return SqliteLedger.open(path).then(async (ledger) => {
    const r = ledger.reference;
    r.addSite({ code: 'WH1', name: 'Warehouse' });
    r.addSite({ code: 'BAR', name: 'Bar', kind: 'shop' });
    for (let i = 0; i < 20; i++) r.addProduct({ sku: `CRASH-${String(i).padStart(2, '0')}`, name: `Crash product ${i}`, stockType: 'Supplied' });
    await ledger.close();
  });
}

/** Runs the child in `mode`, kills it `afterMs` after it says READY; resolves with what it printed. */
const runAndKill = (mode: 'import', path: string, runId: string, afterMs: number) => killAfterReady([CHILD, mode, path, runId], afterMs);

async function checkAfterKill(path: string) {
  const start = await openLedgerSafely(path);
  expect(start.safeMode, JSON.stringify(start.safeMode)).toBeNull();
  const ledger = start.ledger!;
  const report = ledger.verify();
  expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  const docs = ledger.db
    .prepare('SELECT d.idempotency_key AS k, d.type, COUNT(m.seq) AS n FROM documents d LEFT JOIN movements m ON m.document_id = d.id GROUP BY d.id')
    .all() as { k: string; type: string; n: number }[];
  return { ledger, docs };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-crash-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SIGKILL while importing 100,000 rows', () => {
  it(`survives ${KILLS} kills: each import is wholly there (100,000 movements), wholly absent, or whole documents left to finish at the next start`, async () => {
    const outcomes = { absent: 0, whole: 0, partPosted: 0, killedBeforeDone: 0 };
    for (let run = 1; run <= KILLS; run++) {
      // A fresh ledger per run keeps verify quick (each whole import adds 100,000 movements).
      const path = join(dir, `import-${run}.db`);
      await seed(path);
      const { lines, killed } = await runAndKill('import', path, `i${run}`, Math.floor(Math.random() * 4000));
      if (killed && !lines.includes('IMPORTED')) outcomes.killedBeforeDone++;
      const { ledger, docs } = await checkAfterKill(path);
      const mine = docs.filter((d) => d.k.startsWith(`crash-import-i${run}:`));
      const movements = mine.reduce((s, d) => s + d.n, 0);
      // Posted in chunks (one document each): every document is whole; a part-posted import is left 'posting'
      // for the next start to finish (import-kill.crash.ts), never recorded as imported.
      for (const d of mine) expect(d.n, d.k).toBe(IMPORT_CHUNK_LINES);
      const importState = ledger.db.prepare('SELECT status FROM import_postings WHERE idempotency_key = ?').pluck().get(`crash-import-i${run}`);
      const recorded = ledger.db.prepare('SELECT COUNT(*) FROM import_files').pluck().get();
      if (movements > 0 && movements < 100_000) expect([importState, recorded], `run ${run}: ${movements} movements`).toEqual(['posting', 0]);
      if (movements === 100_000) expect(recorded).toBe(1);
      if (lines.includes('IMPORTED')) expect(movements).toBe(100_000);
      outcomes[movements === 0 ? 'absent' : movements === 100_000 ? 'whole' : 'partPosted']++;
      await ledger.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    }
    console.log(
      `import: ${KILLS} runs, ${outcomes.killedBeforeDone} killed before the job finished; ${outcomes.whole} imports wholly there, ${outcomes.absent} wholly absent, ${outcomes.partPosted} part-posted in whole documents and left to finish at the next start`,
    );
  }, 900_000);
});

describe('full disk while posting', () => {
  it('SQLite max_page_count as the limit: a clear error, nothing half-written, posting works again once there is room', async () => {
    const path = join(dir, 'full.db');
    await seed(path);
    const { toWire } = await import('../ledger/worker-context');
    const ledger = await SqliteLedger.open(path);
    const p = (ledger.db.prepare("SELECT id FROM products WHERE sku = 'CRASH-00'").get() as { id: number }).id;
    const wh = (ledger.db.prepare("SELECT id FROM sites WHERE code = 'WH1'").get() as { id: number }).id;
    const pages = ledger.db.pragma('page_count', { simple: true }) as number;
    ledger.db.pragma(`max_page_count = ${pages + 20}`);
    const doc = (i: number) => ({
      idempotencyKey: `full-${i}-key`,
      type: 'receipt' as const,
      note: 'x'.repeat(1500),
      lines: Array.from({ length: 20 }, (_, j) => ({ productId: p, siteId: wh, type: 'supplier_order' as const, qty: 1 + j, unitCost: 1, note: 'n'.repeat(500) })),
    });
    let i = 0;
    let error: unknown = null;
    for (; i < 1000 && !error; i++) {
      try {
        ledger.poster.post(doc(i), 2);
      } catch (e) {
        error = e;
      }
    }
    expect(error).not.toBeNull();
    expect(toWire(error)).toEqual({ code: 'UNAVAILABLE', message: 'The disk is full, so nothing was saved. Free some disk space and try again.' });
    const failedKey = `full-${i - 1}-key`;
    expect(ledger.db.prepare('SELECT 1 FROM documents WHERE idempotency_key = ?').get(failedKey)).toBeUndefined();
    expect(ledger.verify().ok).toBe(true);
    ledger.poster.reset?.();
    ledger.db.pragma('max_page_count = 1073741823');
    ledger.poster.post(doc(i - 1), 2);
    expect(ledger.verify().ok).toBe(true);
    await ledger.close();
  });
});
