import { beforeEach, describe, expect, it } from 'vitest';
import { formatJournalMoney } from '../../shared/company-format';
import { reportMessage } from '../../shared/production-note';
import { ACC, COST, ON_COSTS } from '../../test/fixtures/on-costs-figures';
import { postUpTo, storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/**
 * Issue 13, on-costs (seed 004): stock leaves carrying the on-costs it came in with, the recoveries of 004's table
 * are posted, credits fold them back into one product-cost pair, transfers post them only where the product group
 * says so, and Work in Progress nets to zero over production. Through the real operations and the real posting.
 * On the configured store (test/fixtures/store-under-test.ts); two tests that post raw documents of types no operation
 * makes are SQLite-only in on-costs.sqlite.test.ts.
 */
let s: StoreUnderTest;
let gin: number; // group posts on-costs
let tonic: number; // group does not
let n = 0;
const key = () => `oncost-test-${process.pid}-${++n}`;

const RECOVERY = { insurance: ACC.insuranceRec, freight: ACC.freightRec, excise: ACC.exciseRec, customs: ACC.customsRec, rhd: ACC.rhdRec, rent: ACC.rentRec, delivery: ACC.deliveryRec };

const rows = (sql: string, ...args: unknown[]) => s.rows(sql, args);
const ocOf = async (seq: number) =>
  (await s.rows('SELECT unit_cost, oc_insurance, oc_freight, oc_excise, oc_customs, oc_rhd, oc_rent, oc_delivery, oc_labour, oc_overhead FROM movements WHERE seq = ?', [seq]))[0];
const carried = (unitCost: number, oc: Partial<Record<string, number>>) => ({
  unit_cost: unitCost,
  oc_insurance: oc.insurance ?? 0, oc_freight: oc.freight ?? 0, oc_excise: oc.excise ?? 0, oc_customs: oc.customs ?? 0, oc_rhd: oc.rhd ?? 0,
  oc_rent: oc.rent ?? 0, oc_delivery: oc.delivery ?? 0, oc_labour: oc.labour ?? 0, oc_overhead: oc.overhead ?? 0,
});
/** account → net amount posted for movements (or value credits) of these types */
const netFor = async (...types: string[]) =>
  Object.fromEntries(
    (await s.rows<{ account: string; a: number }>(`SELECT account, SUM(amount) AS a FROM journal_lines WHERE movement_type IN (${types.map(() => '?').join(',')}) GROUP BY account HAVING SUM(amount) <> 0 ORDER BY account`, types)).map((r) => [r.account, r.a]),
  );
/** Posts everything up to a minute from now; the batch's posting report. */
const post = async () => s.call('posting.report', { batchId: (await postUpTo(s, new Date(Date.now() + 60_000).toISOString())).batchId });
const receive = (productId: number, qty: number, siteId = s.ids.wh) =>
  s.call('operations.receive', { idempotencyKey: key(), kind: 'stock_receipt', siteId, dutyPaid: false, lines: [{ productId, qty, unitCost: COST, onCosts: ON_COSTS }] });
const sell = (productId: number, qty: number, siteId = s.ids.wh) => s.call('operations.despatch', { idempotencyKey: key(), kind: 'stock_despatch', siteId, lines: [{ productId, qty }] });
const product = async (sku: string, name: string, stockType: 'Supplied' | 'Made', groupId: number | null) =>
  (await s.call('masterdata.productCreate', { sku, name, unit: 'each', scale: 0, stockType, tracking: 'BULK', stockKeeping: true, lowStockLevel: null, groupId })).id;

storePerTest((opened) => (s = opened));
beforeEach(async () => {
  gin = await product('GIN-70', 'London gin 70cl', 'Supplied', (await s.call('masterdata.groupCreate', { code: 'SPIRITS', name: 'Spirits', postOnCosts: true })).id);
  tonic = await product('TONIC-20', 'Tonic 20cl', 'Supplied', (await s.call('masterdata.groupCreate', { code: 'MIXERS', name: 'Mixers', postOnCosts: false })).id);
});

describe('on-costs carried by outgoing stock', () => {
  it('a despatch carries the per-unit on-costs of the stock at its site, and posts each to cost of sales against its recovery', async () => {
    await receive(gin, 10);
    const sale = await sell(gin, 3);
    expect(await ocOf(sale.firstSeq!)).toEqual(carried(COST, ON_COSTS));
    const r = await post();
    expect(r.balanced).toBe(true);
    const total = Object.values(ON_COSTS).reduce((s, v) => s + v, 0);
    expect(total).toBe(32_000);
    expect(await netFor('stock_despatch')).toEqual({
      [ACC.stock]: -3 * COST,
      [ACC.cos]: 3 * (COST + total),
      ...Object.fromEntries(Object.entries(RECOVERY).map(([k, acc]) => [acc, -3 * ON_COSTS[k as keyof typeof ON_COSTS]])),
    });
  });

  it('the on-costs follow the latest cost at the site: a later receipt without on-costs carries none out', async () => {
    await receive(gin, 5);
    await s.call('operations.receive', { idempotencyKey: key(), kind: 'stock_receipt', siteId: s.ids.wh, dutyPaid: false, lines: [{ productId: gin, qty: 5, unitCost: 90_000 }] });
    expect(await ocOf((await sell(gin, 2)).firstSeq!)).toEqual(carried(90_000, {}));
  });

  it("a recipe sale's components and a PO return carry their stock's on-costs", async () => {
    const rice = { freight: 7, excise: 3 };
    const got = await s.call('operations.receive', { idempotencyKey: key(), kind: 'stock_receipt', siteId: s.ids.wh, dutyPaid: false, lines: [{ productId: s.ids.bulk, qty: 5_000, unitCost: 25_000, onCosts: rice }] });
    const risotto = await s.call('operations.despatch', { idempotencyKey: key(), kind: 'sale', siteId: s.ids.wh, lines: [{ productId: s.ids.recipe, qty: 2 }] });
    expect(await rows('SELECT product_id, qty FROM movements WHERE seq = ?', risotto.firstSeq)).toEqual([{ product_id: s.ids.bulk, qty: -240 }]);
    expect(await ocOf(risotto.firstSeq!)).toEqual(carried(25_000, rice));
    const back = await s.call('operations.reverseReceipt', { idempotencyKey: key(), kind: 'po_stock_return', documentId: got.documentId!, lines: [{ seq: got.firstSeq!, qty: 1_000 }] });
    expect(await ocOf(back.firstSeq!)).toEqual(carried(25_000, rice));
  });

  it('a bin move carries them on both legs', async () => {
    await s.call('operations.receive', { idempotencyKey: key(), kind: 'stock_receipt', siteId: s.ids.wh, dutyPaid: false, lines: [{ productId: gin, qty: 3, binId: s.ids.binA, unitCost: COST, onCosts: ON_COSTS }] });
    const t = await s.call('operations.internalTransfer', { idempotencyKey: key(), siteId: s.ids.wh, lines: [{ productId: gin, qty: 2, fromBinId: s.ids.binA, toBinId: s.ids.binB }] });
    expect([await ocOf(t.firstSeq!), await ocOf(t.lastSeq!)]).toEqual([carried(COST, ON_COSTS), carried(COST, ON_COSTS)]);
  });

  it('a refused despatch writes nothing and leaves the cost state as it was', async () => {
    await receive(gin, 1);
    const before = await rows('SELECT COUNT(*) AS n FROM movements');
    await expect(sell(gin, 2)).rejects.toThrow(/not enough GIN-70/);
    expect(await rows('SELECT COUNT(*) AS n FROM movements')).toEqual(before);
    expect(await rows('SELECT latest_cost, updated_seq FROM cost_state WHERE product_id = ?', gin)).toEqual([{ latest_cost: COST, updated_seq: 1 }]);
  });
});

describe('credit notes and refunds fold the sale’s on-costs into the returned product cost', () => {
  it('return to stock: a refund of a £10.00 + £3.20 sale posts one £13.20 debit to stock and one credit to cost of sales', async () => {
    await receive(gin, 4);
    const sale = await sell(gin, 1);
    const refund = await s.call('operations.refund', { idempotencyKey: key(), kind: 'sales_credit_note', documentId: sale.documentId!, returnToStock: true });
    expect(await ocOf(refund.firstSeq!)).toEqual(carried(COST, ON_COSTS));
    await post();
    expect(await rows("SELECT account, amount FROM journal_lines WHERE movement_type = 'sales_credit_note' ORDER BY amount DESC")).toEqual([
      { account: ACC.stock, amount: 132_000 },
      { account: ACC.cos, amount: -132_000 },
    ]);
    // the credit undoes exactly what the sale charged to cost of sales
    expect((await netFor('stock_despatch', 'sales_credit_note'))[ACC.cos]).toBeUndefined();
  });

  it('return to stock false: the value-only credit posts £13.20 to the credit-note reason account against cost of sales', async () => {
    await receive(gin, 4);
    const sale = await sell(gin, 2);
    await s.call('operations.refund', { idempotencyKey: key(), kind: 'sales_credit_note', documentId: sale.documentId!, returnToStock: false, lines: [{ seq: sale.firstSeq!, qty: 1 }] });
    await post();
    expect(await rows("SELECT account, amount FROM journal_lines WHERE movement_type = 'sales_credit_note' ORDER BY amount DESC")).toEqual([
      { account: ACC.creditReason, amount: 132_000 },
      { account: ACC.cos, amount: -132_000 },
    ]);
  });

  it('a value-only credit posts as the credit recorded: a Sales Order Credit Note of a sale, not a Sale Refund', async () => {
    await receive(gin, 4);
    const sale = await s.call('operations.despatch', { idempotencyKey: key(), kind: 'sale', siteId: s.ids.wh, lines: [{ productId: gin, qty: 3 }] });
    await s.call('operations.refund', { idempotencyKey: key(), kind: 'sales_credit_note', documentId: sale.documentId!, returnToStock: false, lines: [{ seq: sale.firstSeq!, qty: 1 }] });
    await s.call('operations.refund', { idempotencyKey: key(), kind: 'sale_refund', documentId: sale.documentId!, returnToStock: false, lines: [{ seq: sale.firstSeq!, qty: 1 }] });
    await post();
    expect(await netFor('sales_credit_note')).toEqual({ [ACC.creditReason]: 132_000, [ACC.cos]: -132_000 });
    expect(await netFor('sale_refund')).toEqual({ [ACC.creditReason]: 132_000, [ACC.cos]: -132_000 });
    expect(await rows('SELECT movement_type AS type, COUNT(DISTINCT entry_no) AS entries FROM journal_lines WHERE movement_type LIKE ? GROUP BY movement_type ORDER BY 1', 'sale%')).toEqual([
      { type: 'sale', entries: 1 },
      { type: 'sale_refund', entries: 1 },
      { type: 'sales_credit_note', entries: 1 },
    ]);
  });

  it('where the product group posts no on-costs, the credit returns the product cost only, as the sale charged', async () => {
    await receive(tonic, 2);
    const sale = await sell(tonic, 1);
    await s.call('operations.refund', { idempotencyKey: key(), kind: 'sale_refund', documentId: sale.documentId!, returnToStock: true });
    await post();
    expect(await netFor('sale_refund')).toEqual({ [ACC.stock]: COST, [ACC.cos]: -COST });
    expect(await netFor('stock_despatch')).toEqual({ [ACC.stock]: -COST, [ACC.cos]: COST });
  });
});

describe('stock transfers carry the dispatching site’s on-costs and post them only where the product group says so', () => {
  it('both legs carry them; the receiving site sells them on; the out leg posts the recoveries for the group that posts on-costs', async () => {
    await receive(gin, 6);
    const t = await s.call('operations.transfer', { idempotencyKey: key(), fromSiteId: s.ids.wh, toSiteId: s.ids.shop, lines: [{ productId: gin, qty: 2 }] });
    expect(await ocOf(t.firstSeq!)).toEqual(carried(COST, ON_COSTS));
    expect(await ocOf(t.lastSeq!)).toEqual(carried(COST, ON_COSTS));
    expect(await ocOf((await sell(gin, 1, s.ids.shop)).firstSeq!)).toEqual(carried(COST, ON_COSTS));
    await post();
    const { delivery, ...toStock } = ON_COSTS;
    expect(await netFor('transfer_out')).toEqual({
      [ACC.transfer]: 2 * COST,
      [ACC.stock]: -2 * COST + 2 * Object.values(toStock).reduce((s, v) => s + v, 0),
      [ACC.delivery]: 2 * delivery,
      ...Object.fromEntries(Object.entries(RECOVERY).map(([k, acc]) => [acc, -2 * ON_COSTS[k as keyof typeof ON_COSTS]])),
    });
  });

  it('a product whose group does not post on-costs: the transfer moves them, but posts only its product cost', async () => {
    await receive(tonic, 6);
    const t = await s.call('operations.transfer', { idempotencyKey: key(), fromSiteId: s.ids.wh, toSiteId: s.ids.shop, lines: [{ productId: tonic, qty: 2 }] });
    expect(await ocOf(t.firstSeq!)).toEqual(carried(COST, ON_COSTS));
    await post();
    expect(await netFor('transfer_out')).toEqual({ [ACC.transfer]: 2 * COST, [ACC.stock]: -2 * COST });
  });

});

describe('Work in Progress over production', () => {
  /** What each recovery account is credited for `qty` bottles carrying ON_COSTS. */
  const recovered = (qty: number) => Object.fromEntries(Object.entries(RECOVERY).map(([k, acc]) => [acc, -qty * ON_COSTS[k as keyof typeof ON_COSTS]]));
  const total = Object.values(ON_COSTS).reduce((sum, v) => sum + v, 0);

  it('made by the production operation at an exact cost, it nets to zero; at a rounded per-unit cost the report says by how much and why', async () => {
    const made = await product('SPRITZ', 'Spritz jug', 'Made', null);
    await receive(gin, 10);
    // The components carry their on-costs (README "On-costs", recipe components), so the jugs cost (£10.00 + £3.20) × 4 / 2
    // and the on-costs come into Work in Progress from their recoveries, as a sale takes them to cost of sales.
    const jugs = await s.call('operations.produce', { idempotencyKey: key(), kind: 'work_order', siteId: s.ids.wh, output: { productId: made, qty: 2 }, components: [{ productId: gin, qty: 4 }] });
    expect([await ocOf(jugs.firstSeq!), await ocOf(jugs.lastSeq!)]).toEqual([carried(COST, ON_COSTS), carried(264_000, {})]);
    const exact = await post();
    expect(exact.balanced).toBe(true);
    expect(await netFor('work_order_consumption', 'work_order_production')).toEqual({ [ACC.stock]: 4 * total, ...recovered(4) });
    expect(reportMessage(exact, formatJournalMoney)).not.toMatch(/Production accounts/);
    // 1 bottle of £13.20 into 7 jugs: £1.8857 a jug (£13.1999), so 1/10000 stays in Work in Progress.
    await s.call('operations.produce', { idempotencyKey: key(), kind: 'work_order', siteId: s.ids.wh, output: { productId: made, qty: 7 }, components: [{ productId: gin, qty: 1 }] });
    const rounded = await post();
    expect(await netFor('work_order_consumption', 'work_order_production')).toEqual({ [ACC.stock]: 5 * total - 1, [ACC.wip]: 1, ...recovered(5) });
    expect(reportMessage(rounded, formatJournalMoney)).toMatch(/2400 Work in Progress £0\.0001\..*per-unit cost/); // the text report's message, exact
  });

  it("a preparation from a product whose group posts no on-costs: the made stock's cost still includes them, so they still come into Work in Progress and it nets to zero", async () => {
    const made = await product('TONIC-JUG', 'Tonic jug', 'Made', null);
    await receive(tonic, 4);
    const jugs = await s.call('operations.produce', { idempotencyKey: key(), kind: 'product_preparation', siteId: s.ids.wh, output: { productId: made, qty: 4 }, components: [{ productId: tonic, qty: 2 }] });
    expect([await ocOf(jugs.firstSeq!), await ocOf(jugs.lastSeq!)]).toEqual([carried(COST, ON_COSTS), carried(66_000, {})]);
    const r = await post();
    expect(r.balanced).toBe(true);
    expect(await netFor('product_preparation')).toEqual({ [ACC.stock]: 2 * total, ...recovered(2) });
    expect(reportMessage(r, formatJournalMoney)).not.toMatch(/Production accounts/);
  });
});

describe('production on the single-site shop chart', () => {
  it('Kitchen Production keeps the on-costs of a group that posts none, which the made stock absorbs, and the report says so, not rounding', async () => {
    await s.call('posting.loadPreset', { preset: 'single-site-shop' });
    const made = await product('TONIC-JUG', 'Tonic jug', 'Made', null);
    await receive(tonic, 4);
    await receive(gin, 4);
    // 2 tonics (£10.00 + £3.20 on-costs each; their group posts none) and 1 gin (the same; its group posts them) into 3
    // jugs: £39.60 / 3 = £13.20 a jug, exact.
    await s.call('operations.produce', { idempotencyKey: key(), kind: 'work_order', siteId: s.ids.wh, output: { productId: made, qty: 3 }, components: [{ productId: tonic, qty: 2 }, { productId: gin, qty: 1 }] });
    const r = await post();
    expect(r.balanced).toBe(true);
    const total = Object.values(ON_COSTS).reduce((sum, v) => sum + v, 0);
    // Stock: 2 tonics out at £10.00 (their on-costs never came into it), 1 gin at £13.20; 3 jugs in at £13.20.
    expect(await netFor('work_order_consumption', 'work_order_production')).toEqual({ '1000': 2 * total, '5200': -2 * total });
    // Stock is no production account (other movements post to it); the note names 5200 as absorbing, not as rounding.
    const note = reportMessage(r, formatJournalMoney);
    expect(note).not.toMatch(/Production accounts|1000 Stock/);
    expect(note).toMatch(/Production costs absorbed into made stock by this batch: 5200 Kitchen Production -£6\.4000\./);
  });
});
