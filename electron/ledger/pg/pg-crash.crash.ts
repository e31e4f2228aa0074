import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pgLedgerForFile, type PgFixture } from '../../../test/fixtures/pg-ledger';
import { crashDocument, crashLines } from '../../safety/crash-documents';
import { runAndKill } from '../../safety/crash-kill';
import { CRASH_CHILD_APP, type PgCrashPlan } from './pg-crash-child';
import { PgReferenceStore } from './store/pg-reference-store';

/**
 * Crash safety on PostgreSQL (npm run test:crash): a Stockbook server process posting documents is killed with
 * SIGKILL at a random instant, again and again, against one PostgreSQL. After each kill, once the database has ended
 * the killed session: verify holds; every document the server saw committed is there exactly once, whole, under the
 * id it was told; nothing else of the run is there but the one document in flight; and posting the last committed and
 * the in-flight document again under their keys (as a client retries) gives the same document, never a second one.
 */
const CHILD = fileURLToPath(new URL('./pg-crash-child.ts', import.meta.url));
const KILLS = Number(process.env.STOCKBOOK_PG_CRASH_KILLS ?? 12);

let f: PgFixture;
pgLedgerForFile((fixture) => (f = fixture));

/** Runs the posting server, kills it `afterMs` after it says READY; resolves with the documents it saw committed (key → id). */
async function postAndKill(plan: PgCrashPlan, afterMs: number): Promise<Map<string, number>> {
  const { lines, killed } = await runAndKill([CHILD, JSON.stringify(plan)], afterMs);
  expect(killed, 'the posting server was killed, not ended by itself').toBe(true);
  // A line cut by the kill has no id yet: it was not seen committed.
  const committed = lines.filter((l) => /^C \S+ \d+$/.test(l)).map((l) => l.split(' '));
  return new Map(committed.map(([, key, id]) => [key!, Number(id)]));
}

/** Waits until PostgreSQL has ended the killed server's session: its transaction is then committed or rolled back. */
async function sessionGone(): Promise<void> {
  for (;;) {
    const r = await f.pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM pg_stat_activity WHERE application_name = $1', [CRASH_CHILD_APP]);
    if (r.rows[0]!.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('SIGKILL of a server posting to PostgreSQL', () => {
  it(`survives ${KILLS} kills at random points: verify holds, committed documents there once, a retried key gives the same document`, async () => {
    const refs = new PgReferenceStore(f.pool);
    const products: number[] = [];
    for (let i = 0; i < 20; i++) products.push(await refs.addProduct({ sku: `CRASH-${String(i).padStart(2, '0')}`, name: `Crash product ${i}` }));
    const sites = { wh: f.ids.wh, bar: f.ids.shop };
    let committedTotal = 0;
    let inFlightFound = 0;
    for (let run = 1; run <= KILLS; run++) {
      const plan: PgCrashPlan = { connection: f.connection, runId: `pg${run}`, userId: f.ids.admin, products, sites };
      const committed = await postAndKill(plan, 50 + Math.floor(Math.random() * 900));
      committedTotal += committed.size;
      await sessionGone();
      const report = await f.store.verify();
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);

      const docs = (await f.pool.query<{ key: string; id: number; n: number }>(
        `SELECT d.idempotency_key AS key, d.id, COUNT(m.seq) AS n FROM documents d LEFT JOIN movements m ON m.document_id = d.id
         WHERE d.idempotency_key LIKE $1 GROUP BY d.id`,
        [`crash-pg${run}-%`],
      )).rows;
      const byKey = new Map(docs.map((d) => [d.key, d]));
      expect(byKey.size, 'one document per key').toBe(docs.length);
      for (const d of docs) expect(d.n, d.key).toBe(crashLines(d.key));
      for (const [key, id] of committed) expect(byKey.get(key)?.id, `committed ${key}`).toBe(id);
      // Posted one after another: the run's documents are those seen committed and at most the next one, in flight.
      const inFlight = crashDocument(plan.runId, committed.size + 1, products, sites);
      for (const key of byKey.keys()) expect(committed.has(key) || key === inFlight.idempotencyKey, `${key} was neither committed nor in flight`).toBe(true);

      // A client retrying: the last committed document and the one in flight, under their keys.
      const wasThere = byKey.get(inFlight.idempotencyKey);
      if (wasThere) inFlightFound++;
      const retried = await f.store.post(inFlight, f.ids.admin);
      expect(retried.replayed).toBe(wasThere !== undefined);
      if (wasThere) expect(retried.documentId).toBe(wasThere.id);
      if (committed.size > 0) {
        const last = crashDocument(plan.runId, committed.size, products, sites);
        expect(await f.store.post(last, f.ids.admin)).toMatchObject({ replayed: true, documentId: committed.get(last.idempotencyKey) });
      }
      const again = (await f.pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM documents WHERE idempotency_key = $1', [inFlight.idempotencyKey])).rows[0]!.n;
      expect(again, 'the retried key is one document').toBe(1);
    }
    expect((await f.store.verify()).ok).toBe(true);
    console.log(`PostgreSQL posting: ${KILLS} SIGKILLs survived; ${committedTotal} documents seen committed, all there once; ${inFlightFound} in-flight documents committed unseen, replayed on retry`);
  }, 300_000);
});
