import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLedgerDataSource } from '../data-source';
import { MIGRATIONS } from './index';
import { undoMigrationsThrough } from '../../../test/fixtures/migrations';

describe('migrations', () => {
  it('take an empty file to the latest schema, agree with the entities, and are idempotent on reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockbook-mig-'));
    const path = join(dir, 'm.db');
    try {
      const first = await openLedgerDataSource(path);
      const applied = first.db.prepare('SELECT name FROM migrations ORDER BY id').all() as { name: string }[];
      expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((M) => new M().name));
      // TypeORM would generate no change: entities and hand-written migrations describe the same schema.
      const pending = await first.dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
      expect(first.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(first.db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(first.db.prepare("SELECT code, kind FROM sites").all()).toEqual([{ code: 'EXTERNAL', kind: 'external' }]);
      await first.dataSource.destroy();
      const again = await openLedgerDataSource(path);
      expect((again.db.prepare('SELECT COUNT(*) AS n FROM migrations').get() as { n: number }).n).toBe(MIGRATIONS.length);
      await again.dataSource.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('0011 dates existing counts to their creation and keeps their chosen resolutions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockbook-mig-'));
    try {
      const { dataSource, db } = await openLedgerDataSource(join(dir, 'm.db'));
      // back to the shape before 0011 (undoing every later migration too)
      await undoMigrationsThrough({ dataSource, db }, 'CountEffectiveTime1732400001100');
      const user = (db.prepare("SELECT id FROM users WHERE username = 'admin'").get() as { id: number }).id;
      const site = Number(db.prepare("INSERT INTO sites (code, name, kind) VALUES ('WH1', 'Central', 'warehouse')").run().lastInsertRowid);
      const product = Number(db.prepare("INSERT INTO products (sku, name, stock_type, created_at) VALUES ('RICE', 'Rice', 'Supplied', 0)").run().lastInsertRowid);
      const session = db.prepare('INSERT INTO count_sessions (site_id, status, snapshot_seq, created_at, created_by) VALUES (?, ?, 0, ?, ?)');
      const draft = Number(session.run(site, 'DRAFT', 1_700_000_000_000, user).lastInsertRowid);
      const done = Number(session.run(site, 'COMPLETED', 1_700_000_500_000, user).lastInsertRowid);
      const line = db.prepare('INSERT INTO count_lines (session_id, product_id, system_qty, resolution) VALUES (?, ?, 0, ?)');
      line.run(draft, product, 'keep_counted');
      const bin = Number(db.prepare("INSERT INTO bins (site_id, code, name) VALUES (?, 'A', 'A')").run(site).lastInsertRowid);
      db.prepare("INSERT INTO count_lines (session_id, product_id, bin_id, system_qty, resolution) VALUES (?, ?, ?, 0, 'keep_difference')").run(draft, product, bin);
      line.run(done, product, 'keep_counted');
      await dataSource.runMigrations({ transaction: 'each' });
      expect(db.prepare('SELECT id, occurred_at AS occurredAt FROM count_sessions ORDER BY id').all()).toEqual([
        { id: draft, occurredAt: 1_700_000_000_000 },
        { id: done, occurredAt: 1_700_000_500_000 },
      ]);
      expect(db.prepare('SELECT session_id AS s, resolution AS r, resolution_chosen AS chosen FROM count_lines ORDER BY id').all()).toEqual([
        { s: draft, r: 'keep_counted', chosen: 0 }, // the old default becomes "by time"
        { s: draft, r: 'keep_difference', chosen: 1 }, // a choice stays a choice
        { s: done, r: 'keep_counted', chosen: 1 }, // a finished count keeps what it was completed with
      ]);
      await dataSource.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('roll back down to an empty schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockbook-mig-'));
    try {
      const { dataSource, db } = await openLedgerDataSource(join(dir, 'm.db'));
      for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration();
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((t) => t.name);
      expect(tables).toEqual(['migrations']);
      await dataSource.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
