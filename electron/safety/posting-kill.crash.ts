import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerCore } from '../ledger/ledger-core';
import { PgLedgerStore } from '../ledger/pg/store/pg-ledger-store';
import { SqliteLedgerCore } from '../ledger/store/sqlite-ledger-core';
import { clusterForConfiguredStore, STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';
import { crashDocument, crashLines } from './crash-documents';
import { runAndKill } from './crash-kill';
import { seedCrashLedger, type CrashLedger } from './crash-ledger';
import { reopenCrashed } from '../../test/fixtures/crash-reopen';
import { CRASH_CHILD_APP, type PostingKillPlan } from './posting-kill-child';

/**
 * Crash safety while posting (npm run test:crash), on the configured store: a Stockbook writer posting documents
 * (posting-kill-child.ts) is killed with SIGKILL at a random instant, again and again, on one ledger: a SQLite file
 * (vitest.crash.config.ts) or a PostgreSQL database (vitest.crash.pg.config.ts). After each kill the ledger opens (on
 * SQLite the start-up checks pass; on PostgreSQL once the database has ended the killed session) and verify holds;
 * every document is whole; every document the writer saw committed is there exactly once, under the id it was told
 * (SQLite: synchronous=FULL); nothing else of the run is there but the one document in flight; and posting the last
 * committed and the in-flight document again under their keys (as a client retries) gives the same document, never a
 * second one.
 */
const CHILD = fileURLToPath(new URL('./posting-kill-child.ts', import.meta.url));
const KILLS = STORE_UNDER_TEST === 'sqlite' ? Number(process.env.STOCKBOOK_CRASH_KILLS ?? 20) : Number(process.env.STOCKBOOK_PG_CRASH_KILLS ?? 12);
const cluster = clusterForConfiguredStore();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-crash-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the writer, kills it `afterMs` after it says READY; resolves with the documents it saw committed (key → id). */
async function postAndKill(plan: PostingKillPlan, afterMs: number): Promise<Map<string, number>> {
  const { lines, killed } = await runAndKill([CHILD, JSON.stringify(plan)], afterMs);
  expect(killed, 'the writer was killed, not ended by itself').toBe(true);
  // A line cut by the kill has no id yet: it was not seen committed.
  const committed = lines.filter((l) => /^C \S+ \d+$/.test(l)).map((l) => l.split(' '));
  return new Map(committed.map(([, key, id]) => [key!, Number(id)]));
}

/** The ledger after the kill, as the next start opens it: its core, a query's rows (`?` placeholders), and its close. */
interface Reopened {
  core: LedgerCore;
  rows<R>(sql: string, params?: unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

async function reopen(ledger: CrashLedger): Promise<Reopened> {
  const l = await reopenCrashed(ledger, CRASH_CHILD_APP);
  return { core: l.store === 'sqlite' ? new SqliteLedgerCore(l.sqlite.db, l.sqlite.poster) : new PgLedgerStore(l.pool), rows: l.rows, close: l.close };
}

describe(`SIGKILL while posting documents (${STORE_UNDER_TEST})`, () => {
  it(`survives ${KILLS} kills at random points: verify holds, documents whole, committed ones there once, a retried key gives the same document`, async () => {
    const seed = await seedCrashLedger(cluster(), join(dir, 'post.db'), 'posting_kill');
    let committedTotal = 0;
    let inFlightFound = 0;
    for (let run = 1; run <= KILLS; run++) {
      const plan: PostingKillPlan = { ...seed, runId: `p${run}` };
      const committed = await postAndKill(plan, 50 + Math.floor(Math.random() * 900));
      committedTotal += committed.size;
      const after = await reopen(plan.ledger);
      try {
        const report = await after.core.verify();
        expect(report.checks.filter((c) => !c.ok)).toEqual([]);

        // Every document of the ledger, this run's and the runs' before, is whole.
        const all = await after.rows<{ key: string; id: number; n: number }>(
          'SELECT d.idempotency_key AS key, d.id, COUNT(m.seq) AS n FROM documents d LEFT JOIN movements m ON m.document_id = d.id GROUP BY d.id',
        );
        for (const d of all) expect(Number(d.n), d.key).toBe(crashLines(d.key));
        const docs = all.filter((d) => d.key.startsWith(`crash-${plan.runId}-`));
        const byKey = new Map(docs.map((d) => [d.key, d]));
        expect(byKey.size, 'one document per key').toBe(docs.length);
        for (const [key, id] of committed) expect(byKey.get(key)?.id, `committed ${key}`).toBe(id);
        // Posted one after another: the run's documents are those seen committed and at most the next one, in flight.
        const inFlight = crashDocument(plan.runId, committed.size + 1, plan.products, plan.sites);
        for (const key of byKey.keys()) expect(committed.has(key) || key === inFlight.idempotencyKey, `${key} was neither committed nor in flight`).toBe(true);

        // A client retrying: the last committed document and the one in flight, under their keys.
        const wasThere = byKey.get(inFlight.idempotencyKey);
        if (wasThere) inFlightFound++;
        const retried = await after.core.post(inFlight, plan.userId);
        expect(retried.replayed).toBe(wasThere !== undefined);
        if (wasThere) expect(retried.documentId).toBe(wasThere.id);
        if (committed.size > 0) {
          const last = crashDocument(plan.runId, committed.size, plan.products, plan.sites);
          expect(await after.core.post(last, plan.userId)).toMatchObject({ replayed: true, documentId: committed.get(last.idempotencyKey) });
        }
        const again = await after.rows<{ n: number }>('SELECT COUNT(*) AS n FROM documents WHERE idempotency_key = ?', [inFlight.idempotencyKey]);
        expect(Number(again[0]!.n), 'the retried key is one document').toBe(1);
        expect((await after.core.verify()).ok).toBe(true);
      } finally {
        await after.close();
      }
    }
    console.log(`posting (${STORE_UNDER_TEST}): ${KILLS} SIGKILLs survived; ${committedTotal} documents seen committed, all there once; ${inFlightFound} in-flight documents committed unseen, replayed on retry`);
  }, 600_000);
});
