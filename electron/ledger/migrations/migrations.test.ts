import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLedgerDataSource } from '../data-source';
import { MIGRATIONS } from './index';

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
