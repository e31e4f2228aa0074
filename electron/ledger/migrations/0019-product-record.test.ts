import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLedgerDataSource } from '../data-source';
import { undoMigrationsThrough } from '../../../test/fixtures/migrations';

describe('migration 0019 (product record)', () => {
  it('keeps existing groups active and products as they were, with no per-site settings; undoes cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockbook-mig19-'));
    try {
      const { dataSource, db } = await openLedgerDataSource(join(dir, 'm.db'));
      await undoMigrationsThrough({ dataSource, db }, 'ProductRecord1732400001900');
      db.prepare("INSERT INTO product_groups (id, code, name, post_on_costs) VALUES (4, 'WINE', 'Wine', 1)").run();
      db.prepare("INSERT INTO products (id, sku, name, stock_type, group_id, low_stock_level, created_at) VALUES (3, 'P', 'Product', 'Supplied', 4, 7, 0)").run();
      await dataSource.runMigrations({ transaction: 'each' });
      expect(db.prepare('SELECT code, post_on_costs AS oc, active FROM product_groups').all()).toEqual([{ code: 'WINE', oc: 1, active: 1 }]);
      expect(db.prepare('SELECT sku, group_id AS g, low_stock_level AS low, country_of_origin AS c, parent_id AS parent, variant_axes AS axes FROM products').all()).toEqual([
        { sku: 'P', g: 4, low: 7, c: null, parent: null, axes: null },
      ]);
      db.prepare("INSERT INTO sites (id, code, name) VALUES (7, 'WH', 'Warehouse')").run();
      db.prepare('INSERT INTO product_sites (product_id, site_id, low_stock_level) VALUES (3, 7, 2)').run();
      expect(() => db.prepare('INSERT INTO product_sites (product_id, site_id, low_stock_level) VALUES (3, 7, 5)').run()).toThrow(/UNIQUE|PRIMARY/);
      expect(() => db.prepare('INSERT INTO product_sites (product_id, site_id, default_bin_id) VALUES (3, 1, 99)').run()).toThrow(/FOREIGN KEY/);
      db.prepare('DELETE FROM product_sites').run();
      await undoMigrationsThrough({ dataSource, db }, 'ProductRecord1732400001900');
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'product_sites'").all()).toEqual([]);
      await dataSource.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
