import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLedgerDataSource } from '../data-source';
import { undoMigrationsThrough } from '../../../test/fixtures/migrations';

const permissions = (db: Database.Database, username: string) =>
  JSON.parse((db.prepare('SELECT permissions FROM users WHERE username = ?').get(username) as { permissions: string }).permissions) as string[];

describe('migration 0021 (suppliers)', () => {
  it('adds the supplier tables to a ledger with receipts, grants manage:suppliers to the administrator once, and undoes cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockbook-mig21-'));
    try {
      const { dataSource, db } = await openLedgerDataSource(join(dir, 'm.db'));
      await undoMigrationsThrough({ dataSource, db }, 'Suppliers1732400002100');
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name IN ('suppliers', 'product_supplier_codes', 'document_suppliers')").all()).toEqual([]);
      expect(permissions(db, 'admin')).not.toContain('manage:suppliers');
      // Old-shaped data: a product and a receipt document; a clerk who must not gain the permission.
      db.prepare("INSERT INTO products (id, sku, name, stock_type, created_at) VALUES (3, 'P', 'Product', 'Supplied', 0)").run();
      const admin = (db.prepare("SELECT id FROM users WHERE username = 'admin'").get() as { id: number }).id;
      db.prepare("INSERT INTO documents (id, type, user_id, occurred_at, recorded_at, idempotency_key, payload_hash) VALUES (5, 'receipt', ?, 0, 0, 'k', 'h')").run(admin);
      db.prepare(`INSERT INTO users (username, display_name, permissions, created_at) VALUES ('clerk', 'Clerk', '["read:stock"]', 0)`).run();

      await dataSource.runMigrations({ transaction: 'each' });
      expect(permissions(db, 'admin').filter((p) => p === 'manage:suppliers')).toHaveLength(1);
      expect(permissions(db, 'clerk')).toEqual(['read:stock']);
      db.prepare("INSERT INTO suppliers (id, code, name, country, in_ec) VALUES (1, 'ACME', 'Acme', 'FR', 1)").run();
      expect(db.prepare('SELECT contact_name AS c, email, phone, address, notes, active FROM suppliers').get()).toEqual({ c: '', email: '', phone: '', address: '', notes: '', active: 1 });
      db.prepare("INSERT INTO product_supplier_codes (product_id, supplier_id, supplier_code) VALUES (3, 1, 'X1')").run();
      expect(() => db.prepare("INSERT INTO product_supplier_codes (product_id, supplier_id, supplier_code) VALUES (3, 1, 'X1')").run()).toThrow(/UNIQUE/);
      expect(() => db.prepare("INSERT INTO suppliers (code, name, country) VALUES ('ACME', 'Other', 'GB')").run()).toThrow(/UNIQUE/);
      db.prepare('INSERT INTO document_suppliers (document_id, supplier_id) VALUES (5, 1)').run();
      expect(() => db.prepare('INSERT INTO document_suppliers (document_id, supplier_id) VALUES (99, 1)').run()).toThrow(/FOREIGN KEY/);
      expect(db.pragma('foreign_key_check')).toEqual([]);

      db.prepare('DELETE FROM document_suppliers').run();
      db.prepare('DELETE FROM product_supplier_codes').run();
      await undoMigrationsThrough({ dataSource, db }, 'Suppliers1732400002100');
      expect(permissions(db, 'admin')).not.toContain('manage:suppliers');
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name LIKE '%supplier%'").all()).toEqual([]);
      expect(db.prepare('SELECT id FROM documents').all()).toEqual([{ id: 5 }]);
      await dataSource.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
