import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLedgerDataSource } from '../data-source';
import { undoMigrationsThrough } from '../../../test/fixtures/migrations';

describe('migration 0017 (master data)', () => {
  it('rebuilds sites and bins keeping every id and the rows that point at them, with foreign keys on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockbook-mig17-'));
    try {
      const { dataSource, db } = await openLedgerDataSource(join(dir, 'm.db'));
      // back to the shape before 0017 (undoing every later migration too)
      await undoMigrationsThrough({ dataSource, db }, 'MasterData1732400001700');
      // Old-shaped data: a site and bins with stock and a serial unit pointing at them.
      db.prepare("INSERT INTO sites (id, code, name, kind, allow_negative) VALUES (7, 'WH', 'Warehouse', 'warehouse', 0)").run();
      db.prepare("INSERT INTO bins (id, site_id, code, name) VALUES (11, 7, 'A', 'Aisle A'), (12, 7, 'B', 'Aisle B')").run();
      db.prepare("INSERT INTO products (id, sku, name, stock_type, created_at) VALUES (3, 'P', 'Product', 'Supplied', 0)").run();
      db.prepare('INSERT INTO stock_levels (product_id, site_id, bin_id, batch_id, qty, last_movement_at, last_seq) VALUES (3, 7, 12, NULL, 5, 0, 0)').run();
      db.prepare("UPDATE users SET permissions = '[\"read:stock\"]' WHERE username = 'admin'").run();
      expect(() => db.prepare("INSERT INTO sites (code, name, kind) VALUES ('K', 'Kitchen', 'kitchen')").run()).toThrow(/CHECK/);

      await dataSource.runMigrations({ transaction: 'each' });
      expect(db.prepare('SELECT id, code, kind, active FROM sites ORDER BY id').all()).toEqual([
        { id: 1, code: 'EXTERNAL', kind: 'external', active: 1 },
        { id: 7, code: 'WH', kind: 'warehouse', active: 1 },
      ]);
      expect(db.prepare('SELECT id, site_id AS siteId, stock_status AS status, active FROM bins ORDER BY id').all()).toEqual([
        { id: 11, siteId: 7, status: 'sellable', active: 1 },
        { id: 12, siteId: 7, status: 'sellable', active: 1 },
      ]);
      expect(db.prepare('SELECT site_id AS s, bin_id AS b, qty FROM stock_levels').all()).toEqual([{ s: 7, b: 12, qty: 5 }]);
      expect(db.prepare('SELECT description, active FROM products').get()).toEqual({ description: '', active: 1 });
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      // The new kinds are accepted, unknown ones and a second site of the same name are not; foreign keys still bind to the new tables.
      db.prepare("INSERT INTO sites (code, name, kind) VALUES ('K', 'Kitchen', 'kitchen')").run();
      expect(() => db.prepare("INSERT INTO sites (code, name, kind) VALUES ('K2', 'Kitchen', 'other')").run()).toThrow(/UNIQUE/);
      expect(() => db.prepare("INSERT INTO sites (code, name, kind) VALUES ('Z', 'Zed', 'garage')").run()).toThrow(/CHECK/);
      expect(() => db.prepare("INSERT INTO bins (site_id, code, name) VALUES (99, 'X', 'X')").run()).toThrow(/FOREIGN KEY/);
      expect(() => db.prepare('DELETE FROM bins WHERE id = 12').run()).toThrow(/FOREIGN KEY/);
      // (later migrations may grant more permissions; 0017's are these, once each)
      const held = JSON.parse((db.prepare("SELECT permissions FROM users WHERE username = 'admin'").get() as { permissions: string }).permissions) as string[];
      expect(held.filter((p) => ['read:stock', 'manage:sites', 'manage:products'].includes(p))).toEqual([
        'read:stock',
        'manage:sites',
        'manage:products',
      ]);
      await dataSource.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
