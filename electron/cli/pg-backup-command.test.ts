import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPgFixture, type PgFixture } from '../../test/fixtures/pg-ledger';
import { cli } from '../../test/fixtures/cli';
import { openPool, type PgConnection } from '../ledger/pg/pg-types';
import { pgStoredAnchors } from '../ledger/pg/store/pg-anchor-store';
import { PG_BIN, startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';
import { GENESIS_HASH, hashMovement, MOVEMENT_COLUMNS, type MovementRow } from '../ledger/store/movement-hash';

let cluster: TestCluster;
let f: PgFixture;
let dir: string;
const urlOf = (c: PgConnection) => `postgres://${c.user}@${c.host}:${c.port}/${c.database}`;
beforeAll(async () => {
  cluster = await startTestCluster();
  process.env.STOCKBOOK_PG_BIN = PG_BIN;
});
afterAll(() => {
  delete process.env.STOCKBOOK_PG_BIN;
  cluster?.stop();
});
beforeEach(async () => {
  f = await openPgFixture(cluster);
  dir = mkdtempSync(join(tmpdir(), 'stockbook-pg-backup-'));
  await f.store.post({ idempotencyKey: 'b-1', type: 'receipt', lines: [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'inbound', qty: 2_000 }] }, f.ids.admin);
  await f.store.post({ idempotencyKey: 'b-2', type: 'despatch', lines: [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'sale', qty: -500 }] }, f.ids.admin);
});
afterEach(async () => {
  await f.close();
  rmSync(dir, { recursive: true, force: true });
});

const refusalOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as { code: string; message: string });

