import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { createWorkerContext } from '../ledger/worker-context';
import { operationsOps, type OperationsOps } from '../operations/operations.ops';
import { runPosting } from './batch-runner';
import { PostingStore } from './posting-store';
import { BuiltinLedgerTarget } from './targets/builtin-ledger';
import { asUser } from '../../test/fixtures/caller';

/**
 * Issue 13, on-costs (seed 004): stock leaves carrying the on-costs it came in with, the recoveries of 004's table
 * are posted, credits fold them back into one product-cost pair, transfers post them only where the product group
 * says so, and Work in Progress nets to zero over production. Through the real operations and the real posting.
 */
let f: Fixture;
let o: OperationsOps;
let store: PostingStore;
let target: BuiltinLedgerTarget;
let gin: number; // group posts on-costs
let tonic: number; // group does not
let n = 0;
const key = () => `oncost-test-${process.pid}-${++n}`;

/** £10.00 a bottle plus £3.20 of on-costs a bottle, one of each recovery of 004's despatch table. */
const ON_COSTS = { insurance: 1_000, freight: 4_000, excise: 12_000, customs: 5_000, rhd: 3_000, rent: 2_000, delivery: 5_000 };
const COST = 100_000;
const ACC = { stock: '1200', grn: '2100', customsRec: '2200', exciseRec: '2210', insuranceRec: '2220', freightRec: '2230', rhdRec: '2240', rentRec: '2250', deliveryRec: '2260', transfer: '2300', wip: '2400', cos: '5000', creditReason: '5020', delivery: '5100' };
const RECOVERY = { insurance: ACC.insuranceRec, freight: ACC.freightRec, excise: ACC.exciseRec, customs: ACC.customsRec, rhd: ACC.rhdRec, rent: ACC.rentRec, delivery: ACC.deliveryRec };

const rows = (sql: string, ...args: unknown[]) => f.ledger.db.prepare(sql).all(...args) as Record<string, unknown>[];
const ocOf = (seq: number) =>
  f.ledger.db.prepare('SELECT unit_cost, oc_insurance, oc_freight, oc_excise, oc_customs, oc_rhd, oc_rent, oc_delivery, oc_labour, oc_overhead FROM movements WHERE seq = ?').get(seq);
const carried = (unitCost: number, oc: Partial<Record<string, number>>) => ({
  unit_cost: unitCost,
  oc_insurance: oc.insurance ?? 0, oc_freight: oc.freight ?? 0, oc_excise: oc.excise ?? 0, oc_customs: oc.customs ?? 0, oc_rhd: oc.rhd ?? 0,
  oc_rent: oc.rent ?? 0, oc_delivery: oc.delivery ?? 0, oc_labour: oc.labour ?? 0, oc_overhead: oc.overhead ?? 0,
});
/** account → net amount posted for movements (or value credits) of these types */
const netFor = (...types: string[]) =>
  Object.fromEntries(
    (rows(`SELECT account, SUM(amount) AS a FROM journal_lines WHERE movement_type IN (${types.map(() => '?').join(',')}) GROUP BY account HAVING a <> 0 ORDER BY account`, ...types) as { account: string; a: number }[]).map((r) => [r.account, r.a]),
  );
const post = () => runPosting(store, target, { to: Date.now() + 60_000, summarised: false, userId: f.ids.admin });
const receive = (productId: number, qty: number, siteId = f.ids.wh) =>
  o['operations.receive']({ idempotencyKey: key(), kind: 'stock_receipt', siteId, dutyPaid: false, lines: [{ productId, qty, unitCost: COST, onCosts: ON_COSTS }] }, asUser(f.ids.admin));
const sell = (productId: number, qty: number, siteId = f.ids.wh) => o['operations.despatch']({ idempotencyKey: key(), kind: 'stock_despatch', siteId, lines: [{ productId, qty }] }, asUser(f.ids.admin));

beforeEach(async () => {
  f = await openFixture();
  const r = f.ledger.reference;
  gin = r.addProduct({ sku: 'GIN-70', name: 'London gin 70cl', stockType: 'Supplied', groupId: r.addGroup('SPIRITS', 'Spirits', true) });
  tonic = r.addProduct({ sku: 'TONIC-20', name: 'Tonic 20cl', stockType: 'Supplied', groupId: r.addGroup('MIXERS', 'Mixers', false) });
  o = operationsOps(createWorkerContext(f.ledger, () => {}));
  store = new PostingStore(f.ledger.db);
  target = new BuiltinLedgerTarget(store);
});
afterEach(async () => {
  expect(f.ledger.verify().ok).toBe(true);
  await f.cleanup();
});

