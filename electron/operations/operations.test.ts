import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { openFixture, tableCounts, type Fixture } from '../../test/fixtures/ledger';
import { createWorkerContext } from '../ledger/worker-context';
import { operationsOps, type OperationsOps } from './operations.ops';
import { asUser } from '../../test/fixtures/caller';

let f: Fixture;
let o: OperationsOps;
let n = 0;
const key = () => `ops-test-${process.pid}-${++n}`;
const events: { event: string; payload: unknown }[] = [];

function expectRefused(fn: () => unknown, code: string, pattern: RegExp) {
  const before = tableCounts(f.ledger);
  try {
    fn();
    throw new Error('expected a refusal');
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe(code);
    expect((e as AppError).message).toMatch(pattern);
  }
  expect(tableCounts(f.ledger)).toEqual(before);
}
const rows = (sql: string, ...args: unknown[]) => f.ledger.db.prepare(sql).all(...args) as Record<string, unknown>[];
const onHand = (productId: number, siteId: number) =>
  (f.ledger.db.prepare('SELECT COALESCE(SUM(qty), 0) AS q FROM stock_levels WHERE product_id = ? AND site_id = ?').get(productId, siteId) as { q: number }).q;

beforeEach(async () => {
  f = await openFixture();
  events.length = 0;
  o = operationsOps(createWorkerContext(f.ledger, (event, payload) => events.push({ event, payload })));
});
afterEach(async () => {
  expect(f.ledger.verify().ok).toBe(true);
  await f.cleanup();
});

const receiveClaret = (batches: { code: string; expiry: string; qty: number; cost?: number }[], occurredAt?: string) =>
  o['operations.receive']({
      idempotencyKey: key(),
      kind: 'supplier_order',
      siteId: f.ids.wh,
      dutyPaid: true,
      ...(occurredAt ? { occurredAt } : {}),
      lines: batches.map((b) => ({ productId: f.ids.lot, qty: b.qty, binId: f.ids.binA, batch: { code: b.code, expiry: b.expiry }, unitCost: b.cost ?? 80_000, onCosts: { freight: 2_000, excise: 22_300 } })),
    }, asUser(f.ids.admin));
const receiveRice = (qty: number, cost = 25_000) =>
  o['operations.receive']({ idempotencyKey: key(), kind: 'cash_purchase', siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.bulk, qty, binId: f.ids.binA, unitCost: cost }] }, asUser(f.ids.admin));

