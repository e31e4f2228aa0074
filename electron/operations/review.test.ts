import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { openFixture, tableCounts, type Fixture } from '../../test/fixtures/ledger';
import { createWorkerContext } from '../ledger/worker-context';
import { operationsOps, type OperationsOps } from './operations.ops';
import { asUser } from '../../test/fixtures/caller';

let f: Fixture;
let o: OperationsOps;
let n = 0;
const key = () => `review-test-${++n}-xyz`;

beforeEach(async () => {
  f = await openFixture();
  o = operationsOps(createWorkerContext(f.ledger, () => undefined));
  o['operations.receive']({
      idempotencyKey: key(),
      kind: 'supplier_order',
      siteId: f.ids.wh,
      dutyPaid: true,
      lines: [
        { productId: f.ids.lot, qty: 10, binId: f.ids.binA, batch: { code: 'LATE', expiry: '2031-06-30' }, unitCost: 80_000 },
        { productId: f.ids.lot, qty: 4, binId: f.ids.binA, batch: { code: 'EARLY', expiry: '2030-01-31' }, unitCost: 80_000 },
        { productId: f.ids.bulk, qty: 10_000, binId: f.ids.binA, unitCost: 25_000 },
      ],
    }, asUser(f.ids.admin));
});
afterEach(async () => {
  expect(f.ledger.verify().ok).toBe(true);
  await f.cleanup();
});

describe('review before posting', () => {
  it('shows the FEFO picks with cost, value and what each quant held, and writes nothing', () => {
    const before = tableCounts(f.ledger);
    const r = o['operations.review']({ operation: 'despatch', input: { idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.lot, qty: 6 }] } }, asUser(f.ids.admin));
    expect(tableCounts(f.ledger)).toEqual(before);
    expect(r.movements.map((m) => [m.batchCode, m.qty, m.unitCost, m.value, m.availableHere, m.availableAtSite, m.costSource])).toEqual([
      ['EARLY', -4, 80_000, -320_000, 4, 14, 'latest_at_site'],
      ['LATE', -2, 80_000, -160_000, 10, 14, 'latest_at_site'],
    ]);
    expect(r).toMatchObject({ valueIn: 0, valueOut: 480_000, alreadyPostedDocumentId: null });
    // Posting afterwards writes exactly what was reviewed.
    const posted = o['operations.despatch']({ idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.lot, qty: 6 }] }, asUser(f.ids.admin));
    expect(posted.movementCount).toBe(2);
  });

  it('shows on-costs on a receipt, and value-only credits without a movement', () => {
    const r = o['operations.review']({
        operation: 'receive',
        input: { idempotencyKey: key(), kind: 'cash_purchase', siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.bulk, qty: 2_000, unitCost: 30_000, onCosts: { freight: 1_000, labour: 500 } }] },
      }, asUser(f.ids.admin));
    expect(r.movements).toMatchObject([{ sku: 'RICE-1KG', qty: 2_000, unitCost: 30_000, onCostPerUnit: 1_500, value: 60_000, onCostValue: 3_000, availableHere: null }]);
    const sale = o['operations.despatch']({ idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.bulk, qty: 1_000 }] }, asUser(f.ids.admin));
    const before = tableCounts(f.ledger);
    const c = o['operations.review']({ operation: 'refund', input: { idempotencyKey: key(), kind: 'sales_credit_note', documentId: sale.documentId!, returnToStock: false } }, asUser(f.ids.admin));
    expect(c.movements).toEqual([]);
    expect(c.credits).toEqual([{ sku: 'RICE-1KG', name: expect.any(String), scale: 3, qty: 1_000, unitCost: 25_000, value: 25_000, onCostPerUnit: 0, onCostValue: 0 }]);
    expect(c.notes.join(' ')).toMatch(/Return to stock is off/);
    expect(tableCounts(f.ledger)).toEqual(before);
  });

  it("shows a value-only credit's on-costs: the sale line's per unit and their value for the quantity credited", () => {
    o['operations.receive']({ idempotencyKey: key(), kind: 'supplier_order', siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.bulk, qty: 2_000, unitCost: 30_000, onCosts: { freight: 1_000, labour: 500 } }] }, asUser(f.ids.admin));
    const sale = o['operations.despatch']({ idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.bulk, qty: 1_500 }] }, asUser(f.ids.admin));
    const before = tableCounts(f.ledger);
    const c = o['operations.review']({ operation: 'refund', input: { idempotencyKey: key(), kind: 'sales_credit_note', documentId: sale.documentId!, returnToStock: false, lines: [{ seq: sale.firstSeq!, qty: 500 }] } }, asUser(f.ids.admin));
    // 0.500 kg credited of a £3.00 + £0.15 on-costs per kg sale: £1.50 of product and £0.075 of on-costs
    expect(c.credits).toEqual([{ sku: 'RICE-1KG', name: expect.any(String), scale: 3, qty: 500, unitCost: 30_000, value: 15_000, onCostPerUnit: 1_500, onCostValue: 750 }]);
    expect(tableCounts(f.ledger)).toEqual(before);
  });

  it('raises the error posting would raise, and says when the key is already posted', () => {
    const before = tableCounts(f.ledger);
    expect(() => o['operations.review']({ operation: 'writeOff', input: { idempotencyKey: key(), kind: 'wastage', siteId: f.ids.wh, reason: 'damaged', lines: [{ productId: f.ids.lot, qty: 99 }] } }, asUser(f.ids.admin))).toThrow(AppError);
    expect(tableCounts(f.ledger)).toEqual(before);
    const input = { idempotencyKey: key(), siteId: f.ids.wh, lines: [{ productId: f.ids.bulk, qty: 100, fromBinId: f.ids.binA, toBinId: f.ids.binB }] };
    const posted = o['operations.internalTransfer'](input, asUser(f.ids.admin));
    const again = o['operations.review']({ operation: 'internalTransfer', input }, asUser(f.ids.admin));
    expect(again.alreadyPostedDocumentId).toBe(posted.documentId);
    expect(again.movements.map((m) => [m.binCode, m.qty])).toEqual([['A-01', -100], ['B-01', 100]]);
    // After a review, the poster's caches are fresh: the next post chains correctly (verify runs after each test).
    o['operations.despatch']({ idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.bulk, qty: 1 }] }, asUser(f.ids.admin));
  });
});
