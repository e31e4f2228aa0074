import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../../test/fixtures/ledger';
import { hashMovement, hashMovementContent, movementHashContentSql, type MovementRow } from './movement-hash';

let f: Fixture;
beforeEach(async () => {
  f = await openFixture();
});
afterEach(async () => {
  await f.cleanup();
});

describe('the hashed text built by SQLite', () => {
  it('hashes to the stored hash for rows with and without bin, batch, serial and note (non-ASCII too), as hashMovement does', () => {
    const { poster } = f.ledger;
    poster.post(f.doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'inbound', qty: 5_000, unitCost: 123_456 }]), f.ids.admin);
    poster.post(f.doc('receipt', [{ productId: f.ids.lot, siteId: f.ids.wh, type: 'inbound', qty: 12, unitCost: 9, batch: { code: 'L-2019' }, note: 'Crème brûlée — 5 × £2' }]), f.ids.admin);
    poster.post(f.doc('receipt', [{ productId: f.ids.serial, siteId: f.ids.shop, type: 'inbound', qty: 1, unitCost: 1, serial: 'SN-1' }]), f.ids.admin);
    poster.post(f.doc('despatch', [{ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'sale', qty: -1_250 }]), f.ids.admin);
    const rows = f.ledger.db.prepare(`SELECT *, ${movementHashContentSql()} AS content FROM movements ORDER BY seq`).all() as (MovementRow & { content: string })[];
    expect(rows.length).toBe(4);
    expect(rows.some((r) => r.bin_id === null) && rows.some((r) => r.batch_id !== null) && rows.some((r) => r.serial_id !== null) && rows.some((r) => r.note?.includes('brûlée'))).toBe(true);
    for (const { content, ...row } of rows) {
      const { hash, prev_hash, ...fields } = row;
      expect(hashMovementContent(content)).toBe(hash);
      expect(hashMovement(prev_hash, fields)).toBe(hash);
    }
  });
});
