import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startStockbook } from '../../app/compose';
import { clusterForFile } from '../../../test/fixtures/both-ledgers';
import { openPgFixture } from '../../../test/fixtures/pg-ledger';
import { verifyPg } from './store/pg-verify-store';

/**
 * A full disk on the PostgreSQL server (npm run test:crash; SQLite's twin is crash.crash.ts "a real full disk"): the
 * ledger's movements (not its documents) live in a tablespace on a 3 MB tmpfs, so the disk fills inside a receipt's transaction after its document row; and the composition root (as browser mode and
 * the Stockbook server start it) takes receipts until the disk is full. The clerk gets PostgreSQL's disk-full error in
 * plain words (what happened, nothing saved, what to do), nothing is half-written, the server keeps answering, and the
 * same receipt goes through once there is room again.
 */
const cluster = clusterForFile();

describe('full disk on the PostgreSQL server while posting', () => {
  it('a clear error, nothing half-written, the server keeps answering, and the same receipt posts once there is room', { timeout: 600_000 }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'stockbook-pg-full-'));
    chmodSync(dir, 0o755); // the server (another user when the tests run as root) must reach the tablespace inside
    const mnt = join(dir, 'tmpfs');
    mkdirSync(mnt);
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mnt]);
    if (mount.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      t.skip(`mount -t tmpfs was refused (${String(mount.stderr).trim() || mount.status}): a full disk cannot be made here without root`);
      return;
    }
    const f = await openPgFixture(cluster());
    try {
      // The tablespace folder must belong to the user the server runs as (postgres when the tests run as root).
      const space = join(mnt, 'space');
      mkdirSync(space);
      if (process.getuid?.() === 0) chownSync(space, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
      await f.pool.query(`CREATE TABLESPACE small LOCATION '${space}'`);
      // Only the movements' table: the disk fills after the receipt's document row is written, inside its transaction.
      await f.pool.query('ALTER TABLE movements SET TABLESPACE small');

      const app = await startStockbook({ dbPath: join(dir, 'server.pg'), mode: 'web', store: { kind: 'postgres', connection: f.connection } });
      const receipt = (i: number) => ({
        idempotencyKey: `pg-full-${i}-key`,
        kind: 'supplier_order',
        siteId: f.ids.wh,
        note: 'x'.repeat(1900),
        lines: Array.from({ length: 30 }, (_, j) => ({ productId: f.ids.bulk, qty: 1 + j, unitCost: 1 })),
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
        expect(refused).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: "The PostgreSQL server's disk is full, so nothing was saved. Free space on it and try again." } });
        // Nothing half-written: the refused receipt is not there, every document is whole, verify holds.
        const failedKey = `pg-full-${posted}-key`;
        expect((await f.pool.query('SELECT 1 FROM documents WHERE idempotency_key = $1', [failedKey])).rowCount).toBe(0);
        const partial = await f.pool.query('SELECT d.id FROM documents d WHERE (SELECT COUNT(*) FROM movements m WHERE m.document_id = d.id) <> 30');
        expect(partial.rows).toEqual([]);
        expect((await verifyPg(f.pool)).checks.filter((c) => !c.ok)).toEqual([]);
        // The server keeps answering.
        expect(await app.dispatch('sites.list', {}, app.session)).toMatchObject({ ok: true });

        // Room again: the same receipt (same key) goes through, once.
        expect(spawnSync('mount', ['-o', 'remount,size=64m', mnt]).status).toBe(0);
        expect(await app.dispatch('operations.receive', receipt(posted), app.session)).toMatchObject({ ok: true, result: { replayed: false, movementCount: 30 } });
        expect((await f.pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM documents WHERE idempotency_key = $1', [failedKey])).rows[0]!.n).toBe(1);
        expect((await verifyPg(f.pool)).ok).toBe(true);
        console.log(`PostgreSQL full disk: ${posted} receipts of 30 lines fitted in 3 MB; the next was refused in plain words, nothing half-written, and posted once there was room`);
      } finally {
        await app.close();
      }
    } finally {
      await f.pool.query('ALTER TABLE movements SET TABLESPACE pg_default').catch(() => undefined);
      await f.pool.query('DROP TABLESPACE IF EXISTS small').catch(() => undefined);
      await f.close();
      spawnSync('umount', [mnt]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
