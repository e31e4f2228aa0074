import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { draftCreateSchema, draftUpdateSchema } from '../../shared/contract/operations.schemas';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { createWorkerContext } from '../ledger/worker-context';
import { operationsOps, type OperationsOps } from '../operations/operations.ops';
import { runPosting } from './batch-runner';
import { PostingStore } from './posting-store';
import { BuiltinLedgerTarget } from './targets/builtin-ledger';
import { asUser } from '../../test/fixtures/caller';

/**
 * Seed 004, "Duty Paid Stock": stock brought in through the Stock Adjustment window with "Duty Paid" ticked posts its
 * on-costs, "added together for a single debit and a single credit" with the product cost (Dr Stock / Cr Cost of Sales);
 * not duty paid, the product cost alone. An adjustment out (qty < 0) posts its product cost, Dr Cost of Sales / Cr Stock,
 * duty paid or not: the seed's duty-paid rule is about stock coming in. Through a real adjustment draft and real posting.
 */
let f: Fixture;
let o: OperationsOps;
let store: PostingStore;
let gin: number;
let n = 0;
const key = () => `dutypaid-test-${process.pid}-${++n}`;
const STOCK = '1200';
const COS = '5000';
/** £10.00 a bottle with £3.20 of on-costs a bottle (excise £1.20, freight £0.40, customs £0.50, rhd £0.30, rent £0.20, delivery £0.50, insurance £0.10) */
const ON_COSTS = { insurance: 1_000, freight: 4_000, excise: 12_000, customs: 5_000, rhd: 3_000, rent: 2_000, delivery: 5_000 };

beforeEach(async () => {
  f = await openFixture();
  const r = f.ledger.reference;
  gin = r.addProduct({ sku: 'GIN-70', name: 'London gin 70cl', stockType: 'Supplied', groupId: r.addGroup('SPIRITS', 'Spirits', true) });
  o = operationsOps(createWorkerContext(f.ledger, () => {}));
  store = new PostingStore(f.ledger.db);
  // 10 bottles at £10.00 + £3.20 on-costs: the site's latest cost and on-costs, which an adjustment takes
  o['operations.receive']({ idempotencyKey: key(), kind: 'stock_receipt', siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: gin, qty: 10, unitCost: 100_000, onCosts: ON_COSTS }] }, asUser(f.ids.admin));
});
afterEach(async () => {
  expect(f.ledger.verify().ok).toBe(true);
  await f.cleanup();
});

/** A posted draft of two lines: 3 bottles found, 2 bottles broken. */
function adjust(dutyPaid: boolean): number {
  const d = o['operations.draftCreate'](draftCreateSchema.parse({ name: `Cellar check ${n}`, siteId: f.ids.wh, effectiveAt: new Date().toISOString(), dutyPaid }), asUser(f.ids.admin));
  expect(d.dutyPaid).toBe(dutyPaid);
  o['operations.draftSaveLine']({ draftId: d.id, productId: gin, qty: 3, reason: 'found' });
  o['operations.draftSaveLine']({ draftId: d.id, productId: gin, qty: -2, reason: 'damage' });
  return o['operations.draftPost']({ draftId: d.id, idempotencyKey: key() }, asUser(f.ids.admin)).documentId!;
}
/** The journal lines of one document's movements, in the order posted: [movement type, account, amount]. */
const journalOf = (documentId: number) =>
  (f.ledger.db
    .prepare('SELECT j.movement_type AS t, j.account AS a, j.amount AS v FROM journal_lines j JOIN movements m ON m.seq = j.movement_seq WHERE m.document_id = ? ORDER BY j.id')
    .all(documentId) as { t: string; a: string; v: number }[]).map((l) => [l.t, l.a, l.v]);
const post = () => runPosting(store, new BuiltinLedgerTarget(store), { to: Date.now() + 60_000, summarised: false, userId: f.ids.admin });

describe('duty-paid stock adjustments (seed 004)', () => {
  it('duty paid: stock in posts product cost and on-costs as ONE pair, Dr Stock £39.60 / Cr Cost of Sales; stock out its product cost only', async () => {
    const doc = adjust(true);
    expect(f.ledger.db.prepare('SELECT duty_paid AS d FROM operation_documents WHERE document_id = ?').get(doc)).toEqual({ d: 1 });
    expect(f.ledger.db.prepare('SELECT type, qty, unit_cost AS c, oc_excise AS x FROM movements WHERE document_id = ? ORDER BY seq').all(doc)).toEqual([
      { type: 'stock_adjustment_in', qty: 3, c: 100_000, x: 12_000 },
      { type: 'stock_adjustment_out', qty: -2, c: 100_000, x: 12_000 },
    ]);
    await post();
    expect(journalOf(doc)).toEqual([
      ['stock_adjustment_in', STOCK, 396_000], // 3 × (£10.00 + £3.20)
      ['stock_adjustment_in', COS, -396_000],
      ['stock_adjustment_out', COS, 200_000], // 2 × £10.00
      ['stock_adjustment_out', STOCK, -200_000],
    ]);
  });

  it('not duty paid: the draft stays an inventory adjustment, stock in at its product cost only (Dr Stock £30.00 / Cr Stock Variance)', async () => {
    // a draft ticked, then unticked before posting, is not duty paid
    const d = o['operations.draftCreate'](draftCreateSchema.parse({ name: 'Changed mind', siteId: f.ids.wh, effectiveAt: new Date().toISOString(), dutyPaid: true }), asUser(f.ids.admin));
    expect(o['operations.draftUpdate'](draftUpdateSchema.parse({ draftId: d.id, dutyPaid: false })).dutyPaid).toBe(false);
    expect(o['operations.draftUpdate'](draftUpdateSchema.parse({ draftId: d.id, name: 'Changed mind again' })).dutyPaid).toBe(false);
    o['operations.draftSaveLine']({ draftId: d.id, productId: gin, qty: 3, reason: 'found' });
    const doc = o['operations.draftPost']({ draftId: d.id, idempotencyKey: key() }, asUser(f.ids.admin)).documentId!;
    expect(f.ledger.db.prepare('SELECT duty_paid AS d FROM operation_documents WHERE document_id = ?').get(doc)).toEqual({ d: 0 });
    await post();
    // an unticked draft stays seed 003's inventory adjustment: Dr Stock / Cr Stock Variance, product cost only
    expect(journalOf(doc)).toEqual([
      ['inventory_adjustment', STOCK, 300_000],
      ['inventory_adjustment', '5200', -300_000],
    ]);
  });

  it('a duty-paid draft is listed and resumed with its box ticked, and still shows in the adjustment history', () => {
    const doc = adjust(true);
    const posted = o['operations.draftList']({ status: 'posted' }).find((d) => d.documentId === doc)!;
    expect(posted.dutyPaid).toBe(true);
    expect(o['operations.draftGet']({ draftId: posted.id }).dutyPaid).toBe(true);
    expect(o['operations.adjustmentHistory']({ limit: 10, offset: 0 }).map((h) => [h.documentId, h.lines.map((l) => l.qty)])).toContainEqual([doc, [3, -2]]);
  });
});
