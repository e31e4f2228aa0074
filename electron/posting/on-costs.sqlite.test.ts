import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { createWorkerContext } from '../ledger/worker-context';
import { operationsOps, type OperationsOps } from '../operations/operations.ops';
import { runPosting } from './batch-runner';
import { PostingStore } from './posting-store';
import { BuiltinLedgerTarget } from './targets/builtin-ledger';
import { ACC, COST, ON_COSTS } from '../../test/fixtures/on-costs-figures';
import { asUser } from '../../test/fixtures/caller';

/**
 * Issue 13, on-costs (seed 004): stock leaves carrying the on-costs it came in with, the recoveries of 004's table
 * are posted, credits fold them back into one product-cost pair, transfers post them only where the product group
 * says so, and Work in Progress nets to zero over production. Through the real operations and the real posting.
 * SQLite only: these post raw documents through the SQLite poster (004's stock_transfer_out legs, a production with
 * labour and overhead absorbed), movement types no contract operation makes; the rest is on both stores in on-costs.test.ts.
 */
let f: Fixture;
let o: OperationsOps;
let store: PostingStore;
let target: BuiltinLedgerTarget;
let gin: number; // group posts on-costs
let tonic: number; // group does not
let n = 0;
const key = () => `oncost-test-${process.pid}-${++n}`;


const rows = (sql: string, ...args: unknown[]) => f.ledger.db.prepare(sql).all(...args) as Record<string, unknown>[];
/** account → net amount posted for movements (or value credits) of these types */
const netFor = (...types: string[]) =>
  Object.fromEntries(
    (rows(`SELECT account, SUM(amount) AS a FROM journal_lines WHERE movement_type IN (${types.map(() => '?').join(',')}) GROUP BY account HAVING a <> 0 ORDER BY account`, ...types) as { account: string; a: number }[]).map((r) => [r.account, r.a]),
  );
const post = () => runPosting(store, target, { to: Date.now() + 60_000, summarised: false, userId: f.ids.admin });
const receive = (productId: number, qty: number, siteId = f.ids.wh) =>
  o['operations.receive']({ idempotencyKey: key(), kind: 'stock_receipt', siteId, dutyPaid: false, lines: [{ productId, qty, unitCost: COST, onCosts: ON_COSTS }] }, asUser(f.ids.admin));

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

describe('stock transfers post on-costs only where the product group says so', () => {
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
  it('nets to zero: components and their on-costs in, labour and overhead absorbed in, the made stock out at product cost plus all', async () => {
    const made = f.ledger.reference.addProduct({ sku: 'HAMPER', name: 'Gift hamper', stockType: 'Made' });
    receive(gin, 4);
    // The consumed gin carries its on-costs (£3.20 a bottle, from its receipt), so the hamper is made at 2 × £13.20.
    const total = Object.values(ON_COSTS).reduce((sum, v) => sum + v, 0);
    f.ledger.poster.post(
      f.doc('production', [
        { productId: gin, siteId: f.ids.wh, type: 'work_order_consumption', qty: -2 },
        { productId: made, siteId: f.ids.wh, type: 'work_order_production', qty: 1, unitCost: 2 * (COST + total), onCosts: { labour: 15_000, overhead: 6_000 } },
      ]),
      f.ids.admin,
    );
    const r = await post();
    expect(netFor('work_order_consumption', 'work_order_production')).toEqual({
      [ACC.stock]: 2 * total + 21_000,
      [ACC.insuranceRec]: -2 * ON_COSTS.insurance, [ACC.freightRec]: -2 * ON_COSTS.freight, [ACC.exciseRec]: -2 * ON_COSTS.excise, [ACC.customsRec]: -2 * ON_COSTS.customs,
      [ACC.rhdRec]: -2 * ON_COSTS.rhd, [ACC.rentRec]: -2 * ON_COSTS.rent, [ACC.deliveryRec]: -2 * ON_COSTS.delivery,
      '2270': -15_000, '2280': -6_000,
    });
    expect(r.message).not.toMatch(/Production accounts/);
  });
});