describe('receive', () => {
  it('posts a backdated LOT receipt with declared cost, on-costs and duty-paid, and sets the cost state', () => {
    const when = new Date(Date.now() - 3 * 3600_000).toISOString();
    const r = receiveClaret([{ code: 'L1', expiry: '2030-01-31', qty: 12 }], when);
    expect(r.movementCount).toBe(1);
    const [m] = rows('SELECT type, qty, unit_cost, cost_source, oc_freight, oc_excise, occurred_at FROM movements');
    expect(m).toMatchObject({ type: 'supplier_order', qty: 12, unit_cost: 80_000, cost_source: 'declared', oc_freight: 2_000, oc_excise: 22_300, occurred_at: Date.parse(when) });
    expect(rows('SELECT kind, duty_paid FROM operation_documents')).toEqual([{ kind: 'supplier_order', duty_paid: 1 }]);
    expect(rows('SELECT latest_cost, average_cost FROM cost_state')).toEqual([{ latest_cost: 80_000, average_cost: 80_000 }]);
    expect(events.some((e) => e.event === 'stock.changed')).toBe(true);
  });

  it('splits serial lines one movement per unit, and is idempotent', () => {
    const input = { idempotencyKey: key(), kind: 'stock_receipt' as const, siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.serial, qty: 2, serials: ['S1', 'S2'], unitCost: 5_000 }] };
    const r = o['operations.receive'](input, asUser(f.ids.admin));
    expect(r.movementCount).toBe(2);
    expect(o['operations.receive'](input, asUser(f.ids.admin))).toMatchObject({ replayed: true, documentId: r.documentId });
    expect(rows('SELECT COUNT(*) AS n FROM movements')).toEqual([{ n: 2 }]);
  });

  it('refuses bad input and writes nothing', () => {
    receiveRice(1_000);
    expectRefused(() => o['operations.receive']({ idempotencyKey: key(), kind: 'supplier_order', siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.lot, qty: 1, unitCost: 1 }] }, asUser(f.ids.admin)), 'VALIDATION', /batch and expiry/);
    expectRefused(() => o['operations.receive']({ idempotencyKey: key(), kind: 'supplier_order', siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.serial, qty: 2, serials: ['X'], unitCost: 1 }] }, asUser(f.ids.admin)), 'VALIDATION', /one serial number per unit/);
    expectRefused(
      () =>
        o['operations.receive']({ idempotencyKey: key(), kind: 'supplier_order', siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.bulk, qty: 5, unitCost: 1 }, { productId: 999, qty: 1, unitCost: 1 }] }, asUser(f.ids.admin)),
      'NOT_FOUND',
      /Line 2: the product picked does not exist/,
    );
    expectRefused(() => o['operations.receive']({ idempotencyKey: key(), kind: 'inbound', siteId: f.ids.external, dutyPaid: false, lines: [{ productId: f.ids.bulk, qty: 5, unitCost: 1 }] }, asUser(f.ids.admin)), 'VALIDATION', /External/);
  });

  it('reverses a receipt in part, then the rest, never more than received', () => {
    const r = receiveClaret([{ code: 'L1', expiry: '2030-01-31', qty: 12 }]);
    const seq = r.firstSeq!;
    const rev = o['operations.reverseReceipt']({ idempotencyKey: key(), kind: 'supplier_credit', documentId: r.documentId!, lines: [{ seq, qty: 5 }] }, asUser(f.ids.admin));
    expect(rows('SELECT type, qty, reversal_of, unit_cost, oc_excise FROM movements WHERE document_id = ?', rev.documentId)).toEqual([
      { type: 'supplier_credit', qty: -5, reversal_of: seq, unit_cost: 80_000, oc_excise: 22_300 },
    ]);
    expectRefused(() => o['operations.reverseReceipt']({ idempotencyKey: key(), kind: 'supplier_credit', documentId: r.documentId!, lines: [{ seq, qty: 8 }] }, asUser(f.ids.admin)), 'VALIDATION', /only 7 .* left/);
    o['operations.reverseReceipt']({ idempotencyKey: key(), kind: 'supplier_credit', documentId: r.documentId! }, asUser(f.ids.admin));
    expect(onHand(f.ids.lot, f.ids.wh)).toBe(0);
    expectRefused(() => o['operations.reverseReceipt']({ idempotencyKey: key(), kind: 'supplier_credit', documentId: r.documentId! }, asUser(f.ids.admin)), 'CONFLICT', /already been reversed/);
    expectRefused(() => o['operations.reverseReceipt']({ idempotencyKey: key(), kind: 'ep_po_stock_return', documentId: r.documentId! }, asUser(f.ids.admin)), 'VALIDATION', /no receipt movements/);
  });
});

