import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgFixture, type PgFixture } from '../../../test/fixtures/pg-ledger';
import { openPool } from '../../ledger/pg/pg-types';
import { startTestCluster, type TestCluster } from '../../ledger/pg/test-cluster';
import { EXPORT_CHUNK } from '../movement-export';
import { pgMovementExport } from './pg-movement-export';

/**
 * A PostgreSQL movement export reads one snapshot (SQLite's twin: jobs/job-pool.test.ts): a movement committed by
 * another connection while the export is between two chunks is not in its file. The export's own pool is held, at the
 * narrowest seam, for the one statement after its first chunk is written, until that movement has committed.
 */
let cluster: TestCluster;
let f: PgFixture;
let dir: string;
beforeAll(async () => {
  cluster = await startTestCluster();
  f = await openPgFixture(cluster);
  dir = mkdtempSync(join(tmpdir(), 'stockbook-pg-export-'));
  const lines = Array.from({ length: EXPORT_CHUNK + 500 }, () => ({ productId: f.ids.bulk, siteId: f.ids.wh, type: 'inbound' as const, qty: 1_000 }));
  await f.store.post({ idempotencyKey: 'export-before', type: 'receipt', lines }, f.ids.admin);
}, 120_000);
afterAll(async () => {
  await f?.close();
  cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A pool whose clients hold their next statement, once `hold()` was called, until `released` settles. */
function holdingPool(connection: PgFixture['connection'], released: Promise<void>): { pool: pg.Pool; hold(): void; held(): boolean } {
  const pool = openPool(connection, 1);
  let holding = false;
  let held = false;
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...a: unknown[]) => Promise<unknown>;
    (client as unknown as { query: (...a: unknown[]) => Promise<unknown> }).query = async (...a: unknown[]) => {
      if (holding && !held) {
        held = true;
        await released;
      }
      return query(...a);
    };
  });
  return { pool, hold: () => (holding = true), held: () => held };
}

describe('a PostgreSQL movement export reads one snapshot', () => {
  it('a movement committed between two of its chunks is not in its file', async () => {
    const before = (await f.pool.query<{ n: number; top: number }>('SELECT COUNT(*) AS n, MAX(seq) AS top FROM movements')).rows[0]!;
    expect(before.n).toBeGreaterThan(EXPORT_CHUNK);
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const gated = holdingPool(f.connection, released);
    let committed: Promise<unknown> | null = null;
    try {
      const file = join(dir, 'snapshot.csv');
      const n = await pgMovementExport(gated.pool, {}, 'csv', { timeZone: 'UTC', separator: ',' })(file, new AbortController().signal, (p) => {
        if (p.done === 0 || committed) return;
        gated.hold(); // the export's next statement waits for the commit below
        committed = f.store.post({ idempotencyKey: 'export-during', type: 'receipt', lines: [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'inbound', qty: 7 }] }, f.ids.admin).finally(release);
      });
      await committed;
      expect(gated.held(), 'the export read a chunk after the commit').toBe(true);
      expect((await f.pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM movements')).rows[0]!.n).toBe(before.n + 1);
      expect(n).toBe(before.n);
      const rows = readFileSync(file, 'utf8').split('\r\n').slice(1).filter(Boolean);
      expect(rows).toHaveLength(before.n);
      expect(Math.max(...rows.map((r) => Number(r.split(',')[0])))).toBe(before.top);
    } finally {
      release();
      await gated.pool.end();
    }
  });
});
