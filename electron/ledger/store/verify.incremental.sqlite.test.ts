import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../../test/fixtures/ledger';
import { tamperLedgerFile } from '../../../test/fixtures/tamper';
import { runBackup } from '../../safety/backup-service';
import { chainHead } from './chain-anchors';
import { verifyLedger, type VerifyReport } from './verify';

/**
 * SQLite's incremental verify: from the newest verified anchor (a checked backup's), only the movements after it hashed,
 * the anchor itself re-checked; PostgreSQL's verify always hashes every movement. How a posting batch anchors its head
 * and a forged head is refused, on both stores: chain-anchors.test.ts.
 */
let f: Fixture;
let anchoredAt: number;
const line = (qty: number, binId?: number) => ({ productId: f.ids.bulk, siteId: f.ids.wh, binId: binId ?? f.ids.binA, type: qty > 0 ? ('inbound' as const) : ('sale' as const), qty, unitCost: 100 });
const post = (...qtys: number[]) => f.ledger.poster.post(f.doc(qtys[0]! > 0 ? 'receipt' : 'despatch', qtys.map((q) => line(q))), f.ids.admin);
const sumQty = () => (f.ledger.db.prepare('SELECT SUM(qty) AS q FROM movements').get() as { q: number }).q;
const anchorRows = () => f.ledger.db.prepare('SELECT seq, source, ref, qty_sum AS qtySum FROM chain_anchors ORDER BY id').all();
const by = (r: VerifyReport) => Object.fromEntries(r.checks.map((c) => [c.name, c]));
const incremental = () => verifyLedger(f.ledger.db, { mode: 'incremental' });
const full = () => verifyLedger(f.ledger.db, { mode: 'full' });

/** Around the app, as someone with the file would: the edit made (and the chain re-hashed from it), triggers put back. */
const tamper = (seq: number, set: string, rehash: boolean) =>
  tamperLedgerFile(f.path, (raw) => raw.prepare(`UPDATE movements SET ${set} WHERE seq = ?`).run(seq), rehash ? seq : undefined);

beforeEach(async () => {
  f = await openFixture();
  post(5_000, 2_000);
  post(-1_000);
  post(700, 300, 200);
  // A checked backup anchors the head (movement 6) with the running sum of quantities.
  await runBackup(f.ledger, 'manual', { folder: join(f.dir, 'backups') });
  anchoredAt = 6;
  post(400);
  post(-250, -50);
});
afterEach(async () => {
  await f.cleanup();
});

describe('anchors record the chain head with its running sum', () => {
  it('a backup records movement 6, its hash and the sum of quantities up to it; the next backup verifies only the 3 movements after it', async () => {
    expect(anchorRows()).toEqual([{ seq: 6, source: 'backup', ref: 1, qtySum: 5_000 + 2_000 - 1_000 + 700 + 300 + 200 }]);
    const second = await runBackup(f.ledger, 'manual', { folder: join(f.dir, 'backups') });
    expect(second.message).toMatch(/^Checked: the copy equals the ledger page for page \(\d+ pages\), 3 movements verified \(movements after 6, the last anchored\)\.$/);
    expect(anchorRows()).toEqual([
      { seq: 6, source: 'backup', ref: 1, qtySum: 7_200 },
      { seq: 9, source: 'backup', ref: second.id, qtySum: sumQty() },
    ]);
  });
});