describe('despatch and refunds', () => {
  it('picks batches first-expiry-first-out across batches, unless the user picks one', () => {
    receiveClaret([
      { code: 'LATE', expiry: '2031-06-30', qty: 10 },
      { code: 'EARLY', expiry: '2030-01-31', qty: 4 },
    ]);
    const d = o['operations.despatch']({ idempotencyKey: key(), kind: 'stock_despatch', siteId: f.ids.wh, lines: [{ productId: f.ids.lot, qty: 6 }] }, asUser(f.ids.admin));
    expect(rows('SELECT b.code, m.qty, m.cost_source FROM movements m JOIN batches b ON b.id = m.batch_id WHERE document_id = ? ORDER BY seq', d.documentId)).toEqual([
      { code: 'EARLY', qty: -4, cost_source: 'latest_at_site' },
      { code: 'LATE', qty: -2, cost_source: 'latest_at_site' },
    ]);
    const picked = o['operations.despatch']({ idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.lot, qty: 1, batch: { code: 'LATE' } }] }, asUser(f.ids.admin));
    expect(rows('SELECT b.code FROM movements m JOIN batches b ON b.id = m.batch_id WHERE document_id = ?', picked.documentId)).toEqual([{ code: 'LATE' }]);
    expectRefused(() => o['operations.despatch']({ idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.lot, qty: 8 }] }, asUser(f.ids.admin)), 'NEGATIVE_STOCK', /available 7, this takes 8/);
  });

  it('explodes a recipe into its components and skips Other products', () => {
    receiveRice(10_000);
    const d = o['operations.despatch']({ idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.recipe, qty: 3 }, { productId: f.ids.other, qty: 1 }] }, asUser(f.ids.admin));
    expect(rows('SELECT product_id, qty, unit_cost FROM movements WHERE document_id = ?', d.documentId)).toEqual([{ product_id: f.ids.bulk, qty: -360, unit_cost: 25_000 }]);
    expect(d.notes.join(' ')).toMatch(/SERVICE .* no movement/);
    const onlyOther = o['operations.despatch']({ idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.other, qty: 1 }] }, asUser(f.ids.admin));
    expect(onlyOther).toMatchObject({ documentId: null, movementCount: 0 });
  });

  it('refunds with return to stock (stock back) or value only (no movement), never beyond the sale', () => {
    receiveRice(10_000);
    const sale = o['operations.despatch']({ idempotencyKey: key(), kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.bulk, qty: 1_000 }] }, asUser(f.ids.admin));
    const back = o['operations.refund']({ idempotencyKey: key(), kind: 'sale_refund', documentId: sale.documentId!, returnToStock: true, lines: [{ seq: sale.firstSeq!, qty: 400 }] }, asUser(f.ids.admin));
    expect(rows('SELECT type, qty, reversal_of, unit_cost FROM movements WHERE document_id = ?', back.documentId)).toEqual([
      { type: 'sale_refund', qty: 400, reversal_of: sale.firstSeq, unit_cost: 25_000 },
    ]);
    expect(onHand(f.ids.bulk, f.ids.wh)).toBe(9_400);
    const credit = o['operations.refund']({ idempotencyKey: key(), kind: 'sales_credit_note', documentId: sale.documentId!, returnToStock: false }, asUser(f.ids.admin));
    expect(credit).toMatchObject({ documentId: null, movementCount: 0, valueCredits: 1 });
    expect(rows('SELECT qty, unit_cost, value, sale_seq FROM operation_value_credits')).toEqual([{ qty: 600, unit_cost: 25_000, value: 15_000, sale_seq: sale.firstSeq }]);
    expect(onHand(f.ids.bulk, f.ids.wh)).toBe(9_400);
    expectRefused(() => o['operations.refund']({ idempotencyKey: key(), kind: 'sale_refund', documentId: sale.documentId!, returnToStock: true }, asUser(f.ids.admin)), 'CONFLICT', /already been reversed/);
  });
});

describe('transfers', () => {
  it('posts both legs at the dispatching site latest cost, and the receiving site takes that cost', () => {
    receiveRice(5_000, 25_000);
    receiveRice(1_000, 31_000);
    const t = o['operations.transfer']({ idempotencyKey: key(), fromSiteId: f.ids.wh, toSiteId: f.ids.shop, lines: [{ productId: f.ids.bulk, qty: 2_000 }] }, asUser(f.ids.admin));
    expect(rows('SELECT type, site_id, qty, unit_cost, cost_source FROM movements WHERE document_id = ? ORDER BY seq', t.documentId)).toEqual([
      { type: 'transfer_out', site_id: f.ids.wh, qty: -2_000, unit_cost: 31_000, cost_source: 'dispatching_site' },
      { type: 'transfer_in', site_id: f.ids.shop, qty: 2_000, unit_cost: 31_000, cost_source: 'dispatching_site' },
    ]);
    expect(rows('SELECT type FROM documents WHERE id = ?', t.documentId)).toEqual([{ type: 'transfer' }]);
    expect(rows('SELECT latest_cost FROM cost_state WHERE site_id = ?', f.ids.shop)).toEqual([{ latest_cost: 31_000 }]);
    // Wastage at the shop is then costed at the shop's latest cost.
    const w = o['operations.writeOff']({ idempotencyKey: key(), kind: 'wastage', siteId: f.ids.shop, reason: 'spoiled', lines: [{ productId: f.ids.bulk, qty: 100 }] }, asUser(f.ids.admin));
    expect(rows('SELECT type, qty, unit_cost, cost_source, note FROM movements WHERE document_id = ?', w.documentId)).toEqual([
      { type: 'wastage', qty: -100, unit_cost: 31_000, cost_source: 'latest_at_site', note: 'spoiled' },
    ]);
  });

  it('transfers to External, refuses same-site transfers, and internal transfers net to zero', () => {
    receiveRice(5_000);
    o['operations.transfer']({ idempotencyKey: key(), fromSiteId: f.ids.wh, toSiteId: f.ids.external, lines: [{ productId: f.ids.bulk, qty: 500 }] }, asUser(f.ids.admin));
    expect(onHand(f.ids.bulk, f.ids.wh)).toBe(4_500);
    expectRefused(() => o['operations.transfer']({ idempotencyKey: key(), fromSiteId: f.ids.wh, toSiteId: f.ids.wh, lines: [{ productId: f.ids.bulk, qty: 1 }] }, asUser(f.ids.admin)), 'VALIDATION', /internal transfer/);
    const it = o['operations.internalTransfer']({ idempotencyKey: key(), siteId: f.ids.wh, lines: [{ productId: f.ids.bulk, qty: 700, fromBinId: f.ids.binA, toBinId: f.ids.binB }] }, asUser(f.ids.admin));
    expect(rows('SELECT type, bin_id, qty FROM movements WHERE document_id = ? ORDER BY seq', it.documentId)).toEqual([
      { type: 'transfer', bin_id: f.ids.binA, qty: -700 },
      { type: 'transfer', bin_id: f.ids.binB, qty: 700 },
    ]);
    expect(onHand(f.ids.bulk, f.ids.wh)).toBe(4_500);
  });
});

