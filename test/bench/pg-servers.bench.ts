import type { ChildOutcome } from '../../electron/ledger/pg/pg-post-child';
import { startTestCluster, type TestCluster } from '../../electron/ledger/pg/test-cluster';
import { startPgServer } from '../fixtures/pg-servers';
import { fmt, type BenchOptions } from './bench-options';
import { openPgBenchLedger } from './pg-bench-world';
import { reportFigure } from './side-by-side';

/** One phase: `servers` Stockbook server processes posting `documents` each at once into a fresh ledger; seconds and outcomes. */
async function phase(cluster: TestCluster, name: string, servers: number, documents: number): Promise<{ secs: number; outcomes: ChildOutcome[] }> {
  const { connection, pool, world, admin } = await openPgBenchLedger(cluster, name, 20);
  await pool.end();
  // Overlapping: every server posts into the same 20 products at the same two sites.
  const children = Array.from({ length: servers }, (_, i) =>
    startPgServer({ connection, server: `${name}-${i}`, seed: 1 + i, documents, userId: admin, products: world.products, sites: world.sites }),
  );
  await Promise.all(children.map((s) => s.ready));
  const t = performance.now();
  for (const s of children) s.go();
  const outcomes = (await Promise.all(children.map((s) => s.done))).flat();
  return { secs: (performance.now() - t) / 1000, outcomes };
}

/**
 * `npm run bench -- --store postgres`: throughput of two Stockbook servers (two processes, two pools of two) posting at
 * once into the same products and sites of one PostgreSQL, against one server alone, in the same run. The documents are
 * the concurrency test's mix (pg-post-child.ts: receipts, sales, transfers, and receipts both servers post under one
 * key); each phase starts from a fresh ledger. Alternating pairs (one, two, one, two) so a change of load hits both.
 * All posting is ordered by the chain lock, so two servers cannot beat one: the ratio is what the contention costs.
 */
export async function pgTwoServers({ quick }: BenchOptions): Promise<void> {
  const DOCS = quick ? 300 : 1_000;
  console.log(`\n## PostgreSQL: two servers posting at once (${fmt(DOCS)} documents each, overlapping products and sites) against one server alone`);
  const cluster = await startTestCluster(undefined, { durable: true });
  try {
    const rate = (r: { secs: number; outcomes: ChildOutcome[] }) => {
      const written = r.outcomes.filter((o) => o.result && !o.result.replayed).reduce((n, o) => n + o.lines.length, 0);
      return { docs: r.outcomes.length / r.secs, movements: written / r.secs, refused: r.outcomes.filter((o) => o.refused).length };
    };
    const ones: number[] = [];
    const twos: number[] = [];
    for (let pair = 1; pair <= 2; pair++) {
      const one = rate(await phase(cluster, `one_${pair}`, 1, DOCS));
      const two = rate(await phase(cluster, `two_${pair}`, 2, DOCS));
      console.log(`pair ${pair}: one server ${fmt(one.docs)} documents/s (${fmt(one.movements)} movements written/s, ${one.refused} refused); two servers ${fmt(two.docs)} documents/s (${fmt(two.movements)} movements written/s, ${two.refused} refused)`);
      console.log(`RATIO two servers / one server (documents/s) = ${(two.docs / one.docs).toFixed(2)}`);
      ones.push(one.docs);
      twos.push(two.docs);
    }
    const [one, two] = [ones, twos].map((xs) => xs.reduce((a, b) => a + b, 0) / xs.length) as [number, number];
    reportFigure('contention', 'postgres', { value: `two servers posting flat out: ${fmt(two)} documents/s (mean of 2 pairs)`, ratio: two / one, ceiling: 'one server alone, same documents' });
  } finally {
    cluster.stop();
  }
}
