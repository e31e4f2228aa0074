import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_UNDER_TEST, storeForFile, type StoreUnderTest } from '../../../test/fixtures/store-under-test';
import type { VerifyReport } from './verify';

/**
 * The ledger's verify on the configured store (test/fixtures/store-under-test.ts): SQLite's verifyLedger by default,
 * PostgreSQL's verifyPg in `npm run test:unit:pg`, each reached as the app reaches it (the ledger.verify operation).
 * The ledger is changed around the app, as someone with the database's keys could: the append-only triggers dropped
 * (SQLite) or disabled (PostgreSQL) first. Incremental runs from an anchor are SQLite's own: verify.incremental.test.ts.
 */
const open = storeForFile();
let s: StoreUnderTest;

/** How each store words a movement whose hash no longer covers its content, and movements cut out of the chain. */
const WORDS = {
  sqlite: { altered: (seq: number) => new RegExp(`movement ${seq}: content does not match its hash`), removed: /movements 3..3 are missing/ },
  postgres: {
    altered: (seq: number) => new RegExp(`movement ${seq}: its hash does not match its content \\(it was changed\\)`),
    removed: /movement 4: its previous hash is not movement 2's hash \(a movement before it was changed, removed or inserted\)/,
  },
}[STORE_UNDER_TEST];

let keys = 0;
const key = () => `verify-${process.pid}-${++keys}`;

beforeEach(async () => {
  s = await open();
  const { wh, bulk, binA, binB } = s.ids;
  await s.call('operations.receive', { idempotencyKey: key(), kind: 'inbound', siteId: wh, dutyPaid: false, lines: [{ productId: bulk, qty: 5_000, binId: binA, unitCost: 100 }, { productId: bulk, qty: 2_000, binId: binB, unitCost: 100 }] });
  await s.call('operations.despatch', { idempotencyKey: key(), kind: 'outbound', siteId: wh, lines: [{ productId: bulk, qty: 1_000, binId: binA }] });
  await s.call('operations.receive', { idempotencyKey: key(), kind: 'inbound', siteId: wh, dutyPaid: false, lines: [{ productId: bulk, qty: 700, binId: binA, unitCost: 100 }] });
});
afterEach(async () => {
  await s.close();
});

const verify = async () => (await s.ops['ledger.verify']()) as VerifyReport;

/** Tampering bypasses the app: the movements' append-only triggers dropped (SQLite) or disabled (PostgreSQL) first. */
const tamper = (sql: string) =>
  s.exec(
    STORE_UNDER_TEST === 'sqlite'
      ? `DROP TRIGGER TRG_movements_no_update; DROP TRIGGER TRG_movements_no_delete; ${sql}`
      : `ALTER TABLE movements DISABLE TRIGGER movements_no_update; ALTER TABLE movements DISABLE TRIGGER movements_no_delete; ${sql}`,
  );

describe('append-only movements', () => {
  it('refuses UPDATE and DELETE on movements', async () => {
    await expect(s.exec('UPDATE movements SET qty = 1 WHERE seq = 1')).rejects.toThrow(/append-only/);
    await expect(s.exec('DELETE FROM movements WHERE seq = 1')).rejects.toThrow(/append-only/);
    expect((await verify()).ok).toBe(true);
  });
});

// The note-only tamper, a drifted stock level and a transfer not netting to zero run on both stores too: ledger-core.test.ts.
describe('verify', () => {
  it('passes on a consistent ledger and checks every invariant', async () => {
    const report = await verify();
    expect(report.ok).toBe(true);
    expect(report.movements).toBe(4);
    expect(report.checks.map((c) => c.name)).toEqual([
      'append-only', 'stock-levels', 'balance-after', 'documents-whole', 'transfers-net-zero', 'hash-chain', 'chain-anchors', 'deterministic-order', 'audit-chain',
    ]);
  });

  it('catches a tampered quantity (hash, balance and stock level)', async () => {
    await tamper('UPDATE movements SET qty = 900 WHERE seq = 4');
    const report = await verify();
    expect(report.ok).toBe(false);
    const failed = Object.fromEntries(report.checks.map((c) => [c.name, c.ok]));
    expect(failed).toMatchObject({ 'append-only': false, 'hash-chain': false, 'balance-after': false, 'stock-levels': false });
    expect(report.checks.find((c) => c.name === 'hash-chain')!.problems[0]).toMatch(WORDS.altered(4));
  });

  it('catches a deleted movement', async () => {
    await tamper('DELETE FROM movements WHERE seq = 3');
    const report = await verify();
    const chain = report.checks.find((c) => c.name === 'hash-chain')!;
    expect(chain.problems.join(' ')).toMatch(WORDS.removed);
  });
});
