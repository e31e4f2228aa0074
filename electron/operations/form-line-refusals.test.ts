import { describe, expect, it } from 'vitest';
import { expectRefusalOf, refusalWithDetails } from '../../test/fixtures/refusal';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/**
 * A refusal names the line of the form the user filled in, never the document line it became (a recipe explodes into
 * its components, serials split a line, a transfer writes two legs), and a serial typed in another letter case is
 * refused saying which unit is in stock and that serials are matched exactly. On the configured store.
 */
let s: StoreUnderTest;
storePerTest((opened) => (s = opened));
let n = 0;
const key = () => `form-line-${process.pid}-${++n}`;

const receiveRice = (qty: number) =>
  s.call('operations.receive', { idempotencyKey: key(), kind: 'cash_purchase', siteId: s.ids.wh, dutyPaid: false, lines: [{ productId: s.ids.bulk, qty, unitCost: 25_000 }] });
const receiveTaps = (serials: string[]) =>
  s.call('operations.receive', { idempotencyKey: key(), kind: 'cash_purchase', siteId: s.ids.wh, dutyPaid: false, lines: [{ productId: s.ids.serial, qty: serials.length, serials, unitCost: 9_000 }] });
const sale = (lines: { productId: number; qty: number; serials?: string[] }[]) => () => s.call('operations.despatch', { idempotencyKey: key(), kind: 'sale', siteId: s.ids.wh, lines });
const refusal = refusalWithDetails;