describe('incremental verify from the last anchored point', () => {
  it('hashes only the movements after the anchor, re-checking the anchor itself, and passes on a sound ledger', () => {
    const report = incremental();
    expect(report.ok).toBe(true);
    expect(report.mode).toMatchObject({ kind: 'incremental', from: { seq: anchoredAt, source: 'chain anchor 1 (backup 1)' } });
    expect(report.movements).toBe(3);
    expect(report.head).toEqual({ ...chainHead(f.ledger.db), qtySum: sumQty() });
    expect(full()).toMatchObject({ ok: true, mode: { kind: 'full' }, movements: 9 });
  });

  it('finds a movement tampered AFTER the anchor (hash, balance, stock level)', () => {
    tamper(8, 'qty = -300', false);
    const report = incremental();
    expect(report.mode.kind).toBe('incremental');
    expect(report.ok).toBe(false);
    const c = by(report);
    expect(c['hash-chain']!.problems).toEqual(['movement 8: content does not match its hash (altered)']);
    expect(c['balance-after']!.ok).toBe(false);
    expect(c['stock-levels']!.ok).toBe(false);
  });

  it('finds a stock level drifted after the anchor on a product/site the new movements touched', () => {
    f.ledger.db.prepare('UPDATE stock_levels SET qty = qty + 1 WHERE bin_id = ?').run(f.ids.binA);
    expect(by(incremental())['stock-levels']!.problems[0]).toMatch(/product \d+ site \d+ bin \d+ batch -: stock level \d+, movements sum to \d+/);
  });

  it('a movement tampered BEFORE the anchor and the chain re-hashed: the anchor check catches it, and so does the full pass', () => {
    tamper(3, 'note = \'moved\'', true);
    const inc = incremental();
    expect(inc.ok).toBe(false);
    // The re-hashed chain agrees with itself; the anchor no longer does, so it is not a starting point.
    expect(by(inc)['hash-chain']!.ok).toBe(true);
    expect(by(inc)['chain-anchors']!.problems).toContain('movement 6: its hash differs from the one chain anchor 1 (backup 1) recorded (the chain up to it was rewritten)');
    const whole = full();
    expect(whole.ok).toBe(false);
    expect(by(whole)['chain-anchors']!.problems).toContain('movement 6: its hash differs from the one backup 1 recorded (the chain up to it was rewritten)');
  });

  it('a movement tampered BEFORE the anchor without re-hashing is found by the full pass', () => {
    tamper(2, 'qty = 2_001', false);
    const whole = full();
    expect(by(whole)['hash-chain']!.problems).toEqual(['movement 2: content does not match its hash (altered)']);
    expect(by(whole)['stock-levels']!.ok).toBe(false);
  });

  it('the anchored movement itself altered: the anchor is refused as a start, the run falls back to a full pass and finds it', () => {
    tamper(anchoredAt, 'unit_cost = 1', false);
    const report = incremental();
    expect(report.mode.kind).toBe('full');
    expect(by(report)['hash-chain']!.problems).toEqual([`movement ${anchoredAt}: content does not match its hash (altered)`]);
  });

  it('a forged anchor (a head the chain does not hold) is refused as a start and named', () => {
    const raw = new Database(f.path);
    raw.prepare("INSERT INTO chain_anchors (seq, hash, recorded_at, source, ref, qty_sum) VALUES (8, ?, 0, 'check', NULL, 1)").run('a'.repeat(64));
    raw.close();
    const report = incremental();
    expect(report.mode).toMatchObject({ kind: 'incremental', from: { seq: anchoredAt } });
    expect(report.ok).toBe(false);
    expect(by(report)['chain-anchors']!.problems).toEqual(['movement 8: its hash differs from the one chain anchor 2 (check) recorded (the chain up to it was rewritten)']);
  });

  // The full pass names the false sum too, on both stores: chain-anchors.test.ts.
  it('a forged anchor with the right hash but a false running sum: the sums tell in an incremental run', () => {
    const raw = new Database(f.path);
    const hash = raw.prepare('SELECT hash FROM movements WHERE seq = 8').pluck().get();
    raw.prepare("INSERT INTO chain_anchors (seq, hash, recorded_at, source, ref, qty_sum) VALUES (8, ?, 0, 'check', NULL, 99)").run(hash);
    raw.close();
    const inc = incremental();
    expect(inc.mode).toMatchObject({ kind: 'incremental', from: { seq: 8 } });
    expect(by(inc)['stock-levels']!.problems).toContain(`all stock levels sum to ${sumQty()}, but the movements sum to ${99 - 50} (99 up to anchored movement 8, -50 after it)`);
  });

  it('with no verified anchor, incremental runs a full pass', async () => {
    const g = await openFixture();
    try {
      g.ledger.poster.post(g.doc('receipt', [{ productId: g.ids.bulk, siteId: g.ids.wh, type: 'inbound', qty: 5, unitCost: 1 }]), g.ids.admin);
      expect(verifyLedger(g.ledger.db, { mode: 'incremental' })).toMatchObject({ ok: true, mode: { kind: 'full' }, movements: 1 });
    } finally {
      await g.cleanup();
    }
  });
});
