import { describe, expect, it } from 'vitest';
import type { PostingRule } from '../../shared/posting';
import { MOVEMENT_TYPE_CODES } from '../../shared/movement-types';
import { presetControlAccounts } from './default-rules';
import { isBalanced, RuleBook, type JournalLine, type PostingItem } from './journal-builder';

const vc = new RuleBook(presetControlAccounts('vision-commerce').rules);
const shop = new RuleBook(presetControlAccounts('single-site-shop').rules);
const oc = (o: Partial<Record<'insurance' | 'freight' | 'excise' | 'customs' | 'rhd' | 'rent' | 'delivery' | 'labour' | 'overhead', number>>) =>
  [o.insurance ?? 0, o.freight ?? 0, o.excise ?? 0, o.customs ?? 0, o.rhd ?? 0, o.rent ?? 0, o.delivery ?? 0, o.labour ?? 0, o.overhead ?? 0];

const item = (p: Partial<PostingItem> & { type: string; qty: number }): PostingItem => ({
  key: 1, kind: 'movement', unitCost: 10_000, onCosts: oc({}), scale: 0, occurredAt: 0, documentId: 1, document: 'Receipt R-1',
  groupPostsOnCosts: true, dutyPaid: false, customsPaidNonEc: false, returnToStock: true, ...p,
});
const lines = (book: RuleBook, it: PostingItem) => {
  const out: JournalLine[] = [];
  book.build(it, out);
  expect(isBalanced(out)).toBe(true);
  return out;
};
/** account → net amount */
const net = (ls: JournalLine[]) => Object.fromEntries([...ls.reduce((m, l) => m.set(l.account, (m.get(l.account) ?? 0) + l.amount), new Map<string, number>())]);

