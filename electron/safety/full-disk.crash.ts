import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startStockbook, type LedgerStore } from '../app/compose';
import { verifyLedger, type VerifyCheck } from '../ledger/store/verify';
import { openPool } from '../ledger/pg/pg-types';
import { verifyPg } from '../ledger/pg/store/pg-verify-store';
import { pgRowsOn } from '../../test/fixtures/pg-rows';
import { clusterForConfiguredStore, STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';
import { seedCrashLedger, type SeededCrashLedger } from './crash-ledger';
import { openLedgerSafely } from './startup-check';

/**
 * A real full disk while posting (npm run test:crash), on the configured store: the ledger's data sits on a 3 MB
 * tmpfs (on SQLite the ledger file, on PostgreSQL the movements' table in a tablespace there, so the disk fills inside
 * a receipt's transaction after its document row), and the composition root (as browser mode and the Stockbook server
 * start it) takes receipts of 30 lines until the disk is full. The clerk gets the store's disk-full error in plain
 * words (what happened, nothing saved, what to do), nothing is half-written, the app keeps answering, and the same
 * receipt goes through, once, when there is room again; on SQLite the file then opens at the next start. SQLite's own
 * page limit (max_page_count) is crash.sqlite.crash.ts.
 */
const cluster = clusterForConfiguredStore();

/** What the clerk is told when the disk under the ledger is full, on each store. */
const DISK_FULL = {
  sqlite: 'The disk is full, so nothing was saved. Free some disk space and try again.',
  postgres: "The PostgreSQL server's disk is full, so nothing was saved. Free space on it and try again.",
};

/** What the test reads of the ledger while the app runs: a query's rows (`?` placeholders) and verify's failed checks. */
interface Reader {
  rows<R>(sql: string, params?: unknown[]): Promise<R[]>;
  failedChecks(): Promise<VerifyCheck[]>;
  close(): Promise<void>;
}

function reader(seed: SeededCrashLedger): Reader {
  if (seed.ledger.store === 'sqlite') {
    const db = new Database(seed.ledger.path, { readonly: true });
    return {
      rows: async <R>(sql: string, params: unknown[] = []) => db.prepare(sql).all(...params) as R[],
      failedChecks: async () => verifyLedger(db, { mode: 'full' }).checks.filter((c) => !c.ok),
      close: async () => void db.close(),
    };
  }
  const pool = openPool(seed.ledger.connection, 2);
  return {
    rows: pgRowsOn(pool),
    failedChecks: async () => (await verifyPg(pool)).checks.filter((c) => !c.ok),
    close: () => pool.end(),
  };
}

/**
 * Puts the ledger's data on the tmpfs at `mnt`: on SQLite the file is made there; on PostgreSQL the movements' table
 * moves to a tablespace there (its folder owned by the user the server runs as). Resolves with the ledger, the store
 * to start the app on, and what puts the movements back before the tmpfs goes (on PostgreSQL it then drops the
 * database seedCrashLedger made, so the cluster keeps nothing of the test).
 */
async function ledgerOnSmallDisk(mnt: string): Promise<{ seed: SeededCrashLedger; store: LedgerStore; undo(): Promise<void> }> {
  const seed = await seedCrashLedger(cluster(), join(mnt, 'ledger.db'), 'full_disk');
  if (seed.ledger.store === 'sqlite') return { seed, store: { kind: 'sqlite' }, undo: async () => undefined };
  const space = join(mnt, 'space');
  mkdirSync(space);
  if (process.getuid?.() === 0) chownSync(space, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
  const { connection } = seed.ledger;
  const pool = openPool(connection, 1);
  await pool.query(`CREATE TABLESPACE small LOCATION '${space}'`);
  // Only the movements' table: the disk fills after the receipt's document row is written, inside its transaction.
  await pool.query('ALTER TABLE movements SET TABLESPACE small');
  return {
    seed,
    store: { kind: 'postgres', connection },
    undo: async () => {
      await pool.query('ALTER TABLE movements SET TABLESPACE pg_default').catch(() => undefined);
      await pool.query('DROP TABLESPACE IF EXISTS small').catch(() => undefined);
      await pool.end();
      cluster()!.dropDatabase(connection.database);
    },
  };
}

describe(`full disk while posting (${STORE_UNDER_TEST})`, () => {
  it('a clear error, nothing half-written, the app keeps answering, and the same receipt posts once there is room', { timeout: 600_000 }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'stockbook-full-'));
    chmodSync(dir, 0o755); // the PostgreSQL server (another user when the tests run as root) must reach the tablespace inside
    const mnt = join(dir, 'tmpfs');
    mkdirSync(mnt);
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mnt]);
    if (mount.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      t.skip(`mount -t tmpfs was refused (${String(mount.stderr).trim() || mount.status}): a full disk cannot be made here without root${STORE_UNDER_TEST === 'sqlite' ? '; the max_page_count test covers SQLITE_FULL' : ''}`);
      return;
    }
    try {
      const { seed, store, undo } = await ledgerOnSmallDisk(mnt);
      try {
        const app = await startStockbook({ dbPath: seed.ledger.store === 'sqlite' ? seed.ledger.path : join(dir, 'server.pg'), mode: 'web', store });
        const read = reader(seed);
        const receipt = (i: number) => ({
          idempotencyKey: `full-${i}-key`,
          kind: 'supplier_order',
          siteId: seed.sites.wh,
          note: 'x'.repeat(1900),
          lines: Array.from({ length: 30 }, (_, j) => ({ productId: seed.products[j % 20]!, qty: 1 + j, unitCost: 1 })),
        });
        let refused: unknown = null;
        let posted = 0;
        try {
          for (; posted < 5000; posted++) {
            const out = await app.dispatch('operations.receive', receipt(posted), app.session);
            if (!out.ok) {
              refused = out;
              break;
            }
          }
          expect(posted).toBeGreaterThan(0);
          expect(refused).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: DISK_FULL[STORE_UNDER_TEST] } });
          // Nothing half-written: the refused receipt is not there, every document is whole, verify holds.
          const failedKey = `full-${posted}-key`;
          expect(await read.rows('SELECT 1 FROM documents WHERE idempotency_key = ?', [failedKey])).toEqual([]);
          expect(await read.rows('SELECT d.id FROM documents d WHERE (SELECT COUNT(*) FROM movements m WHERE m.document_id = d.id) <> 30')).toEqual([]);
          expect(await read.failedChecks()).toEqual([]);
          // Still running: reads answer.
          expect(await app.dispatch('sites.list', {}, app.session)).toMatchObject({ ok: true });

          // Room again: the same receipt (same key) goes through, once.
          expect(spawnSync('mount', ['-o', 'remount,size=64m', mnt]).status).toBe(0);
          expect(await app.dispatch('operations.receive', receipt(posted), app.session)).toMatchObject({ ok: true, result: { replayed: false, movementCount: 30 } });
          expect(await read.rows<{ n: number }>('SELECT COUNT(*) AS n FROM documents WHERE idempotency_key = ?', [failedKey])).toEqual([{ n: 1 }]);
          expect(await read.failedChecks()).toEqual([]);
          console.log(`full disk (${STORE_UNDER_TEST}): ${posted} receipts of 30 lines fitted in 3 MB; the next was refused in plain words, nothing half-written, and posted once there was room`);
        } finally {
          await read.close();
          await app.close();
        }
        if (seed.ledger.store === 'sqlite') {
          // The file opens at the next start: its start-up checks pass, verify holds, every document whole.
          const start = await openLedgerSafely(seed.ledger.path);
          expect(start.safeMode).toBeNull();
          expect(start.ledger!.verify().ok).toBe(true);
          const partial = start.ledger!.db.prepare('SELECT d.id FROM documents d WHERE (SELECT COUNT(*) FROM movements m WHERE m.document_id = d.id) != 30').all();
          expect(partial).toEqual([]);
          await start.ledger!.close();
        }
      } finally {
        await undo();
      }
      if (seed.ledger.store === 'postgres') {
        // The cluster keeps nothing of the test: the ledger's database is gone.
        const server = openPool({ ...seed.ledger.connection, database: 'postgres' }, 1);
        try {
          expect((await server.query('SELECT datname FROM pg_database WHERE datname = $1', [seed.ledger.connection.database])).rows).toEqual([]);
        } finally {
          await server.end();
        }
      }
    } finally {
      spawnSync('umount', [mnt]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
