import { beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/** On the configured store (test/fixtures/store-under-test.ts): SQLite by default, PostgreSQL in `npm run test:unit:pg`. */
let s: StoreUnderTest;
storePerTest((opened) => (s = opened));

let n = 0;
const key = () => `review-test-${++n}-xyz`;

beforeEach(async () => {
  await s.call('operations.receive', {
    idempotencyKey: key(),
    kind: 'supplier_order',
    siteId: s.ids.wh,
    dutyPaid: true,
    lines: [
      { productId: s.ids.lot, qty: 10, binId: s.ids.binA, batch: { code: 'LATE', expiry: '2031-06-30' }, unitCost: 80_000 },
      { productId: s.ids.lot, qty: 4, binId: s.ids.binA, batch: { code: 'EARLY', expiry: '2030-01-31' }, unitCost: 80_000 },
      { productId: s.ids.bulk, qty: 10_000, binId: s.ids.binA, unitCost: 25_000 },
    ],
  });
});

describe('review before posting', () => {
  it('shows the FEFO picks with cost, value and what each quant held, and writes nothing', async () => {
    const before = await s.counts();
    const r = await s.call('operations.review', { operation: 'despatch', input: { idempotencyKey: key(), kind: 'sale', siteId: s.ids.wh, lines: [{ productId: s.ids.lot, qty: 6 }] } });
    expect(await s.counts()).toEqual(before);
    expect(r.movements.map((m) => [m.batchCode, m.qty, m.unitCost, m.value, m.availableHere, m.availableAtSite, m.costSource])).toEqual([
      ['EARLY', -4, 80_000, -320_000, 4, 14, 'latest_at_site'],
      ['LATE', -2, 80_000, -160_000, 10, 10, 'latest_at_site'],
    ]);
    expect(r).toMatchObject({ valueIn: 0, valueOut: 480_000, alreadyPostedDocumentId: null });
    // Posting afterwards writes exactly what was reviewed.
    const posted = await s.call('operations.despatch', { idempotencyKey: key(), kind: 'sale', siteId: s.ids.wh, lines: [{ productId: s.ids.lot, qty: 6 }] });
    expect(posted.movementCount).toBe(2);
  });

  it("shows each line's on hand as the lines above leave it, and refuses the line that takes more than is left", async () => {
    // A bar that may sell below zero: two lines of 5 kg with 8 kg on hand post, and the review shows 8 then 3 (short).
    const bar = (await s.call('masterdata.siteCreate', { code: 'NEG', name: 'Tab Bar', kind: 'shop', allowNegative: true })).id;
    await s.call('operations.receive', { idempotencyKey: key(), kind: 'supplier_order', siteId: bar, dutyPaid: true, lines: [{ productId: s.ids.bulk, qty: 8_000, unitCost: 25_000 }] });
    const twice = (siteId: number, qty: number) => ({ operation: 'despatch' as const, input: { idempotencyKey: key(), kind: 'sale' as const, siteId, lines: [{ productId: s.ids.bulk, qty }, { productId: s.ids.bulk, qty }] } });
    const r = await s.call('operations.review', twice(bar, 5_000));
    expect(r.movements.map((m) => [m.lineNo, m.qty, m.availableHere, m.availableAtSite])).toEqual([
      [1, -5_000, 8_000, 8_000],
      [2, -5_000, 3_000, 3_000],
    ]);
    // A warehouse that may not: its 10 kg cover one line of 6 kg, and the second is refused for what the first leaves.
    const before = await s.counts();
    await expect(s.call('operations.review', twice(s.ids.wh, 6_000))).rejects.toThrow(/^Line 2: not enough .*available 4(\.000)?( kg)?, this takes 6(\.000)?( kg)?, short by 2/);
    expect(await s.counts()).toEqual(before);
  });

  it('a backdated document shows what was held then (by effective time, later movements taken out), and says so', async () => {
    // 10 kg received on 2 June into bin A; now (beforeEach) 10 kg more, and 4 kg sold: 16 kg now, 10 kg on 3 June.
    await s.call('operations.receive', { idempotencyKey: key(), kind: 'supplier_order', siteId: s.ids.wh, dutyPaid: true, occurredAt: '2026-06-02T09:00:00.000Z', lines: [{ productId: s.ids.bulk, qty: 10_000, binId: s.ids.binA, unitCost: 25_000 }] });
    await s.call('operations.despatch', { idempotencyKey: key(), kind: 'sale', siteId: s.ids.wh, lines: [{ productId: s.ids.bulk, qty: 4_000 }] });
    const waste = (occurredAt?: string) => ({ operation: 'writeOff' as const, input: { idempotencyKey: key(), kind: 'wastage' as const, siteId: s.ids.wh, reason: 'damaged' as const, ...(occurredAt ? { occurredAt } : {}), lines: [{ productId: s.ids.bulk, qty: 3_000 }] } });
    const then = await s.call('operations.review', waste('2026-06-03T09:00:00.000Z'));
    expect(then.movements.map((m) => [m.qty, m.availableHere, m.availableAtSite, m.onHandThen])).toEqual([[-3_000, 10_000, 10_000, true]]);
    const now = await s.call('operations.review', waste());
    expect(now.movements.map((m) => [m.qty, m.availableHere, m.availableAtSite, m.onHandThen])).toEqual([[-3_000, 16_000, 16_000, false]]);
  });

  it('shows on-costs on a receipt, and value-only credits without a movement', async () => {
    const r = await s.call('operations.review', {
      operation: 'receive',
      input: { idempotencyKey: key(), kind: 'cash_purchase', siteId: s.ids.wh, dutyPaid: false, lines: [{ productId: s.ids.bulk, qty: 2_000, unitCost: 30_000, onCosts: { freight: 1_000, labour: 500 } }] },
    });
    expect(r.movements).toMatchObject([{ sku: 'RICE-1KG', qty: 2_000, unitCost: 30_000, onCostPerUnit: 1_500, value: 60_000, onCostValue: 3_000, availableHere: null }]);
    const sale = await s.call('operations.despatch', { idempotencyKey: key(), kind: 'sale', siteId: s.ids.wh, lines: [{ productId: s.ids.bulk, qty: 1_000 }] });
    const before = await s.counts();
    const c = await s.call('operations.review', { operation: 'refund', input: { idempotencyKey: key(), kind: 'sales_credit_note', documentId: sale.documentId!, returnToStock: false } });
    expect(c.movements).toEqual([]);
    expect(c.credits).toEqual([{ sku: 'RICE-1KG', name: expect.any(String), scale: 3, qty: 1_000, unitCost: 25_000, value: 25_000, onCostPerUnit: 0, onCostValue: 0 }]);
    expect(c.notes.join(' ')).toMatch(/Return to stock is off/);
    expect(await s.counts()).toEqual(before);
  });

  it("shows a value-only credit's on-costs: the sale line's per unit and their value for the quantity credited", async () => {
    await s.call('operations.receive', { idempotencyKey: key(), kind: 'supplier_order', siteId: s.ids.wh, dutyPaid: false, lines: [{ productId: s.ids.bulk, qty: 2_000, unitCost: 30_000, onCosts: { freight: 1_000, labour: 500 } }] });
    const sale = await s.call('operations.despatch', { idempotencyKey: key(), kind: 'sale', siteId: s.ids.wh, lines: [{ productId: s.ids.bulk, qty: 1_500 }] });
    const before = await s.counts();
    const c = await s.call('operations.review', { operation: 'refund', input: { idempotencyKey: key(), kind: 'sales_credit_note', documentId: sale.documentId!, returnToStock: false, lines: [{ seq: sale.firstSeq!, qty: 500 }] } });
    // 0.500 kg credited of a £3.00 + £0.15 on-costs per kg sale: £1.50 of product and £0.075 of on-costs
    expect(c.credits).toEqual([{ sku: 'RICE-1KG', name: expect.any(String), scale: 3, qty: 500, unitCost: 30_000, value: 15_000, onCostPerUnit: 1_500, onCostValue: 750 }]);
    expect(await s.counts()).toEqual(before);
  });

  it('raises the error posting would raise, and says when the key is already posted', async () => {
    const before = await s.counts();
    await expect(s.call('operations.review', { operation: 'writeOff', input: { idempotencyKey: key(), kind: 'wastage', siteId: s.ids.wh, reason: 'damaged', lines: [{ productId: s.ids.lot, qty: 99 }] } })).rejects.toThrow(AppError);
    expect(await s.counts()).toEqual(before);
    const input = { idempotencyKey: key(), siteId: s.ids.wh, lines: [{ productId: s.ids.bulk, qty: 100, fromBinId: s.ids.binA, toBinId: s.ids.binB }] };
    const posted = await s.call('operations.internalTransfer', input);
    const again = await s.call('operations.review', { operation: 'internalTransfer', input });
    expect(again.alreadyPostedDocumentId).toBe(posted.documentId);
    expect(again.movements.map((m) => [m.binCode, m.qty])).toEqual([['A-01', -100], ['B-01', 100]]);
    // After a review, the poster's caches are fresh: the next post chains correctly (verify runs after each test).
    await s.call('operations.despatch', { idempotencyKey: key(), kind: 'sale', siteId: s.ids.wh, lines: [{ productId: s.ids.bulk, qty: 1 }] });
  });

  it('says a key is already posted, naming its document, when a document was posted under it before requests were recorded, as posting replays it', async () => {
    const input = { idempotencyKey: 'review-legacy-key', siteId: s.ids.wh, lines: [{ productId: s.ids.bulk, qty: 100, fromBinId: s.ids.binA, toBinId: s.ids.binB }] };
    const posted = await s.call('operations.internalTransfer', input);
    // A ledger written before requests were recorded: the document under the key, no request.
    await s.exec("DELETE FROM operation_requests WHERE idempotency_key = 'review-legacy-key'");
    const before = await s.counts();
    const r = await s.call('operations.review', { operation: 'internalTransfer', input });
    expect(r.alreadyPostedDocumentId).toBe(posted.documentId);
    expect(r.movements.map((m) => [m.binCode, m.qty])).toEqual([['A-01', -100], ['B-01', 100]]);
    expect(await s.counts()).toEqual(before);
    // Posting it replays that document, as the review said.
    expect(await s.call('operations.internalTransfer', input)).toMatchObject({ replayed: true, documentId: posted.documentId });
  });
  it("says a value-only refund's key is already posted, with the credits it wrote, and posting it again only replays them — also when they were written before requests were recorded", async () => {
    const sale = await s.call('operations.despatch', { idempotencyKey: key(), kind: 'sale', siteId: s.ids.wh, lines: [{ productId: s.ids.bulk, qty: 1_000 }] });
    for (const legacy of [false, true]) {
      const refund = { idempotencyKey: `review-credit-${legacy ? 'legacy' : 'recorded'}`, kind: 'sales_credit_note' as const, documentId: sale.documentId!, returnToStock: false, lines: [{ seq: sale.firstSeq!, qty: 100 }] };
      const fresh = await s.call('operations.review', { operation: 'refund', input: refund });
      expect(fresh).toMatchObject({ alreadyPosted: false, alreadyPostedDocumentId: null, movements: [] });
      const posted = await s.call('operations.refund', refund);
      expect(posted).toMatchObject({ documentId: null, valueCredits: 1 });
      // A ledger written before requests were recorded: the credits under the key, no request.
      if (legacy) await s.exec(`DELETE FROM operation_requests WHERE idempotency_key = '${refund.idempotencyKey}'`);
      const before = await s.counts();
      const again = await s.call('operations.review', { operation: 'refund', input: refund });
      expect(again).toMatchObject({ alreadyPosted: true, alreadyPostedDocumentId: null, movements: [] });
      expect(again.credits).toEqual([{ sku: 'RICE-1KG', name: expect.any(String), scale: 3, qty: 100, unitCost: 25_000, value: 2_500, onCostPerUnit: 0, onCostValue: 0 }]);
      expect(await s.counts()).toEqual(before);
      // Posting it replays those credits, as the review said: no second credit.
      expect(await s.call('operations.refund', refund)).toMatchObject({ replayed: true, documentId: null, valueCredits: 1 });
      expect(await s.counts()).toEqual(before);
    }
  });

  it("reviews an adjustment draft's posting: its lines as \"8 → 5\", cost and value, the draft left a draft; posting after it writes that once", async () => {
    const d = await s.call('operations.draftCreate', { name: 'Shelf check', siteId: s.ids.wh, effectiveAt: new Date().toISOString() });
    await s.call('operations.draftSaveLine', { draftId: d.id, productId: s.ids.bulk, qty: -3_000, reason: 'damage', binId: s.ids.binA });
    await s.call('operations.draftSaveLine', { draftId: d.id, productId: s.ids.bulk, qty: 500, reason: 'found', binId: s.ids.binA });
    const before = await s.counts();
    const input = { draftId: d.id, idempotencyKey: key() };
    const r = await s.call('operations.review', { operation: 'draftPost', input });
    expect(r.movements.map((m) => [m.lineNo, m.qty, m.type, m.unitCost, m.value, m.availableHere])).toEqual([
      [1, -3_000, 'inventory_adjustment', 25_000, -75_000, 10_000],
      [2, 500, 'inventory_adjustment', 25_000, 12_500, null],
    ]);
    expect(r).toMatchObject({ alreadyPostedDocumentId: null, valueIn: 12_500, valueOut: 75_000 });
    expect(await s.counts()).toEqual(before);
    expect((await s.call('operations.draftGet', { draftId: d.id })).status).toBe('draft');
    // Back to edit and review again: the same answer; then the post under the reviewed key, and again (replayed once).
    expect((await s.call('operations.review', { operation: 'draftPost', input })).movements).toEqual(r.movements);
    const posted = await s.call('operations.draftPost', input);
    expect(posted.movementCount).toBe(2);
    expect((await s.call('operations.draftPost', input)).replayed).toBe(true);
    expect((await s.call('operations.review', { operation: 'draftPost', input })).alreadyPostedDocumentId).toBe(posted.documentId);
  });

  it('refuses the review of an empty adjustment draft as posting would, naming the draft', async () => {
    const d = await s.call('operations.draftCreate', { name: 'Nothing yet', siteId: s.ids.wh, effectiveAt: new Date().toISOString() });
    await expect(s.call('operations.review', { operation: 'draftPost', input: { draftId: d.id, idempotencyKey: key() } })).rejects.toThrow(/"Nothing yet" has no lines/);
  });
});
