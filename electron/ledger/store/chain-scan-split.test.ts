import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../../test/fixtures/ledger';
import { tamperLedgerFile } from '../../../test/fixtures/tamper';
import { runBackup } from '../../safety/backup-service';
import { recordAnchor } from './chain-anchors';
import { splitBounds } from './chain-scan-split';
import { inReadSnapshot } from './read-snapshot';
import { verifyLedger, verifyLedgerSplit, type VerifyReport } from './verify';

/**
 * The split chain scan (three parts: this thread and two workers) must report exactly what the single scan reports, on a
 * whole ledger and on every kind of damage, above all damage that sits on a boundary between two parts.
 */
let f: Fixture;
let bounds: number[];

const line = (siteId: number, qty: number, binId?: number) => ({
  productId: f.ids.bulk,
  siteId,
  binId,
  type: qty > 0 ? ('inbound' as const) : ('sale' as const),
  qty,
  unitCost: 100,
});

beforeEach(async () => {
  f = await openFixture();
  const { poster } = f.ledger;
  for (let d = 0; d < 45; d++) {
    if (d % 9 === 4) {
      poster.post(
        f.doc('transfer', [
          { productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'transfer_out', qty: -100 },
          { productId: f.ids.bulk, siteId: f.ids.shop, type: 'transfer_in', qty: 100 },
        ]),
        f.ids.admin,
      );
    } else if (d % 3 === 2) poster.post(f.doc('despatch', [line(f.ids.wh, -50, f.ids.binA), line(f.ids.shop, -10)]), f.ids.admin);
    else poster.post(f.doc('receipt', [line(f.ids.wh, 500, f.ids.binA), line(f.ids.wh, 200, f.ids.binB), line(f.ids.shop, 70)]), f.ids.admin);
    if (d === 20) await runBackup(f.ledger, 'manual', { folder: join(f.dir, 'backups') });
    // An incremental run starts after this verified anchor, and splits the 14 documents after it.
    if (d === 30) recordAnchor(f.ledger.db, 'check', null);
  }
  bounds = splitBounds(f.ledger.db, 0, top(), 3);
});
afterEach(async () => {
  await f.cleanup();
});

const top = () => f.ledger.db.prepare('SELECT MAX(seq) FROM movements').pluck().get() as number;

/** Both scans on one read-only connection, each in its own read transaction. */
async function both(mode: 'full' | 'incremental'): Promise<{ single: VerifyReport; split: VerifyReport }> {
  const db = new Database(f.path, { readonly: true });
  try {
    const single = db.transaction(() => verifyLedger(db, { mode }))();
    return { single, split: await inReadSnapshot(db, () => verifyLedgerSplit(db, f.path, 3, { mode, minMovements: 0 })) };
  } finally {
    db.close();
  }
}

const tamper = (sql: string, rehashFrom?: number) => tamperLedgerFile(f.path, (raw) => raw.exec(sql), rehashFrom);

const failed = (r: VerifyReport) => r.checks.filter((c) => !c.ok).map((c) => c.name);

describe('a chain scan split over threads reports what one scan reports', () => {
  it('splits a whole ledger at document ends into three parts, and finds it whole in both modes', async () => {
    expect(bounds).toHaveLength(2);
    const docAt = f.ledger.db.prepare('SELECT document_id FROM movements WHERE seq = ?').pluck();
    for (const b of bounds) expect(docAt.get(b)).not.toBe(docAt.get(b + 1));
    for (const mode of ['full', 'incremental'] as const) {
      const { single, split } = await both(mode);
      expect(single.ok).toBe(true);
      expect(single.mode.kind).toBe(mode);
      expect(split).toEqual(single);
    }
  });

  it('a quantity changed at the first movement after a boundary, the chain re-hashed: balance and levels, the same lines', async () => {
    const first = bounds[0]! + 1;
    tamper(`UPDATE movements SET qty = qty + 1, balance_after = balance_after + 1 WHERE seq = ${first}`, first);
    const { single, split } = await both('full');
    expect(failed(single)).toEqual(expect.arrayContaining(['stock-levels', 'balance-after']));
    expect(split).toEqual(single);
  });

  it('the balance after the last movement before a boundary changed: the next part starts from another balance', async () => {
    tamper(`UPDATE movements SET balance_after = balance_after + 7 WHERE seq = ${bounds[1]!}`, bounds[1]!);
    const { single, split } = await both('full');
    expect(failed(single)).toContain('balance-after');
    expect(split).toEqual(single);
  });

  it('content altered without re-hashing, on each side of each boundary', async () => {
    tamper(`UPDATE movements SET unit_cost = 1 WHERE seq IN (${bounds.flatMap((b) => [b, b + 1]).join(',')})`);
    const { single, split } = await both('full');
    expect(single.checks.find((c) => c.name === 'hash-chain')!.problems).toHaveLength(4);
    expect(split).toEqual(single);
  });

  it('movements deleted in the middle of a part and at a boundary, in both modes', async () => {
    tamper(`DELETE FROM movements WHERE seq IN (${bounds[0]! - 5}, ${bounds[1]! + 1})`);
    for (const mode of ['full', 'incremental'] as const) {
      const { single, split } = await both(mode);
      if (mode === 'full') expect(failed(single)).toContain('hash-chain');
      expect(split).toEqual(single);
    }
  });

  it('a movement moved into a document of an earlier part (re-hashed): the document is found broken', async () => {
    tamper(`UPDATE movements SET document_id = (SELECT document_id FROM movements WHERE seq = 1) WHERE seq = ${bounds[1]! + 1}`, bounds[1]! + 1);
    const { single, split } = await both('full');
    expect(failed(single)).toContain('documents-whole');
    expect(split).toEqual(single);
  });

  it('a forged running sum on an anchor in a later part, and an anchor on a movement no longer there', async () => {
    recordAnchor(f.ledger.db, 'check', null);
    const raw = new Database(f.path);
    const at = bounds[1]! + 2;
    raw.prepare("INSERT INTO chain_anchors (seq, hash, recorded_at, source, ref, qty_sum) VALUES (?, ?, 0, 'check', NULL, 12345)").run(at, raw.prepare('SELECT hash FROM movements WHERE seq = ?').pluck().get(at));
    raw.close();
    tamper(`DELETE FROM movements WHERE seq = ${top()}`);
    const { single, split } = await both('full');
    expect(single.checks.find((c) => c.name === 'chain-anchors')!.problems.join('\n')).toMatch(/summing to 12345[\s\S]*movements were removed/);
    expect(split).toEqual(single);
  });
});