describe("seed 004's control-account table", () => {
  it('stock receipt: product cost Dr Stock / Cr GRN Accrual; never excise; customs only when not EC and duty paid', () => {
    const base = { type: 'stock_receipt', qty: 5, unitCost: 20_000, onCosts: oc({ excise: 3_000, customs: 1_000, freight: 500 }) };
    expect(net(lines(vc, item(base)))).toEqual({ '1200': 100_000, '2100': -100_000 });
    expect(net(lines(vc, item({ ...base, customsPaidNonEc: true })))).toEqual({ '1200': 105_000, '2100': -100_000, '2200': -5_000 });
    // the customs condition does not depend on the product group's on-cost flag
    expect(net(lines(vc, item({ ...base, customsPaidNonEc: true, groupPostsOnCosts: false })))).toEqual({ '1200': 105_000, '2100': -100_000, '2200': -5_000 });
  });

  it('ExCellar and EP receipts credit their own GRN accounts', () => {
    expect(net(lines(vc, item({ type: 'excellar_stock_receipt', qty: 1 })))).toEqual({ '1200': 10_000, '2110': -10_000 });
    expect(net(lines(vc, item({ type: 'ep_stock_receipt', qty: 1 })))).toEqual({ '1200': 10_000, '2120': -10_000 });
  });

  it('PO stock returns debit the accrual and credit stock', () => {
    expect(net(lines(vc, item({ type: 'po_stock_return', qty: -2 })))).toEqual({ '2100': 20_000, '1200': -20_000 });
    expect(net(lines(vc, item({ type: 'excellar_po_stock_return', qty: -2 })))).toEqual({ '2111': 20_000, '1200': -20_000 });
    expect(net(lines(vc, item({ type: 'ep_po_stock_return', qty: -2 })))).toEqual({ '2121': 20_000, '1200': -20_000 });
  });

  it('despatch: product to cost of sales, each on-cost to cost of sales against its recovery, only when the group says so', () => {
    const d = item({ type: 'stock_despatch', qty: -3, onCosts: oc({ insurance: 100, freight: 200, excise: 300, customs: 400, rhd: 500, rent: 600, delivery: 700, labour: 800 }) });
    expect(net(lines(vc, d))).toEqual({
      '5000': 30_000 + 3 * (100 + 200 + 300 + 400 + 500 + 600 + 700), '1200': -30_000,
      '2220': -300, '2230': -600, '2210': -900, '2200': -1_200, '2240': -1_500, '2250': -1_800, '2260': -2_100,
    });
    expect(net(lines(vc, { ...d, groupPostsOnCosts: false }))).toEqual({ '5000': 30_000, '1200': -30_000 });
    expect(net(lines(vc, item({ type: 'ep_so_sale', qty: -1 })))).toEqual({ '5010': 10_000, '1200': -10_000 });
  });

  it('credit notes: return to stock true Dr Stock, false Dr credit-note reason; on-costs combined into one debit and credit', () => {
    const cn = item({ type: 'sales_credit_note', qty: 2, onCosts: oc({ freight: 1_000, rhd: 500 }) });
    expect(net(lines(vc, cn))).toEqual({ '1200': 23_000, '5000': -23_000 });
    expect(lines(vc, cn)).toHaveLength(2);
    expect(net(lines(vc, { ...cn, returnToStock: false }))).toEqual({ '5020': 23_000, '5000': -23_000 });
    expect(net(lines(vc, { ...cn, groupPostsOnCosts: false }))).toEqual({ '1200': 20_000, '5000': -20_000 });
    expect(net(lines(vc, item({ type: 'ep_so_credit_note', qty: 1 })))).toEqual({ '1200': 10_000, '5010': -10_000 });
  });

  it('value-only credit uses its stored value', () => {
    expect(net(lines(vc, item({ type: 'sales_credit_note', kind: 'value_credit', qty: 2, returnToStock: false, fixedValue: 12_345 })))).toEqual({ '5020': 12_345, '5000': -12_345 });
  });

  it('stock adjustment: qty > 0 Dr Stock / Cr Cost of Sales, duty-paid adds on-costs into one pair; qty < 0 the reverse', () => {
    const adj = item({ type: 'stock_adjustment_in', qty: 1, onCosts: oc({ excise: 2_000, freight: 1_000 }) });
    expect(net(lines(vc, adj))).toEqual({ '1200': 10_000, '5000': -10_000 });
    expect(lines(vc, { ...adj, dutyPaid: true })).toEqual([{ account: '1200', amount: 13_000 }, { account: '5000', amount: -13_000 }]);
    expect(net(lines(vc, item({ type: 'stock_adjustment_out', qty: -1 })))).toEqual({ '5000': 10_000, '1200': -10_000 });
    // duty paid is about stock coming in: out, duty paid or not, posts the product cost alone
    expect(lines(vc, item({ type: 'stock_adjustment_out', qty: -1, dutyPaid: true, onCosts: oc({ excise: 2_000, freight: 1_000 }) }))).toEqual([{ account: '5000', amount: 10_000 }, { account: '1200', amount: -10_000 }]);
    // duty paid combines the on-costs whatever the product group says (they are part of the stock's value, not cost-of-sales postings)
    expect(lines(vc, { ...adj, dutyPaid: true, groupPostsOnCosts: false })).toEqual([{ account: '1200', amount: 13_000 }, { account: '5000', amount: -13_000 }]);
  });

  it('stock transfer out: on-costs to stock against recoveries, delivery to warehouse delivery; product cost nets to nothing', () => {
    const t = item({ type: 'stock_transfer_out', qty: -1, onCosts: oc({ insurance: 10, delivery: 40 }) });
    expect(net(lines(vc, t))).toEqual({ '1200': 10, '2220': -10, '5100': 40, '2260': -40 });
    expect(lines(vc, item({ type: 'stock_transfer_in', qty: 1 }))).toEqual([]);
  });

  it('± types pick the rule by the sign of the quantity', () => {
    expect(net(lines(vc, item({ type: 'system_correction', qty: 4 })))).toEqual({ '1200': 40_000, '5200': -40_000 });
    expect(net(lines(vc, item({ type: 'system_correction', qty: -4 })))).toEqual({ '5200': 40_000, '1200': -40_000 });
  });

  it('values come from qty × unit cost at the product scale, rounded half away from zero', () => {
    expect(net(lines(vc, item({ type: 'stock_receipt', qty: 1_500, scale: 3, unitCost: 3_333 })))).toEqual({ '1200': 5_000, '2100': -5_000 });
    expect(lines(vc, item({ type: 'stock_receipt', qty: 1, unitCost: 0 }))).toEqual([]);
  });

  it('every movement type of the catalog balances under both presets', () => {
    for (const book of [vc, shop]) {
      for (const type of MOVEMENT_TYPE_CODES) {
        for (const qty of [7, -7]) for (const returnToStock of [true, false]) for (const dutyPaid of [true, false]) {
          lines(book, item({ type, qty, returnToStock, dutyPaid, customsPaidNonEc: dutyPaid, onCosts: oc({ freight: 333, customs: 77, labour: 5 }) }));
        }
      }
    }
  });

  it('a type without rules posts nothing; a rule with the same debit and credit posts nothing', () => {
    expect(lines(vc, item({ type: 'transfer', qty: 1 }))).toEqual([]);
    const same: PostingRule = { movementType: 'x', component: 'product', condition: 'always', combineOnCosts: false, onCostsNeedGroup: true, debit: '1', credit: '1' };
    expect(lines(new RuleBook([same]), item({ type: 'x', qty: 1 }))).toEqual([]);
  });

  it('the single-site shop preset folds on-costs into the product value', () => {
    expect(net(lines(shop, item({ type: 'supplier_order', qty: 2, onCosts: oc({ delivery: 500 }) })))).toEqual({ '1000': 21_000, '2000': -21_000 });
    expect(net(lines(shop, item({ type: 'sale', qty: -2 })))).toEqual({ '5000': 20_000, '1000': -20_000 });
    expect(net(lines(shop, item({ type: 'wastage', qty: -1 })))).toEqual({ '5100': 10_000, '1000': -10_000 });
  });
});
