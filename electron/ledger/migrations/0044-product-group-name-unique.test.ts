import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../../test/fixtures/ledger';
import { undoMigrationsThrough } from '../../../test/fixtures/migrations';
import { audit, SYSTEM_ACTOR } from '../../safety/audit';
import { verifyLedger } from '../store/verify';

let f: Fixture;
beforeEach(async () => {
  f = await openFixture();
});
afterEach(async () => {
  await f.cleanup();
});

describe('0044 product group names unique without case', () => {
  it('renames the later twins of a name already held (any case) with their code, audits each rename, and then the key refuses another', async () => {
    const db = f.ledger.db;
    await undoMigrationsThrough(f.ledger, 'ProductGroupNameUnique1732400004400');
    audit(db, SYSTEM_ACTOR, 'setting-changed', { key: 'before-0044' });
    const add = db.prepare('INSERT INTO product_groups (code, name, post_on_costs, active) VALUES (?, ?, 0, 1)');
    // (the fixture's WINE is called Wine; two saves that raced its check, and one whose rename would land on a taken name)
    add.run('RED', 'wine');
    add.run('WHITE', 'WINE');
    add.run('BEER', 'Beer');
    add.run('LAGER', 'Wine (WHITE)');
    const long = 'L'.repeat(128);
    add.run('LONG1', long);
    add.run('LONG2', long.toLowerCase());
    add.run('SPACE', 'Wine ');
    const groupsBefore = db.prepare('SELECT COUNT(*) FROM product_groups').pluck().get();

    await f.ledger.dataSource.runMigrations({ transaction: 'each' });

    const names = Object.fromEntries((db.prepare('SELECT code, name FROM product_groups').all() as { code: string; name: string }[]).map((g) => [g.code, g.name]));
    expect(names).toEqual({
      WINE: 'Wine', // the first keeps its name
      RED: 'wine (RED)',
      WHITE: 'WINE (WHITE 2)', // "WINE (WHITE)" is LAGER's name without case
      BEER: 'Beer',
      LAGER: 'Wine (WHITE)',
      LONG1: long,
      LONG2: `${'l'.repeat(128 - ' (LONG2)'.length)} (LONG2)`,
      SPACE: 'Wine ', // names arrive trimmed (the contract), and the rules compare them as stored: "Wine " is another name
    });
    // no group merged or lost, products still in theirs
    expect(db.prepare('SELECT COUNT(*) FROM product_groups').pluck().get()).toBe(groupsBefore);
    expect(db.prepare("SELECT COUNT(*) FROM products p JOIN product_groups g ON g.id = p.group_id WHERE g.code = 'WINE'").pluck().get()).toBe(2);

    const renames = (db.prepare("SELECT username, action, detail FROM audit_log WHERE action = 'master-data-changed' ORDER BY id").all() as { username: string; action: string; detail: string }[]).map((r) => ({
      ...r,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
    expect(renames.map((r) => [r.username, r.detail.label, (r.detail.before as { name: string }).name, (r.detail.after as { name: string }).name])).toEqual([
      ['system', 'RED', 'wine', 'wine (RED)'],
      ['system', 'WHITE', 'WINE', 'WINE (WHITE 2)'],
      ['system', 'LONG2', long.toLowerCase(), names.LONG2],
    ]);
    expect(renames[0]!.detail).toMatchObject({
      record: 'product group',
      reason: 'Renamed when Stockbook was upgraded: product group WINE is already called Wine, and group names must be unique.',
    });
    // the entries are chained after the log's head: the audit chain still verifies
    expect(verifyLedger(db).checks.filter((c) => !c.ok)).toEqual([]);

    // From now on the key refuses a twin in any case, whoever writes it.
    expect(() => add.run('ROSE', 'BEER')).toThrow(/^UNIQUE constraint failed: product_groups\.name$/);
    expect(() => db.prepare("UPDATE product_groups SET name = 'beer' WHERE code = 'LAGER'").run()).toThrow(/UNIQUE constraint failed: product_groups\.name/);
    expect(() => add.run('ROSE', 'Beer 2')).not.toThrow();
  });

  it('leaves a ledger without twins as it was (no rename, no audit entry), with the key', async () => {
    const db = f.ledger.db;
    const auditCount = () => db.prepare('SELECT COUNT(*) FROM audit_log').pluck().get();
    await undoMigrationsThrough(f.ledger, 'ProductGroupNameUnique1732400004400');
    const before = [db.prepare('SELECT * FROM product_groups ORDER BY id').all(), auditCount()];
    await f.ledger.dataSource.runMigrations({ transaction: 'each' });
    expect([db.prepare('SELECT * FROM product_groups ORDER BY id').all(), auditCount()]).toEqual(before);
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'UQ_product_groups_name_nocase'").pluck().get()).toBe(1);
  });
});