describe('stockbook backup and restore on a PostgreSQL ledger', () => {
  it('backs up with an anchor, restores into a new database, verifies it there, and every movement is the same', async () => {
    const backup = await cli(['backup', '--database', urlOf(f.connection), '--to', dir]);
    expect(backup.code).toBe(0);
    const files = readdirSync(dir).filter((n) => n.endsWith('.dump'));
    expect(files).toEqual([expect.stringMatching(new RegExp(`^stockbook-${f.connection.database}-\\d{4}-\\d\\d-\\d\\dT[\\d-]+Z\\.dump$`))]);
    expect(readdirSync(dir).sort()).toEqual([files[0], `${files[0]}.head`]);
    const head = (await f.pool.query<{ hash: string }>('SELECT hash FROM movements WHERE seq = 2')).rows[0]!.hash;
    expect(backup.out).toContain(`Chain head at the backup: movement 2, hash ${head}`);
    expect(JSON.parse(readFileSync(join(dir, `${files[0]}.head`), 'utf8'))).toMatchObject({ stockbook: 'backup-head', database: f.connection.database, dump: files[0], seq: 2, hash: head, qtySum: 1_500 });
    expect((await f.pool.query("SELECT seq, hash FROM chain_anchors WHERE source = 'backup'")).rows).toEqual([{ seq: 2, hash: head }]);
    // pg_restore read the archive back, but no verify pass ran over the chain: an incremental verify may not start there
    const c = await f.pool.connect();
    try {
      expect((await pgStoredAnchors(c)).find((a) => a.source.includes('(backup'))).toMatchObject({ seq: 2, verified: false });
    } finally {
      c.release();
    }

    const target = cluster.createDatabase(`restored_${process.pid}`);
    const restore = await cli(['restore', '--database', urlOf(target), '--from', join(dir, files[0]!)]);
    expect(restore.out).toContain(`Restored ${join(dir, files[0]!)} into ${urlOf(target)}`);
    expect(restore.out).toMatch(/All invariants hold\.$/);
    expect(restore.code).toBe(0);
    const restored = openPool(target, 1);
    try {
      const read = async (pool: typeof restored) => (await pool.query('SELECT seq, product_id, site_id, qty, hash FROM movements ORDER BY seq')).rows;
      expect(await read(restored)).toEqual(await read(f.pool));
    } finally {
      await restored.end();
    }
  });

  it("holds the chain to the backups' head files with --backups: a chain re-hashed with its anchors in the database rewritten passes without them, and fails with them, naming the backup", async () => {
    expect((await cli(['backup', '--database', urlOf(f.connection), '--to', dir])).code).toBe(0);
    // Someone with the database's keys: movement 1's quantity changed, the chain and every stored anchor re-hashed to match.
    const rows = (await f.pool.query<MovementRow>(`SELECT ${MOVEMENT_COLUMNS.join(', ')} FROM movements ORDER BY seq`)).rows;
    let prev = GENESIS_HASH;
    const updates = rows.map((r) => {
      const qty = r.seq === 1 ? r.qty + 1 : r.qty;
      const balance = r.balance_after + 1;
      const hash = hashMovement(prev, { ...r, qty, balance_after: balance });
      const u = `UPDATE movements SET qty = ${qty}, balance_after = ${balance}, prev_hash = '${prev}', hash = '${hash}' WHERE seq = ${r.seq}`;
      prev = hash;
      return u;
    });
    await f.pool.query(
      ['ALTER TABLE movements DISABLE TRIGGER movements_no_update', ...updates, 'ALTER TABLE movements ENABLE TRIGGER movements_no_update',
        'UPDATE stock_levels SET qty = qty + 1', 'ALTER TABLE chain_anchors DISABLE TRIGGER chain_anchors_no_update',
        `UPDATE chain_anchors SET hash = '${prev}', qty_sum = qty_sum + 1 WHERE seq = 2`, 'ALTER TABLE chain_anchors ENABLE TRIGGER chain_anchors_no_update'].join('; '),
    );
    const without = await cli(['verify', '--database', urlOf(f.connection)]);
    expect(without.out).toMatch(/All invariants hold\.$/);
    // Another database's head file in the same folder anchors nothing (it would not match this chain).
    writeFileSync(join(dir, 'stockbook-other-x.dump.head'), JSON.stringify({ stockbook: 'backup-head', database: 'other', dump: 'stockbook-other-x.dump', seq: 1, hash: 'a'.repeat(64), qtySum: 1, at: '2026-01-01T00:00:00Z' }));
    writeFileSync(join(dir, 'cut.dump.head'), '{"stockbook":"backup-he');
    const withHeads = await cli(['verify', '--database', urlOf(f.connection), '--backups', dir]);
    expect(withHeads.out).toContain(`Backups' chain heads held to: 1 from ${dir}; 1 of other databases skipped; not read (not a head file, or cut short): cut.dump.head.`);
    expect(withHeads.out).toMatch(/movement 2: its hash differs from the one the backup stockbook-.*\.dump \(its head file stockbook-.*\.dump\.head\) recorded \(the chain up to it was rewritten\)/);
    expect(withHeads.code).toBe(1);
    // --backups without --database is refused (a ledger file's verify reads its own backups), and with backup.
    await expect(cli(['verify', '--db', join(dir, 'x.db'), '--backups', dir])).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('--backups works with verify --database') });
    await expect(cli(['backup', '--database', urlOf(f.connection), '--to', dir, '--backups', dir])).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('not with backup') });
    // So is --clear-safe-mode (a safe mode servers on one PostgreSQL database share), and with backup; with verify
    // --database and no safe mode standing it says so and writes nothing.
    await expect(cli(['verify', '--db', join(dir, 'x.db'), '--clear-safe-mode'])).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('--clear-safe-mode works with verify --database') });
    await expect(cli(['backup', '--database', urlOf(f.connection), '--to', dir, '--clear-safe-mode'])).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('not with backup') });
    const nothing = await cli(['verify', '--database', urlOf(f.connection), '--clear-safe-mode']);
    expect(nothing.out).toMatch(/No safe mode stands on this ledger: nothing to clear\.$/);
    expect((await f.pool.query("SELECT COUNT(*)::int AS n FROM audit_log WHERE action = 'safe-mode-cleared'")).rows[0]).toEqual({ n: 0 });
  });

  it('refuses to restore over a database that holds a ledger, changing nothing, and says where to restore instead', async () => {
    await cli(['backup', '--database', urlOf(f.connection), '--to', dir]);
    const file = join(dir, readdirSync(dir).find((n) => n.endsWith('.dump'))!);
    const refused = await refusalOf(cli(['restore', '--database', urlOf(f.connection), '--from', file]));
    expect(refused).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already holds \d+ tables; a restore goes only into a new, empty database \(createdb NEWDB.*Nothing was changed\.$/) });
    expect((await f.pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM movements')).rows[0]!.n).toBe(2);
  });

  it('says what to give when the folder, the file or the database is missing, and writes nothing', async () => {
    expect(await refusalOf(cli(['backup', '--database', urlOf(f.connection)]))).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('--to DIR') });
    expect(await refusalOf(cli(['backup', '--database', urlOf(f.connection), '--to', join(dir, 'nope')]))).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining(`There is no folder at ${join(dir, 'nope')}`) });
    expect(await refusalOf(cli(['restore', '--database', urlOf(f.connection), '--from', join(dir, 'none.dump')]))).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('There is no file at') });
    const gone = { ...f.connection, database: 'no_such_database' };
    expect(await refusalOf(cli(['backup', '--database', urlOf(gone), '--to', dir]))).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/^Could not back up .*no_such_database.*Nothing was written to/) });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a backup that fails part-way (the disk fills) leaves no file that looks like a backup, and no .partial', async (t) => {
    const mnt = join(dir, 'small');
    mkdirSync(mnt);
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', mnt]);
    if (mount.status !== 0) {
      t.skip(`mount -t tmpfs was refused (${String(mount.stderr).trim() || mount.status}): a full disk cannot be made here without root`);
      return;
    }
    try {
      chmodSync(mnt, 0o777);
      const refused = await refusalOf(cli(['backup', '--database', urlOf(f.connection), '--to', mnt]));
      expect(refused).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/^Backing up .* with pg_dump failed: .*(No space left on device|could not write)/s) });
      // what to do about a full disk, not about the client tools or the database (both were fine)
      expect(refused!.message).toContain(`The backup could not be written in ${mnt}: free space on that disk, or give a folder on another disk, then back up again. Nothing was kept there.`);
      expect(refused!.message).not.toMatch(/client tools|database is reachable/);
      expect(readdirSync(mnt)).toEqual([]);
      // a backup that is not there anchors nothing
      expect((await f.pool.query("SELECT seq FROM chain_anchors WHERE source = 'backup'")).rows).toEqual([]);
    } finally {
      spawnSync('umount', [mnt]);
    }
  });
});
