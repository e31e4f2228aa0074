import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { partialPathFor } from '../../safety/stale-files';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgFixture } from '../../../test/fixtures/pg-ledger';
import { GENESIS_HASH, hashMovement, MOVEMENT_COLUMNS, type MovementRow } from '../store/movement-hash';
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
      // the dump records the head it holds as an anchor once it is written, and returns it to be kept outside the database
      expect(await pgDump(f.connection, file, { bin: PG_BIN })).toEqual({ seq: 4, hash: (await f.pool.query('SELECT hash FROM movements WHERE seq = 4')).rows[0].hash, qtySum: 4_000 + 1 + 6 - 1_500 });
      expect(statSync(file).size).toBeGreaterThan(0);
      await pgRestore(restored, file, { bin: PG_BIN });

      const store = new PgLedgerStore(restoredPool);
      const report = await store.verify();
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      expect(report).toMatchObject({ ok: true, movements: 4 });
      expect(report.checks.find((c) => c.name === 'chain-anchors')).toMatchObject({ ok: true });
      // the anchor was recorded after the dump's snapshot, so the dump holds every anchor but that one
      const anchors = (await f.pool.query('SELECT * FROM chain_anchors ORDER BY id')).rows;
      expect(anchors.at(-1)).toMatchObject({ source: 'backup', seq: 4 });
      expect((await restoredPool.query('SELECT * FROM chain_anchors ORDER BY id')).rows).toEqual(anchors.slice(0, -1));
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

  it('holds the chain to the backup anchor: a movement changed and the whole chain re-hashed after the backup is still caught', async () => {
    const f = await openPgFixture(cluster);
    try {
      const { ids } = f;
      for (const [k, qty] of [['h-1', 1_000], ['h-2', 2_000], ['h-3', 3_000]] as const) {
        await f.store.post({ idempotencyKey: k, type: 'receipt', lines: [{ productId: ids.bulk, siteId: ids.wh, type: 'inbound', qty }] }, ids.admin);
      }
      await pgDump(f.connection, join(cluster.dir, 'anchored.dump'), { bin: PG_BIN });
      // Someone with the database's keys changes movement 2 and re-hashes every movement from it on, with the stock
      // level and balances made to agree: every check that reads only the movements holds.
      await f.pool.query('ALTER TABLE movements DISABLE TRIGGER movements_no_update');
      const rows = (await f.pool.query<MovementRow>(`SELECT ${MOVEMENT_COLUMNS.join(', ')} FROM movements ORDER BY seq`)).rows;
      let prev = GENESIS_HASH;
      let balance = 0;
      for (const r of rows) {
        const { hash: _h, prev_hash: _p, ...content } = r;
        if (r.seq === 2) content.qty = 1_500;
        balance += content.qty;
        content.balance_after = balance;
        const hash = hashMovement(prev, content);
        await f.pool.query('UPDATE movements SET qty = $1, balance_after = $2, prev_hash = $3, hash = $4 WHERE seq = $5', [content.qty, balance, prev, hash, r.seq]);
        prev = hash;
      }
      await f.pool.query('ALTER TABLE movements ENABLE TRIGGER movements_no_update');
      await f.pool.query('UPDATE stock_levels SET qty = $1', [balance]);
      const report = await f.store.verify();
      expect(Object.fromEntries(report.checks.filter((c) => !c.ok).map((c) => [c.name, c.problems]))).toEqual({
        'chain-anchors': ['movement 3: its hash differs from the one chain anchor 1 (backup) recorded (the chain up to it was rewritten)'],
      });
      expect(report.ok).toBe(false);
    } finally {
      await f.close();
    }
  });

  it("a dump killed part-way leaves its .partial only until the next backup to that folder, which removes a dead writer's and keeps a live one's", async () => {
    const f = await openPgFixture(cluster);
    const folder = mkdtempSync(join(cluster.dir, 'backups-'));
    try {
      await f.store.post({ idempotencyKey: 'partial-1', type: 'receipt', lines: [{ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'inbound', qty: 1_000, unitCost: 1000 }] }, f.ids.admin);
      // What a killed `stockbook backup --database` leaves (its writer's pid, now gone), and one a live run is writing (this process's).
      const killed = `${partialPathFor(join(folder, 'stockbook-ledger-2026-12-01T10-00-00-000Z.dump')).replace(`.${process.pid}@`, '.999999999@')}`;
      const live = partialPathFor(join(folder, 'stockbook-ledger-2026-12-01T11-00-00-000Z.dump'));
      const parents = live.replace(`.${process.pid}@`, `.${process.ppid}@`).replace('T11-', 'T12-'); // another live process on this machine
      const elsewhere = killed.replace(/@[^@]+\.partial$/, '@another-machine.partial').replace('T10-', 'T13-'); // its pid means nothing here
      for (const p of [killed, live, parents, elsewhere]) writeFileSync(p, 'PGDMP cut short');
      const file = join(folder, 'stockbook-ledger-2026-12-07T10-00-00-000Z.dump');
      await pgDump(f.connection, file, { bin: PG_BIN });
      expect(readdirSync(folder).sort()).toEqual([file, live, parents, elsewhere].map((p) => basename(p)).sort());
    } finally {
      rmSync(folder, { recursive: true, force: true });
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
