import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { openLedgerDataSource } from '../ledger/data-source';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { audit, SYSTEM_ACTOR } from './audit';
import { fastVerify } from './fast-verify';
import { undoMigrationsThrough } from '../../test/fixtures/migrations';

/**
 * SQLite-only: the 0012 upgrade chaining entries written before it, and SQLite's append-only triggers (dropped or
 * replaced around the app). The audit chain's verify on both stores: audit.test.ts.
 */
let f: Fixture;
beforeEach(async () => {
  f = await openFixture();
  for (let i = 1; i <= 5; i++) audit(f.ledger.db, { userId: 1, username: 'admin' }, 'setting-changed', { key: `k${i}`, after: i });
});
afterEach(async () => f.cleanup());

const auditCheck = (ledger: SqliteLedger = f.ledger) => ledger.verify().checks.find((c) => c.name === 'audit-chain')!;

describe('the audit log is hash-chained (SQLite upgrade)', () => {
  it('the upgrade chains entries written before it, and new entries continue the chain', async () => {
    await f.ledger.close();
    const old = await openLedgerDataSource(f.path);
    // Back to the shape before 0012 (undoing every later migration too), with foreign keys off as the migration runner has them.
    old.db.pragma('foreign_keys = OFF');
    await undoMigrationsThrough(old, 'ChainAnchors1732400001200');
    expect(old.db.prepare('SELECT COUNT(*) AS n FROM audit_log').get()).toEqual({ n: 5 });
    await old.dataSource.destroy();
    f.ledger = await SqliteLedger.open(f.path);
    audit(f.ledger.db, SYSTEM_ACTOR, 'backup', { reason: 'test' });
    expect(f.ledger.db.prepare('SELECT COUNT(*) AS n FROM audit_log WHERE hash IS NOT NULL').get()).toEqual({ n: 6 });
    expect(auditCheck()).toMatchObject({ ok: true });
  });
});

describe('verify checks the append-only triggers', () => {
  it('a missing audit-log trigger is found by verify and by the start-up check', () => {
    const raw = new Database(f.path);
    raw.exec('DROP TRIGGER TRG_audit_log_no_delete');
    raw.close();
    const check = f.ledger.verify().checks.find((c) => c.name === 'append-only')!;
    expect(check.problems).toEqual(['TRG_audit_log_no_delete is missing: nothing refuses DELETE on audit_log']);
    expect(fastVerify(f.ledger.db)).toContain('TRG_audit_log_no_delete is missing: nothing refuses DELETE on audit_log');
  });

  it('a trigger replaced by a harmless one of the same name is found', () => {
    const raw = new Database(f.path);
    raw.exec(`DROP TRIGGER TRG_movements_no_update;
      CREATE TRIGGER "TRG_movements_no_update" BEFORE UPDATE ON "movements" WHEN 0 BEGIN SELECT RAISE(ABORT, 'never'); END`);
    raw.close();
    const check = f.ledger.verify().checks.find((c) => c.name === 'append-only')!;
    expect(check).toMatchObject({ ok: false, problems: ['TRG_movements_no_update was changed: it no longer refuses every UPDATE on movements'] });
  });
});