describe('on-costs carried by outgoing stock', () => {
  it('a despatch carries the per-unit on-costs of the stock at its site, and posts each to cost of sales against its recovery', async () => {
    receive(gin, 10);
    const sale = sell(gin, 3);
    expect(ocOf(sale.firstSeq!)).toEqual(carried(COST, ON_COSTS));
    const r = await post();
    expect(r.balanced).toBe(true);
    const total = Object.values(ON_COSTS).reduce((s, v) => s + v, 0);
    expect(total).toBe(32_000);
    expect(netFor('stock_despatch')).toEqual({
      [ACC.stock]: -3 * COST,
      [ACC.cos]: 3 * (COST + total),
      ...Object.fromEntries(Object.entries(RECOVERY).map(([k, acc]) => [acc, -3 * ON_COSTS[k as keyof typeof ON_COSTS]])),
    });
  });

  it('the on-costs follow the latest cost at the site: a later receipt without on-costs carries none out', () => {
    receive(gin, 5);
    o['operations.receive']({ idempotencyKey: key(), kind: 'stock_receipt', siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: gin, qty: 5, unitCost: 90_000 }] }, asUser(f.ids.admin));
    expect(ocOf(sell(gin, 2).firstSeq!)).toEqual(carried(90_000, {}));
  });

  it("a recipe sale's components and a PO return carry their stock's on-costs", () => {
    const rice = { freight: 7, excise: 3 };
    const got = o['operations.receive']({ idempotencyKey: key(), kind: 'stock_receipt', siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.bulk, qty: 5_000, unitCost: 25_000, onCosts: rice }] }, asUser(f.ids.admin));
    const risotto = o['operations.despatch']({ idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.recipe, qty: 2 }] }, asUser(f.ids.admin));
    expect(rows('SELECT product_id, qty FROM movements WHERE seq = ?', risotto.firstSeq!)).toEqual([{ product_id: f.ids.bulk, qty: -240 }]);
    expect(ocOf(risotto.firstSeq!)).toEqual(carried(25_000, rice));
    const back = o['operations.reverseReceipt']({ idempotencyKey: key(), kind: 'po_stock_return', documentId: got.documentId!, lines: [{ seq: got.firstSeq!, qty: 1_000 }] }, asUser(f.ids.admin));
    expect(ocOf(back.firstSeq!)).toEqual(carried(25_000, rice));
  });

  it('a bin move carries them on both legs', () => {
    o['operations.receive']({ idempotencyKey: key(), kind: 'stock_receipt', siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: gin, qty: 3, binId: f.ids.binA, unitCost: COST, onCosts: ON_COSTS }] }, asUser(f.ids.admin));
    const t = o['operations.internalTransfer']({ idempotencyKey: key(), siteId: f.ids.wh, lines: [{ productId: gin, qty: 2, fromBinId: f.ids.binA, toBinId: f.ids.binB }] }, asUser(f.ids.admin));
    expect([ocOf(t.firstSeq!), ocOf(t.lastSeq!)]).toEqual([carried(COST, ON_COSTS), carried(COST, ON_COSTS)]);
  });

  it('a refused despatch writes nothing and leaves the cost state as it was', () => {
    receive(gin, 1);
    const before = rows('SELECT COUNT(*) AS n FROM movements');
    expect(() => sell(gin, 2)).toThrow(/not enough GIN-70/);
    expect(rows('SELECT COUNT(*) AS n FROM movements')).toEqual(before);
    expect(rows('SELECT latest_cost, updated_seq FROM cost_state WHERE product_id = ?', gin)).toEqual([{ latest_cost: COST, updated_seq: 1 }]);
  });
});

