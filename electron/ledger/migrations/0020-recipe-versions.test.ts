import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLedgerDataSource } from '../data-source';
import { undoMigrationsThrough } from '../../../test/fixtures/migrations';

describe('migration 0020 (recipe versions)', () => {
  it('moves every recipe into one version in force from the beginning, and down() gives back the version in force now', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockbook-mig20-'));
    try {
      const { dataSource, db } = await openLedgerDataSource(join(dir, 'm.db'));
      await undoMigrationsThrough({ dataSource, db }, 'RecipeVersions1732400002000');
      // Old-shaped data: two recipes of two and one components, and a product without a recipe.
      const add = db.prepare("INSERT INTO products (id, sku, name, stock_type, created_at) VALUES (?, ?, ?, ?, 0)");
      add.run(1, 'RICE', 'Rice', 'Supplied');
      add.run(2, 'OIL', 'Oil', 'Supplied');
      add.run(5, 'RISOTTO', 'Risotto', 'Recipe');
      add.run(6, 'BREAD', 'Bread', 'Made');
      db.prepare('INSERT INTO recipe_components (recipe_id, component_id, qty_per_unit) VALUES (5, 1, 120), (5, 2, 15), (6, 1, 500)').run();

      await dataSource.runMigrations({ transaction: 'each' });
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'recipe_components'").all()).toEqual([]);
      expect(db.prepare('SELECT recipe_id AS r, effective_from AS f, created_by AS u FROM recipe_versions ORDER BY recipe_id').all()).toEqual([
        { r: 5, f: 0, u: null },
        { r: 6, f: 0, u: null },
      ]);
      expect(
        db.prepare('SELECT v.recipe_id AS r, c.component_id AS c, c.qty_per_unit AS q FROM recipe_version_components c JOIN recipe_versions v ON v.id = c.version_id ORDER BY 1, 2').all(),
      ).toEqual([
        { r: 5, c: 1, q: 120 },
        { r: 5, c: 2, q: 15 },
        { r: 6, c: 1, q: 500 },
      ]);
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(() => db.prepare('INSERT INTO recipe_version_components (version_id, component_id, qty_per_unit) VALUES (999, 1, 1)').run()).toThrow(/FOREIGN KEY/);
      expect(() => db.prepare('INSERT INTO recipe_versions (recipe_id, effective_from, created_at) VALUES (5, 0, 0)').run()).toThrow(/UNIQUE/);

      // A change from an hour ago and one for tomorrow: down() keeps the one in force now.
      const v = db.prepare('INSERT INTO recipe_versions (recipe_id, effective_from, created_at) VALUES (5, ?, 0)');
      const past = Number(v.run(Date.now() - 3_600_000).lastInsertRowid);
      const future = Number(v.run(Date.now() + 86_400_000).lastInsertRowid);
      db.prepare('INSERT INTO recipe_version_components (version_id, component_id, qty_per_unit) VALUES (?, 1, 130), (?, 1, 999)').run(past, future);
      await undoMigrationsThrough({ dataSource, db }, 'RecipeVersions1732400002000');
      expect(db.prepare('SELECT recipe_id AS r, component_id AS c, qty_per_unit AS q FROM recipe_components ORDER BY 1, 2').all()).toEqual([
        { r: 5, c: 1, q: 130 },
        { r: 6, c: 1, q: 500 },
      ]);
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'recipe_version%'").all()).toEqual([]);
      await dataSource.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