describe('write-off, production, returns, variance', () => {
  it('produces an output costed at the consumed value in one document', () => {
    receiveRice(10_000, 25_000);
    const made = f.ledger.reference.addProduct({ sku: 'RISOTTO-BASE', name: 'Risotto base', stockType: 'Made', components: [{ productId: f.ids.bulk, qtyPerUnit: 500 }] });
    const p = o['operations.produce']({ idempotencyKey: key(), kind: 'work_order', siteId: f.ids.wh, output: { productId: made, qty: 4 } }, asUser(f.ids.admin));
    expect(rows('SELECT type, product_id, qty, unit_cost, cost_source FROM movements WHERE document_id = ? ORDER BY seq', p.documentId)).toEqual([
      { type: 'work_order_consumption', product_id: f.ids.bulk, qty: -2_000, unit_cost: 25_000, cost_source: 'latest_at_site' },
      { type: 'work_order_production', product_id: made, qty: 4, unit_cost: 12_500, cost_source: 'declared' },
    ]);
  });

  it('clears with a reason, receives sales and transfer-order returns, and posts a period variance', () => {
    receiveRice(5_000, 20_000);
    o['operations.writeOff']({ idempotencyKey: key(), kind: 'clear', siteId: f.ids.wh, reason: 'obsolete', lines: [{ productId: f.ids.bulk, qty: 1_000 }] }, asUser(f.ids.admin));
    const sr = o['operations.inboundReturn']({ idempotencyKey: key(), kind: 'sales_return_inbound', siteId: f.ids.wh, lines: [{ productId: f.ids.bulk, qty: 200, binId: f.ids.binA }] }, asUser(f.ids.admin));
    expect(rows('SELECT qty, unit_cost, cost_source FROM movements WHERE document_id = ?', sr.documentId)).toEqual([{ qty: 200, unit_cost: 20_000, cost_source: 'latest_at_site' }]);
    const to = o['operations.inboundReturn']({ idempotencyKey: key(), kind: 'transfer_order_inbound', siteId: f.ids.shop, fromSiteId: f.ids.wh, lines: [{ productId: f.ids.bulk, qty: 300 }] }, asUser(f.ids.admin));
    expect(rows('SELECT qty, unit_cost, cost_source FROM movements WHERE document_id = ?', to.documentId)).toEqual([{ qty: 300, unit_cost: 20_000, cost_source: 'dispatching_site' }]);
    const v = o['operations.periodVariance']({ idempotencyKey: key(), siteId: f.ids.wh, lines: [{ productId: f.ids.bulk, binId: f.ids.binA, counted: 4_000 }] }, asUser(f.ids.admin));
    expect(rows('SELECT type, qty, unit_cost FROM movements WHERE document_id = ?', v.documentId)).toEqual([{ type: 'period_variance', qty: -200, unit_cost: 20_000 }]);
    expectRefused(() => o['operations.periodVariance']({ idempotencyKey: key(), siteId: f.ids.wh, lines: [{ productId: f.ids.bulk, binId: f.ids.binA, counted: 4_000 }] }, asUser(f.ids.admin)), 'VALIDATION', /no variance/);
    expectRefused(() => o['operations.writeOff']({ idempotencyKey: key(), kind: 'wastage', siteId: f.ids.wh, reason: 'damaged', lines: [{ productId: f.ids.bulk, qty: 99_000 }] }, asUser(f.ids.admin)), 'NEGATIVE_STOCK', /short by/);
  });
});

