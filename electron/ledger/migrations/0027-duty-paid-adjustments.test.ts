import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLedgerDataSource } from '../data-source';
import { undoMigrationsThrough } from '../../../test/fixtures/migrations';

describe('migration 0027 (duty-paid adjustment drafts)', () => {
  it('adds "duty paid" to existing drafts as not duty paid, keeps them whole, and undoes cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockbook-mig27-'));
    try {
      const { dataSource, db } = await openLedgerDataSource(join(dir, 'm.db'));
      await undoMigrationsThrough({ dataSource, db }, 'DutyPaidAdjustments1732400002700');
      // Old-shaped data: a site and two drafts, one open and one posted.
      const admin = (db.prepare("SELECT id FROM users WHERE username = 'admin'").get() as { id: number }).id;
      db.prepare("INSERT INTO sites (id, code, name, kind) VALUES (4, 'WH', 'Warehouse', 'warehouse')").run();
      const draft = db.prepare("INSERT INTO adjustment_drafts (id, name, site_id, effective_at, status, user_id, created_at, updated_at) VALUES (?, ?, 4, 0, ?, ?, 0, 0)");
      draft.run(1, 'Found in the cellar', 'draft', admin);
      draft.run(2, 'Old correction', 'posted', admin);

      await dataSource.runMigrations({ transaction: 'each' });
      expect(db.prepare('SELECT id, name, status, duty_paid AS dutyPaid FROM adjustment_drafts ORDER BY id').all()).toEqual([
        { id: 1, name: 'Found in the cellar', status: 'draft', dutyPaid: 0 },
        { id: 2, name: 'Old correction', status: 'posted', dutyPaid: 0 },
      ]);
      db.prepare('UPDATE adjustment_drafts SET duty_paid = 1 WHERE id = 1').run();

      await undoMigrationsThrough({ dataSource, db }, 'DutyPaidAdjustments1732400002700');
      expect(db.prepare('SELECT id, name FROM adjustment_drafts ORDER BY id').all()).toEqual([{ id: 1, name: 'Found in the cellar' }, { id: 2, name: 'Old correction' }]);
      expect((db.prepare("SELECT COUNT(*) AS n FROM pragma_table_info('adjustment_drafts') WHERE name = 'duty_paid'").get() as { n: number }).n).toBe(0);
      await dataSource.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
