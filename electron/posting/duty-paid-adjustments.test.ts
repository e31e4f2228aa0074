import { beforeEach, describe, expect, it } from 'vitest';
import { postUpTo, storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/**
 * Seed 004, "Duty Paid Stock": stock brought in through the Stock Adjustment window with "Duty Paid" ticked posts its
 * on-costs, "added together for a single debit and a single credit" with the product cost (Dr Stock / Cr Cost of Sales);
 * not duty paid, the product cost alone. An adjustment out (qty < 0) posts its product cost, Dr Cost of Sales / Cr Stock,
 * duty paid or not: the seed's duty-paid rule is about stock coming in. Through a real adjustment draft and real posting, on the configured store (test/fixtures/store-under-test.ts).
 */
let s: StoreUnderTest;
let gin: number;
let n = 0;
const key = () => `dutypaid-test-${process.pid}-${++n}`;
const STOCK = '1200';
const COS = '5000';
/** £10.00 a bottle with £3.20 of on-costs a bottle (excise £1.20, freight £0.40, customs £0.50, rhd £0.30, rent £0.20, delivery £0.50, insurance £0.10) */
const ON_COSTS = { insurance: 1_000, freight: 4_000, excise: 12_000, customs: 5_000, rhd: 3_000, rent: 2_000, delivery: 5_000 };

storePerTest((opened) => (s = opened));
beforeEach(async () => {
  const spirits = (await s.call('masterdata.groupCreate', { code: 'SPIRITS', name: 'Spirits', postOnCosts: true })).id;
  gin = (await s.call('masterdata.productCreate', { sku: 'GIN-70', name: 'London gin 70cl', unit: 'each', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null, groupId: spirits })).id;
  // 10 bottles at £10.00 + £3.20 on-costs: the site's latest cost and on-costs, which an adjustment takes
  await s.call('operations.receive', { idempotencyKey: key(), kind: 'stock_receipt', siteId: s.ids.wh, dutyPaid: false, lines: [{ productId: gin, qty: 10, unitCost: 100_000, onCosts: ON_COSTS }] });
});

/** A posted draft of two lines: 3 bottles found, 2 bottles broken. */
async function adjust(dutyPaid: boolean): Promise<number> {
  const d = await s.call('operations.draftCreate', { name: `Cellar check ${n}`, siteId: s.ids.wh, effectiveAt: new Date().toISOString(), dutyPaid });
  expect(d.dutyPaid).toBe(dutyPaid);
  await s.call('operations.draftSaveLine', { draftId: d.id, productId: gin, qty: 3, reason: 'found' });
  await s.call('operations.draftSaveLine', { draftId: d.id, productId: gin, qty: -2, reason: 'damage' });
  return (await s.call('operations.draftPost', { draftId: d.id, idempotencyKey: key() })).documentId!;
}
/** The journal lines of one document's movements, in the order posted: [movement type, account, amount]. */
const journalOf = async (documentId: number) =>
  (await s.rows<{ t: string; a: string; v: number }>('SELECT j.movement_type AS t, j.account AS a, j.amount AS v FROM journal_lines j JOIN movements m ON m.seq = j.movement_seq WHERE m.document_id = ? ORDER BY j.id', [documentId])).map((l) => [l.t, l.a, l.v]);
const post = () => postUpTo(s, new Date(Date.now() + 60_000).toISOString());

describe('duty-paid stock adjustments (seed 004)', () => {
  it('duty paid: stock in posts product cost and on-costs as ONE pair, Dr Stock £39.60 / Cr Cost of Sales; stock out its product cost only', async () => {
    const doc = await adjust(true);
    expect(await s.rows('SELECT duty_paid AS d FROM operation_documents WHERE document_id = ?', [doc])).toEqual([{ d: 1 }]);
    expect(await s.rows('SELECT type, qty, unit_cost AS c, oc_excise AS x FROM movements WHERE document_id = ? ORDER BY seq', [doc])).toEqual([
      { type: 'stock_adjustment_in', qty: 3, c: 100_000, x: 12_000 },
      { type: 'stock_adjustment_out', qty: -2, c: 100_000, x: 12_000 },
    ]);
    await post();
    expect(await journalOf(doc)).toEqual([
      ['stock_adjustment_in', STOCK, 396_000], // 3 × (£10.00 + £3.20)
      ['stock_adjustment_in', COS, -396_000],
      ['stock_adjustment_out', COS, 200_000], // 2 × £10.00
      ['stock_adjustment_out', STOCK, -200_000],
    ]);
  });

  it('not duty paid: the draft stays an inventory adjustment, stock in at its product cost only (Dr Stock £30.00 / Cr Stock Variance)', async () => {
    // a draft ticked, then unticked before posting, is not duty paid
    const d = await s.call('operations.draftCreate', { name: 'Changed mind', siteId: s.ids.wh, effectiveAt: new Date().toISOString(), dutyPaid: true });
    expect((await s.call('operations.draftUpdate', { draftId: d.id, dutyPaid: false })).dutyPaid).toBe(false);
    expect((await s.call('operations.draftUpdate', { draftId: d.id, name: 'Changed mind again' })).dutyPaid).toBe(false);
    await s.call('operations.draftSaveLine', { draftId: d.id, productId: gin, qty: 3, reason: 'found' });
    const doc = (await s.call('operations.draftPost', { draftId: d.id, idempotencyKey: key() })).documentId!;
    expect(await s.rows('SELECT duty_paid AS d FROM operation_documents WHERE document_id = ?', [doc])).toEqual([{ d: 0 }]);
    await post();
    // an unticked draft stays seed 003's inventory adjustment: Dr Stock / Cr Stock Variance, product cost only
    expect(await journalOf(doc)).toEqual([
      ['inventory_adjustment', STOCK, 300_000],
      ['inventory_adjustment', '5200', -300_000],
    ]);
  });

  it('a duty-paid draft is listed and resumed with its box ticked, and still shows in the adjustment history', async () => {
    const doc = await adjust(true);
    const posted = (await s.call('operations.draftList', { status: 'posted' })).find((d) => d.documentId === doc)!;
    expect(posted.dutyPaid).toBe(true);
    expect((await s.call('operations.draftGet', { draftId: posted.id })).dutyPaid).toBe(true);
    expect((await s.call('operations.adjustmentHistory', { limit: 10, offset: 0 })).map((h) => [h.documentId, h.lines.map((l) => l.qty)])).toContainEqual([doc, [3, -2]]);
  });
});