describe('adjustment drafts', () => {
  it('autosaves lines, resumes, posts as inventory_adjustment dated to the draft, and lists history', () => {
    receiveRice(5_000);
    const effective = new Date(Date.now() - 86_400_000).toISOString();
    const d = o['operations.draftCreate']({ name: 'Bar shrinkage March', siteId: f.ids.wh, effectiveAt: effective }, asUser(f.ids.admin));
    o['operations.draftSaveLine']({ draftId: d.id, productId: f.ids.bulk, qty: -250, reason: 'theft', binId: f.ids.binA });
    const l2 = o['operations.draftSaveLine']({ draftId: d.id, productId: f.ids.lot, qty: 3, reason: 'found', binId: f.ids.binB, batch: { code: 'F1', expiry: '2029-12-31' } });
    o['operations.draftSaveLine']({ draftId: d.id, lineNo: l2.lineNo, productId: f.ids.lot, qty: 2, reason: 'found', binId: f.ids.binB, batch: { code: 'F1', expiry: '2029-12-31' } });
    // Resume: a fresh ops instance (as after a restart) sees the same draft.
    const again = operationsOps(createWorkerContext(f.ledger, () => undefined));
    const resumed = again['operations.draftGet']({ draftId: d.id });
    expect(resumed.lines.map((l) => [l.sku, l.qty, l.reason])).toEqual([['RICE-1KG', -250, 'theft'], ['CLARET-75', 2, 'found']]);
    expect(again['operations.draftList']({ status: 'draft' }).map((x) => x.name)).toEqual(['Bar shrinkage March']);
    expect(rows('SELECT COUNT(*) AS n FROM movements WHERE type = ?', 'inventory_adjustment')).toEqual([{ n: 0 }]);
    const posted = again['operations.draftPost']({ draftId: d.id, idempotencyKey: key() }, asUser(f.ids.admin));
    expect(rows('SELECT type, qty, occurred_at, note FROM movements WHERE document_id = ? ORDER BY seq', posted.documentId)).toEqual([
      { type: 'inventory_adjustment', qty: -250, occurred_at: Date.parse(effective), note: 'theft' },
      { type: 'inventory_adjustment', qty: 2, occurred_at: Date.parse(effective), note: 'found' },
    ]);
    expect(again['operations.draftGet']({ draftId: d.id })).toMatchObject({ status: 'posted', documentId: posted.documentId });
    expectRefused(() => again['operations.draftSaveLine']({ draftId: d.id, productId: f.ids.bulk, qty: 1, reason: 'found' }), 'CONFLICT', /already posted/);
    const h = again['operations.adjustmentHistory']({ limit: 10, offset: 0 });
    expect(h).toHaveLength(1);
    expect(h[0]).toMatchObject({ name: 'Bar shrinkage March', draftId: d.id });
    expect(h[0]!.lines.map((l) => [l.sku, l.qty, l.reason])).toEqual([['RICE-1KG', -250, 'theft'], ['CLARET-75', 2, 'found']]);
  });

  it('refuses to post a draft whose line would go negative, and leaves it a draft', () => {
    const d = o['operations.draftCreate']({ name: 'Too much', siteId: f.ids.wh, effectiveAt: new Date().toISOString() }, asUser(f.ids.admin));
    o['operations.draftSaveLine']({ draftId: d.id, productId: f.ids.bulk, qty: -1, reason: 'damage' });
    expectRefused(() => o['operations.draftPost']({ draftId: d.id, idempotencyKey: key() }, asUser(f.ids.admin)), 'NEGATIVE_STOCK', /not enough/);
    expect(o['operations.draftGet']({ draftId: d.id }).status).toBe('draft');
  });
});