describe('credit notes and refunds fold the sale’s on-costs into the returned product cost', () => {
  it('return to stock: a refund of a £10.00 + £3.20 sale posts one £13.20 debit to stock and one credit to cost of sales', async () => {
    receive(gin, 4);
    const sale = sell(gin, 1);
    const refund = o['operations.refund']({ idempotencyKey: key(), kind: 'sales_credit_note', documentId: sale.documentId!, returnToStock: true }, asUser(f.ids.admin));
    expect(ocOf(refund.firstSeq!)).toEqual(carried(COST, ON_COSTS));
    await post();
    expect(rows("SELECT account, amount FROM journal_lines WHERE movement_type = 'sales_credit_note' ORDER BY amount DESC")).toEqual([
      { account: ACC.stock, amount: 132_000 },
      { account: ACC.cos, amount: -132_000 },
    ]);
    // the credit undoes exactly what the sale charged to cost of sales
    expect(netFor('stock_despatch', 'sales_credit_note')[ACC.cos]).toBeUndefined();
  });

  it('return to stock false: the value-only credit posts £13.20 to the credit-note reason account against cost of sales', async () => {
    receive(gin, 4);
    const sale = sell(gin, 2);
    o['operations.refund']({ idempotencyKey: key(), kind: 'sales_credit_note', documentId: sale.documentId!, returnToStock: false, lines: [{ seq: sale.firstSeq!, qty: 1 }] }, asUser(f.ids.admin));
    await post();
    expect(rows("SELECT account, amount FROM journal_lines WHERE movement_type = 'sales_credit_note' ORDER BY amount DESC")).toEqual([
      { account: ACC.creditReason, amount: 132_000 },
      { account: ACC.cos, amount: -132_000 },
    ]);
  });

  it('a value-only credit posts as the credit recorded: a Sales Order Credit Note of a sale, not a Sale Refund', async () => {
    receive(gin, 4);
    const sale = o['operations.despatch']({ idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: gin, qty: 3 }] }, asUser(f.ids.admin));
    o['operations.refund']({ idempotencyKey: key(), kind: 'sales_credit_note', documentId: sale.documentId!, returnToStock: false, lines: [{ seq: sale.firstSeq!, qty: 1 }] }, asUser(f.ids.admin));
    o['operations.refund']({ idempotencyKey: key(), kind: 'sale_refund', documentId: sale.documentId!, returnToStock: false, lines: [{ seq: sale.firstSeq!, qty: 1 }] }, asUser(f.ids.admin));
    await post();
    expect(netFor('sales_credit_note')).toEqual({ [ACC.creditReason]: 132_000, [ACC.cos]: -132_000 });
    expect(netFor('sale_refund')).toEqual({ [ACC.creditReason]: 132_000, [ACC.cos]: -132_000 });
    expect(rows('SELECT movement_type AS type, COUNT(DISTINCT entry_no) AS entries FROM journal_lines WHERE movement_type LIKE ? GROUP BY movement_type ORDER BY 1', 'sale%')).toEqual([
      { type: 'sale', entries: 1 },
      { type: 'sale_refund', entries: 1 },
      { type: 'sales_credit_note', entries: 1 },
    ]);
  });

  it('where the product group posts no on-costs, the credit returns the product cost only, as the sale charged', async () => {
    receive(tonic, 2);
    const sale = sell(tonic, 1);
    o['operations.refund']({ idempotencyKey: key(), kind: 'sale_refund', documentId: sale.documentId!, returnToStock: true }, asUser(f.ids.admin));
    await post();
    expect(netFor('sale_refund')).toEqual({ [ACC.stock]: COST, [ACC.cos]: -COST });
    expect(netFor('stock_despatch')).toEqual({ [ACC.stock]: -COST, [ACC.cos]: COST });
  });
});

