import { describe, expect, it } from 'vitest';
import { reviewSchema } from '../../shared/contract/operations.schemas';
import type { ProductOption } from '../../shared/operations';
import { showDatesIn } from '../common/format';
import { buildDocument, buildReversal, MODE_KINDS, SITE_FIELD, type DocMode, type DocState } from './document-inputs';
import { emptyLine, type FormLine } from './line-model';

const bulk: ProductOption = { id: 1, sku: 'RICE', name: 'Rice', unit: 'kg', scale: 3, stockType: 'Supplied', tracking: 'BULK' };
const lot: ProductOption = { id: 2, sku: 'CLARET', name: 'Claret', unit: 'btl', scale: 0, stockType: 'Supplied', tracking: 'LOT' };
const line = (p: Partial<FormLine>): FormLine => ({ ...emptyLine(), ...p });
const state = (p: Partial<DocState>): DocState => ({
  kind: '',
  siteId: 7,
  otherSiteId: null,
  reason: 'damaged',
  reference: '',
  occurredAt: '',
  dutyPaid: false,
  counterparty: '',
  supplierId: null,
  customsDutyPaid: false,
  lines: [],
  output: emptyLine(),
  useRecipe: true,
  ...p,
});
const KEY = 'form-key-123456';

describe('document form inputs', () => {
  it('builds a receipt with all nine on-costs and duty paid, valid against the contract', () => {
    const onCosts = { insurance: '0.01', freight: '0.10', excise: '2.23', customs: '0.5', rhd: '0.02', rent: '0.03', delivery: '0.04', labour: '0.05', overhead: '0.06' };
    const built = buildDocument('receive', state({ kind: 'supplier_order', dutyPaid: true, lines: [line({ product: lot, qty: '12', batch: 'L1', expiry: '2030-01-31', unitCost: '£8.00', onCosts }), emptyLine()] }), KEY, true);
    expect(built).toEqual({
      operation: 'receive',
      input: {
        idempotencyKey: KEY,
        kind: 'supplier_order',
        siteId: 7,
        dutyPaid: true,
        lines: [
          {
            productId: 2,
            qty: 12,
            batch: { code: 'L1', expiry: '2030-01-31' },
            unitCost: 80_000,
            onCosts: { insurance: 100, freight: 1_000, excise: 22_300, customs: 5_000, rhd: 200, rent: 300, delivery: 400, labour: 500, overhead: 600 },
          },
        ],
      },
    });
    expect(reviewSchema.safeParse(built).success).toBe(true);
  });

  it('names the picked supplier on a supplier receipt kind only, valid against the contract', () => {
    const lines = [line({ product: bulk, qty: '2', unitCost: '1.00' })];
    const order = buildDocument('receive', state({ kind: 'supplier_order', supplierId: 5, lines }), KEY, true);
    expect(order.input).toMatchObject({ kind: 'supplier_order', supplierId: 5, customsDutyPaid: false });
    expect(reviewSchema.safeParse(order).success).toBe(true);
    // "Customs duty paid" goes with the supplier (non-EC is the supplier's) and never without one
    const paid = buildDocument('receive', state({ kind: 'supplier_order', supplierId: 5, customsDutyPaid: true, lines }), KEY, true);
    expect(paid.input).toMatchObject({ supplierId: 5, customsDutyPaid: true });
    expect(reviewSchema.safeParse(paid).success).toBe(true);
    expect(buildDocument('receive', state({ kind: 'supplier_order', customsDutyPaid: true, lines }), KEY, true).input).not.toHaveProperty('customsDutyPaid');
    // A generic inbound shows the free-text "From" instead: a supplier picked before the kind changed is not sent.
    expect(buildDocument('receive', state({ kind: 'inbound', supplierId: 5, lines }), KEY, true).input).not.toHaveProperty('supplierId');
    expect(buildDocument('receive', state({ kind: 'cash_purchase', lines }), KEY, true).input).not.toHaveProperty('supplierId');
  });

  it('refuses a wastage without a reason, saying to pick one: the reason is never assumed', () => {
    const pick = [line({ product: bulk, qty: '1', binId: '3' })];
    expect(() => buildDocument('writeOff', state({ kind: 'wastage', reason: '', lines: pick }), KEY, true)).toThrow(
      'Reason: no reason is picked. Pick why the stock was lost or cleared (damaged, expired, spoiled, theft, obsolete, other).',
    );
  });

  it('builds every other document kind so the contract accepts it', () => {
    const pick = [line({ product: bulk, qty: '1.5', binId: '3' })];
    const cases = [
      buildDocument('despatch', state({ kind: 'sale', lines: pick }), KEY, true),
      buildDocument('writeOff', state({ kind: 'wastage', lines: pick }), KEY, true),
      buildDocument('transfer', state({ otherSiteId: 9, lines: [...pick, line({ product: bulk, qty: '2', toBinId: '12' })] }), KEY, true),
      buildDocument('internal', state({ lines: [line({ product: lot, qty: '2', binId: '3', batch: 'A', toBinId: '4', toBatch: 'B', toExpiry: '2031-01-01' })] }), KEY, true),
      buildDocument('inbound', state({ kind: 'transfer_order_inbound', otherSiteId: 9, lines: pick }), KEY, true),
      buildDocument('produce', state({ kind: 'work_order', output: line({ product: bulk, qty: '4' }) }), KEY, true),
      buildDocument('produce', state({ kind: 'work_order', useRecipe: false, output: line({ product: bulk, qty: '4' }), lines: pick }), KEY, true),
      buildDocument('variance', state({ lines: [line({ product: bulk, qty: '0', binId: '3' })] }), KEY, true),
      buildReversal('supplier_credit', 5, [{ seq: 10, qty: 3 }, { seq: 11, qty: 0 }], { refund: false, returnToStock: true, reference: '', occurredAt: '', timeChosen: false }, KEY),
      buildReversal('sales_credit_note', 5, [{ seq: 10, qty: 3 }], { refund: true, returnToStock: false, reference: 'CN-1', occurredAt: '', timeChosen: false }, KEY),
    ];
    for (const c of cases) expect(reviewSchema.safeParse(c).error).toBeUndefined();
    expect(cases[0]!.input).toMatchObject({ lines: [{ productId: 1, qty: 1_500, binId: 3 }] });
    // A transfer line's receiving bin is the one the form shows (none: no bin).
    expect(cases[2]!.input).toMatchObject({ toSiteId: 9, lines: [{ binId: 3 }, { productId: 1, qty: 2_000, toBinId: 12 }] });
    expect((cases[2]!.input as { lines: object[] }).lines[0]).not.toHaveProperty('toBinId');
    expect(cases[3]!.input).toMatchObject({ lines: [{ fromBinId: 3, fromBatch: { code: 'A' }, toBinId: 4, toBatch: { code: 'B', expiry: '2031-01-01' } }] });
    expect(cases[4]!.input).toMatchObject({ fromSiteId: 9 });
    expect(cases[5]!.input).not.toHaveProperty('components');
    expect(cases[6]!.input).toMatchObject({ components: [{ productId: 1, qty: 1_500 }] });
    expect(cases[7]!.input).toMatchObject({ lines: [{ productId: 1, counted: 0, binId: 3 }] });
    expect(cases[8]!.input).toMatchObject({ lines: [{ seq: 10, qty: 3 }] });
    expect(cases[9]).toMatchObject({ operation: 'refund', input: { returnToStock: false, reference: 'CN-1' } });
  });

  it('says what is wrong with what was typed', () => {
    expect(() => buildDocument('despatch', state({ kind: 'sale', lines: [emptyLine()] }), KEY, true)).toThrow(/at least one line/);
    expect(() => buildDocument('despatch', state({ kind: 'sale', lines: [line({ qty: '2' })] }), KEY, true)).toThrow(/Line 1: pick a product/);
    expect(() => buildDocument('despatch', state({ kind: 'sale', lines: [line({ product: bulk, qty: 'abc' })] }), KEY, true)).toThrow(/Line 1: quantity/);
    expect(() => buildDocument('receive', state({ kind: 'sale', lines: [line({ product: bulk, qty: '1', unitCost: 'x' })] }), KEY, true)).toThrow(/Line 1 unit cost/);
    expect(() => buildDocument('receive', state({ kind: 'sale', lines: [line({ product: bulk, qty: '1', onCosts: { customs: '1.2.3' } })] }), KEY, true)).toThrow(/Line 1 customs duty/);
    expect(() => buildDocument('transfer', state({ lines: [line({ product: bulk, qty: '1' })] }), KEY, true)).toThrow(/receiving site/);
    expect(() => buildDocument('transfer', state({ siteId: null, otherSiteId: 2, lines: [line({ product: bulk, qty: '1' })] }), KEY, true)).toThrow(
      /^From site: no sending site is picked\. Pick the site the stock leaves from\.$/,
    );
    expect(() => buildDocument('produce', state({ kind: 'work_order' }), KEY, true)).toThrow(/Output: pick/);
    // Every form refuses a document with no site, naming its site field (the form focuses it): never a guessed site.
    for (const mode of Object.keys(SITE_FIELD) as DocMode[]) {
      const refused = () => buildDocument(mode, state({ kind: MODE_KINDS[mode][0] ?? '', siteId: null, otherSiteId: 2, lines: [line({ product: bulk, qty: '1' })] }), KEY, true);
      expect(refused).toThrow(new RegExp(`^${SITE_FIELD[mode].label}: no [a-z ]*site is picked\\. Pick the site `));
    }
    expect(() => buildReversal('supplier_credit', 5, [{ seq: 1, qty: 0 }], { refund: false, returnToStock: true, reference: '', occurredAt: '', timeChosen: false }, KEY)).toThrow(/at least one line/);
  });

  it('sends no effective time when the clerk left it, so the ledger stamps the moment it posts; the time typed when set', () => {
    showDatesIn({ timeZone: 'Europe/Berlin', locale: 'de-DE' });
    const sale = state({ kind: 'sale', occurredAt: '2026-12-06T06:23', lines: [line({ product: bulk, qty: '2' })] });
    expect(buildDocument('despatch', sale, KEY, false).input).not.toHaveProperty('occurredAt');
    expect(buildDocument('despatch', sale, KEY, true).input).toMatchObject({ occurredAt: '2026-12-06T05:23:00.000Z' });
    const refund = { refund: true, returnToStock: true, reference: '', occurredAt: '2026-12-06T06:23' };
    expect(buildReversal('sales_credit_note', 5, [{ seq: 10, qty: 1 }], { ...refund, timeChosen: false }, KEY).input).not.toHaveProperty('occurredAt');
    expect(buildReversal('sales_credit_note', 5, [{ seq: 10, qty: 1 }], { ...refund, timeChosen: true }, KEY).input).toMatchObject({ occurredAt: '2026-12-06T05:23:00.000Z' });
  });

  it.each([
    ['de-DE', ',', '.'],
    ['en-GB', '.', ','],
  ])('reads typed numbers in the company locale (%s), whatever the browser\'s: "2,10" is never £210, a grouped quantity is refused', (locale, decimal, other) => {
    showDatesIn({ timeZone: 'Europe/London', locale });
    const receipt = (unitCost: string, qty = '1') => buildDocument('receive', state({ kind: 'supplier_order', lines: [line({ product: bulk, qty, unitCost })] }), KEY, true);
    expect(() => receipt(`2${other}10`)).toThrow(`Line 1 unit cost: "2${other}10" uses ${other === ',' ? 'a comma' : 'a point'} as decimal separator; use ${decimal === '.' ? 'a point' : 'a comma'}, e.g. 2${decimal}10`);
    expect(receipt(`2${decimal}10`).input).toMatchObject({ lines: [{ unitCost: 21_000 }] });
    expect(receipt('1', `2${decimal}5`).input).toMatchObject({ lines: [{ qty: 2_500 }] });
    expect(() => receipt('1', `1${other}234`)).toThrow(/Line 1: quantity of RICE "1.234" has a thousands separator .*, so it is ambiguous/);
    expect(() => receipt(`2${decimal}12345`)).toThrow(/unit cost: .*more than 4 decimal places/);
    expect(() => receipt('1', `1${decimal}2345`)).toThrow(`Line 1: quantity of RICE "1${decimal}2345" has more than 3 decimal places: it is counted to 3 decimals, so enter e.g. 1${decimal}234 or 1${decimal}235.`);
    const claret = buildDocument.bind(null, 'receive', state({ kind: 'supplier_order', lines: [line({ product: lot, qty: `2${decimal}5`, unitCost: '1' })] }), KEY, true);
    expect(claret).toThrow(`Line 1: quantity of CLARET "2${decimal}5" must be a whole number: it is counted in whole units (0 decimals), so enter e.g. 2 or 3.`);
  });
});