describe('refusals in the form\'s terms', () => {
  it('a recipe line short of a component names the form line, the recipe and the component', async () => {
    await receiveRice(300);
    const fn = sale([{ productId: s.ids.bulk, qty: 100 }, { productId: s.ids.recipe, qty: 2 }, { productId: s.ids.other, qty: 1 }, { productId: s.ids.bulk, qty: 10 }]);
    await expectRefusalOf(() => s.counts(), fn, 'NEGATIVE_STOCK', /^Line 2 \(RISOTTO\): not enough of component RICE-1KG "Arborio rice" at Central Warehouse: available 0\.200, this takes 0\.240, short by 0\.040\./);
  });

  it('a serial typed in another letter case is refused naming the unit in stock and the rule; nothing is guessed', async () => {
    await receiveRice(1_000);
    await receiveTaps(['ABC-1', 'ABC-2']);
    const fn = sale([{ productId: s.ids.bulk, qty: 100 }, { productId: s.ids.serial, qty: 2, serials: ['ABC-1', 'abc-2'] }]);
    const r = await refusal(fn);
    expect(r).toMatchObject({
      code: 'CONFLICT',
      message: 'Line 2: Serial abc-2 of TAP-01 is not in stock at Central Warehouse; ABC-2 is (serials are matched exactly, letter case included). Type it as it is written on the unit, ABC-2.',
    });
    await expectRefusalOf(() => s.counts(), fn, 'CONFLICT', /ABC-2 is \(serials are matched exactly/);
    expect(await s.rows('SELECT serial FROM serial_units ORDER BY serial')).toEqual([{ serial: 'ABC-1' }, { serial: 'ABC-2' }]);
  });

  it('a serial in stock nowhere, on the form\'s second line (its third document line), is refused as line 2', async () => {
    await receiveRice(1_000);
    await receiveTaps(['ABC-1']);
    const r = await refusal(sale([{ productId: s.ids.bulk, qty: 100 }, { productId: s.ids.serial, qty: 2, serials: ['ABC-1', 'XYZ-9'] }]));
    expect(r.message).toBe('Line 2: serial XYZ-9 of TAP-01 is not in stock at Central Warehouse. Check the serial number (serials are matched exactly, letter case included).');
    expect(r.details).toMatchObject({ line: 2, documentLine: 3 });
  });

  it('a transfer (two legs a line) refused on its second line names line 2', async () => {
    await receiveRice(1_000);
    await receiveTaps(['ABC-1']);
    const fn = () => s.call('operations.transfer', { idempotencyKey: key(), fromSiteId: s.ids.wh, toSiteId: s.ids.shop, lines: [{ productId: s.ids.bulk, qty: 100 }, { productId: s.ids.serial, qty: 1, serials: ['XYZ-9'] }] });
    const r = await refusal(fn);
    expect(r.message).toMatch(/^Line 2: serial XYZ-9 of TAP-01 is not in stock at Central Warehouse\./);
    expect(r.details).toMatchObject({ line: 2, documentLine: 3 });
  });

  it('the review step refuses in the same terms', async () => {
    await receiveRice(1_000);
    await receiveTaps(['ABC-1']);
    const r = await refusal(() => s.call('operations.review', { operation: 'despatch', input: { idempotencyKey: key(), kind: 'sale', siteId: s.ids.wh, lines: [{ productId: s.ids.bulk, qty: 100 }, { productId: s.ids.serial, qty: 2, serials: ['ABC-1', 'XYZ-9'] }] } }));
    expect(r.message).toMatch(/^Line 2: serial XYZ-9 of TAP-01 is not in stock/);
  });
});

describe('a serial listed twice is named, with its line(s)', () => {
  const receive = (lines: { productId: number; qty: number; serials?: string[]; unitCost: number }[]) => () =>
    s.call('operations.receive', { idempotencyKey: key(), kind: 'cash_purchase', siteId: s.ids.wh, dutyPaid: false, lines });

  it('twice on one receipt line: the serial and the line', async () => {
    await expectRefusalOf(() => s.counts(), receive([{ productId: s.ids.serial, qty: 3, serials: ['SN-1', 'SN-2', 'SN-1'], unitCost: 9_000 }]), 'VALIDATION',
      /^Line 1: serial number SN-1 of TAP-01 is entered twice; remove the duplicate\.$/);
  });

  it('on two receipt lines: the serial and both lines, not "already in stock"', async () => {
    const r = await expectRefusalOf(() => s.counts(), receive([
      { productId: s.ids.bulk, qty: 100, unitCost: 25_000 },
      { productId: s.ids.serial, qty: 1, serials: ['SN-5'], unitCost: 9_000 },
      { productId: s.ids.serial, qty: 2, serials: ['SN-6', 'SN-5'], unitCost: 9_000 },
    ]), 'VALIDATION', /^Serial number SN-5 of TAP-01 is on line 2 and line 3: one unit is listed once\. Remove it from one of the lines\.$/);
    expect(r.details).toMatchObject({ field: 'serials', line: 3, serial: 'SN-5' });
  });

  it('twice on one sale line, and on two transfer lines', async () => {
    await receiveRice(1_000);
    await receiveTaps(['ABC-1', 'ABC-2']);
    await expectRefusalOf(() => s.counts(), sale([{ productId: s.ids.serial, qty: 2, serials: ['ABC-2', 'ABC-2'] }]), 'VALIDATION',
      /^Line 1: serial number ABC-2 of TAP-01 is entered twice; remove the duplicate\.$/);
    const transfer = () => s.call('operations.transfer', { idempotencyKey: key(), fromSiteId: s.ids.wh, toSiteId: s.ids.shop, lines: [
      { productId: s.ids.serial, qty: 1, serials: ['ABC-1'] }, { productId: s.ids.bulk, qty: 100 }, { productId: s.ids.serial, qty: 1, serials: ['ABC-1'] }] });
    await expectRefusalOf(() => s.counts(), transfer, 'VALIDATION', /^Serial number ABC-1 of TAP-01 is on line 1 and line 3: one unit is listed once\./);
  });

  it('the review step names it the same way', async () => {
    const r = await refusal(() => s.call('operations.review', { operation: 'receive', input: { idempotencyKey: key(), kind: 'cash_purchase', siteId: s.ids.wh, dutyPaid: false,
      lines: [{ productId: s.ids.serial, qty: 1, serials: ['SN-8'], unitCost: 9_000 }, { productId: s.ids.serial, qty: 1, serials: ['SN-8'], unitCost: 9_000 }] } }));
    expect(r.message).toMatch(/^Serial number SN-8 of TAP-01 is on line 1 and line 2/);
  });
});