describe('stock transfers carry the dispatching site’s on-costs and post them only where the product group says so', () => {
  it('both legs carry them; the receiving site sells them on; the out leg posts the recoveries for the group that posts on-costs', async () => {
    receive(gin, 6);
    const t = o['operations.transfer']({ idempotencyKey: key(), fromSiteId: f.ids.wh, toSiteId: f.ids.shop, lines: [{ productId: gin, qty: 2 }] }, asUser(f.ids.admin));
    expect(ocOf(t.firstSeq!)).toEqual(carried(COST, ON_COSTS));
    expect(ocOf(t.lastSeq!)).toEqual(carried(COST, ON_COSTS));
    expect(ocOf(sell(gin, 1, f.ids.shop).firstSeq!)).toEqual(carried(COST, ON_COSTS));
    await post();
    const { delivery, ...toStock } = ON_COSTS;
    expect(netFor('transfer_out')).toEqual({
      [ACC.transfer]: 2 * COST,
      [ACC.stock]: -2 * COST + 2 * Object.values(toStock).reduce((s, v) => s + v, 0),
      [ACC.delivery]: 2 * delivery,
      ...Object.fromEntries(Object.entries(RECOVERY).map(([k, acc]) => [acc, -2 * ON_COSTS[k as keyof typeof ON_COSTS]])),
    });
  });

  it('a product whose group does not post on-costs: the transfer moves them, but posts only its product cost', async () => {
    receive(tonic, 6);
    const t = o['operations.transfer']({ idempotencyKey: key(), fromSiteId: f.ids.wh, toSiteId: f.ids.shop, lines: [{ productId: tonic, qty: 2 }] }, asUser(f.ids.admin));
    expect(ocOf(t.firstSeq!)).toEqual(carried(COST, ON_COSTS));
    await post();
    expect(netFor('transfer_out')).toEqual({ [ACC.transfer]: 2 * COST, [ACC.stock]: -2 * COST });
  });

  it("004's Stock Transfer (Out) posts on-costs by the product group too", async () => {
    receive(gin, 1);
    receive(tonic, 1);
    const leg = (productId: number, siteId: number, type: 'stock_transfer_out' | 'stock_transfer_in', qty: number) =>
      ({ productId, siteId, type, qty, unitCost: COST, costSource: 'dispatching_site' as const, onCosts: { freight: 500 } });
    f.ledger.poster.post(f.doc('transfer', [leg(gin, f.ids.wh, 'stock_transfer_out', -1), leg(tonic, f.ids.wh, 'stock_transfer_out', -1), leg(gin, f.ids.shop, 'stock_transfer_in', 1), leg(tonic, f.ids.shop, 'stock_transfer_in', 1)]), f.ids.admin);
    await post();
    expect(netFor('stock_transfer_out')).toEqual({ [ACC.stock]: 500, [ACC.freightRec]: -500 });
  });
});

describe('Work in Progress over production', () => {
  it('nets to zero: components in, labour and overhead absorbed in, the made stock out at product cost plus both', async () => {
    const made = f.ledger.reference.addProduct({ sku: 'HAMPER', name: 'Gift hamper', stockType: 'Made' });
    receive(gin, 4);
    f.ledger.poster.post(
      f.doc('production', [
        { productId: gin, siteId: f.ids.wh, type: 'work_order_consumption', qty: -2 },
        { productId: made, siteId: f.ids.wh, type: 'work_order_production', qty: 1, unitCost: 2 * COST, onCosts: { labour: 15_000, overhead: 6_000 } },
      ]),
      f.ids.admin,
    );
    const r = await post();
    expect(netFor('work_order_consumption', 'work_order_production')).toEqual({ [ACC.stock]: 21_000, '2270': -15_000, '2280': -6_000 });
    expect(r.message).not.toMatch(/Production accounts/);
  });

  it('made by the production operation at an exact cost, it nets to zero; at a rounded per-unit cost the report says by how much and why', async () => {
    const made = f.ledger.reference.addProduct({ sku: 'SPRITZ', name: 'Spritz jug', stockType: 'Made' });
    receive(gin, 10);
    o['operations.produce']({ idempotencyKey: key(), kind: 'work_order', siteId: f.ids.wh, output: { productId: made, qty: 2 }, components: [{ productId: gin, qty: 4 }] }, asUser(f.ids.admin));
    const exact = await post();
    expect(netFor('work_order_consumption', 'work_order_production')).toEqual({});
    expect(exact.message).not.toMatch(/Production accounts/);
    // 1 bottle of £10.00 into 3 jugs: £3.3333 a jug, so the jugs are worth £9.9999
    o['operations.produce']({ idempotencyKey: key(), kind: 'work_order', siteId: f.ids.wh, output: { productId: made, qty: 3 }, components: [{ productId: gin, qty: 1 }] }, asUser(f.ids.admin));
    const rounded = await post();
    expect(netFor('work_order_consumption', 'work_order_production')).toEqual({ [ACC.stock]: -1, [ACC.wip]: 1 });
    expect(rounded.message).toMatch(/2400 Work in Progress 0\.0001 GBP.*per-unit cost/);
  });
});
