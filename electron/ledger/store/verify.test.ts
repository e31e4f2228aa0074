import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openFixture, type Fixture } from '../../../test/fixtures/ledger';

let f: Fixture;
beforeEach(async () => {
  f = await openFixture();
  const { poster } = f.ledger;
  const line = (qty: number, binId = f.ids.binA) => ({ productId: f.ids.bulk, siteId: f.ids.wh, binId, type: qty > 0 ? ('inbound' as const) : ('sale' as const), qty, unitCost: 100 });
  poster.post(f.doc('receipt', [line(5_000), line(2_000, f.ids.binB)]), f.ids.admin);
  poster.post(f.doc('despatch', [line(-1_000)]), f.ids.admin);
  poster.post(f.doc('receipt', [line(700)]), f.ids.admin);
});
afterEach(async () => {
  await f.cleanup();
});

/** Tampering bypasses the app: a second connection with the triggers dropped, as an attacker with the file would. */
function tamper(sql: string): void {
  const raw = new Database(f.path);
  raw.exec('DROP TRIGGER TRG_movements_no_update; DROP TRIGGER TRG_movements_no_delete;');
  raw.exec(sql);
  raw.close();
}

describe('append-only movements', () => {
  it('refuses UPDATE and DELETE on movements', () => {
    expect(() => f.ledger.db.prepare('UPDATE movements SET qty = 1 WHERE seq = 1').run()).toThrow(/append-only/);
    expect(() => f.ledger.db.prepare('DELETE FROM movements WHERE seq = 1').run()).toThrow(/append-only/);
    expect(f.ledger.verify().ok).toBe(true);
  });
});

// The note-only tamper, a drifted stock level and a transfer not netting to zero run on both stores: ledger-core.test.ts.
describe('verify', () => {
  it('passes on a consistent ledger and checks every invariant', () => {
    const report = f.ledger.verify();
    expect(report.ok).toBe(true);
    expect(report.movements).toBe(4);
    expect(report.checks.map((c) => c.name)).toEqual([
      'append-only', 'stock-levels', 'balance-after', 'documents-whole', 'transfers-net-zero', 'hash-chain', 'chain-anchors', 'deterministic-order', 'audit-chain',
    ]);
  });

  it('catches a tampered quantity (hash, balance and stock level)', () => {
    tamper('UPDATE movements SET qty = 900 WHERE seq = 4');
    const report = f.ledger.verify();
    expect(report.ok).toBe(false);
    const failed = Object.fromEntries(report.checks.map((c) => [c.name, c.ok]));
    expect(failed).toMatchObject({ 'append-only': false, 'hash-chain': false, 'balance-after': false, 'stock-levels': false });
    expect(report.checks.find((c) => c.name === 'hash-chain')!.problems[0]).toMatch(/movement 4: content does not match its hash/);
  });

  it('catches a deleted movement', () => {
    tamper('DELETE FROM movements WHERE seq = 3');
    const report = f.ledger.verify();
    const chain = report.checks.find((c) => c.name === 'hash-chain')!;
    expect(chain.problems.join(' ')).toMatch(/movements 3..3 are missing/);
  });
});

