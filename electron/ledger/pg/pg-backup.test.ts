import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgFixture } from '../../../test/fixtures/pg-ledger';
import { pgDump, pgRestore } from './pg-backup';
import { openPool } from './pg-types';
import { PgLedgerStore } from './store/pg-ledger-store';
import { PG_BIN, startTestCluster, type TestCluster } from './test-cluster';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster();
});
afterAll(() => cluster?.stop());

describe('backup and restore of a PostgreSQL ledger with pg_dump and pg_restore', () => {
  it('restores into a new database where verify holds, every movement, stock level, serial unit and cost is there, and posting goes on', async () => {
    const f = await openPgFixture(cluster);
    const { ids } = f;
    const restored = cluster.createDatabase(`restored_${process.pid}`);
    const restoredPool = openPool(restored);
    try {
      await f.store.post({ idempotencyKey: 'b-1', type: 'receipt', lines: [
        { productId: ids.bulk, siteId: ids.wh, binId: ids.binA, type: 'inbound', qty: 4_000, unitCost: 21000 },
        { productId: ids.serial, siteId: ids.wh, serial: 'S-77', type: 'inbound', qty: 1, unitCost: 500000 },
        { productId: ids.lot, siteId: ids.shop, batch: { code: 'B2', expiry: '2030-12-31' }, type: 'inbound', qty: 6 },
      ] }, ids.admin);
      await f.store.post({ idempotencyKey: 'b-2', type: 'despatch', lines: [{ productId: ids.bulk, siteId: ids.wh, binId: ids.binA, type: 'sale', qty: -1_500 }] }, ids.admin);
      const file = join(cluster.dir, 'ledger.dump');
      await pgDump(f.connection, file, { bin: PG_BIN });
      expect(statSync(file).size).toBeGreaterThan(0);
      await pgRestore(restored, file, { bin: PG_BIN });

      const store = new PgLedgerStore(restoredPool);
      const report = await store.verify();
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      expect(report).toMatchObject({ ok: true, movements: 4 });
      for (const table of ['movements ORDER BY seq', 'stock_levels ORDER BY id', 'serial_units ORDER BY id', 'cost_state ORDER BY product_id, site_id', 'batches ORDER BY id', 'documents ORDER BY id']) {
        expect((await restoredPool.query(`SELECT * FROM ${table}`)).rows).toEqual((await f.pool.query(`SELECT * FROM ${table}`)).rows);
      }
      // the append-only triggers came back with the rows
      await expect(restoredPool.query('UPDATE movements SET qty = 1 WHERE seq = 1')).rejects.toThrow(/append-only/);
      // and the sequences: the next document takes the next id, after the chain head
      expect(await store.post({ idempotencyKey: 'b-3', type: 'despatch', lines: [{ productId: ids.serial, siteId: ids.wh, serial: 'S-77', type: 'sale', qty: -1 }] }, ids.admin))
        .toEqual({ documentId: 3, replayed: false, movementCount: 1, firstSeq: 5, lastSeq: 5 });
      expect((await store.verify()).ok).toBe(true);
    } finally {
      await restoredPool.end();
      await f.close();
    }
  });

  it('refuses to restore a file that is not a pg_dump, saying what failed, and leaves the database empty', async () => {
    const target = cluster.createDatabase(`bad_${process.pid}`);
    const pool = openPool(target);
    try {
      expect(existsSync(join(cluster.dir, 'data', 'postmaster.opts'))).toBe(true);
      await expect(pgRestore(target, join(cluster.dir, 'data', 'postmaster.opts'), { bin: PG_BIN })).rejects.toMatchObject({
        code: 'UNAVAILABLE',
        message: expect.stringMatching(/^Restoring into bad_\d+ with pg_restore failed: .*input file does not appear to be a valid archive/),
      });
      expect((await pool.query("SELECT COUNT(*)::int AS n FROM pg_tables WHERE schemaname = 'public'")).rows[0]).toEqual({ n: 0 });
    } finally {
      await pool.end();
    }
  });
});
