import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asUser } from '../../../test/fixtures/caller';
import { openFixture, type Fixture } from '../../../test/fixtures/ledger';
import { undoMigrationsThrough } from '../../../test/fixtures/migrations';
import { operationsOps, type OperationsOps } from '../../operations/operations.ops';
import { verifyLedger } from '../store/verify';
import { createWorkerContext } from '../worker-context';

let f: Fixture;
let o: OperationsOps;
let n = 0;
const key = () => `mig50-${++n}`;
beforeEach(async () => {
  f = await openFixture();
  o = operationsOps(createWorkerContext(f.ledger, () => {}));
});
afterEach(async () => {
  await f.cleanup();
});

describe('0050 movement kit lines', () => {
  it('gives a ledger with kit sales posted before it an empty table (nothing guessed): their refunds show component lines only, later sales their kit lines', async () => {
    const db = f.ledger.db;
    const admin = asUser(f.ids.admin);
    o['operations.receive']({ idempotencyKey: key(), kind: 'stock_receipt', siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.bulk, qty: 10_000, unitCost: 25_000 }] }, admin);
    const sell = () => o['operations.despatch']({ idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.recipe, qty: 2 }] }, admin).documentId!;
    const refundKits = (documentId: number) =>
      o['operations.review']({ operation: 'refund', input: { idempotencyKey: key(), kind: 'sale_refund', documentId, returnToStock: true, confirmExpired: false } }, admin).kits;
    const old = sell();
    // The ledger as it was before 0050 (the sale's movements, no table beside them), then upgraded.
    await undoMigrationsThrough(f.ledger, 'MovementKitLines1732400005000');
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'movement_kit_lines'").all()).toEqual([]);
    await f.ledger.dataSource.runMigrations({ transaction: 'each' });
    expect(db.prepare('SELECT COUNT(*) FROM movement_kit_lines').pluck().get()).toBe(0);
    expect(refundKits(old)).toEqual([]);
    // A sale after it records its kit line, and its refund shows it.
    const now = sell();
    expect(db.prepare('SELECT k.form_line_no AS line, k.kit_product_id AS kit, k.kit_qty AS qty FROM movement_kit_lines k JOIN movements m ON m.seq = k.seq WHERE m.document_id = ?').all(now)).toEqual([
      { line: 1, kit: f.ids.recipe, qty: 2 },
    ]);
    expect(refundKits(now)).toEqual([{ where: 'Sale line 1', sku: 'RISOTTO', name: 'Risotto', unit: 'ea', scale: 0, qty: 2, sold: 2, firstLineNo: 1, lastLineNo: 1 }]);
    // Rows name a real movement and product.
    expect(() => db.prepare('INSERT INTO movement_kit_lines (seq, form_line_no, kit_product_id, kit_qty) VALUES (999999, 1, ?, 1)').run(f.ids.recipe)).toThrow(/FOREIGN KEY/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(verifyLedger(db).ok).toBe(true);
  });
});
