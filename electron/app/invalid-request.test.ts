import { describe, expect, it } from 'vitest';
import { methods, type MethodName } from '../../shared/contract/methods';
import { PERMISSIONS } from '../../shared/domain';
import { fieldLabel } from '../../shared/contract/field-labels';
import { describeInvalid } from './invalid-request';

/** The refusal a user would read for `input` sent to `name` (a real zod failure of the contract's own schema). */
function refusal(name: MethodName, input: unknown) {
  const parsed = methods[name].input.safeParse(input);
  expect(parsed.success).toBe(false);
  if (parsed.success) throw new Error('accepted');
  return describeInvalid(methods[name].description, parsed.error);
}

/** No method name, no dotted contract path, no camelCase field name, no permission code. */
function expectPlain(message: string, name: MethodName) {
  expect(message).not.toContain(name);
  expect(message).not.toMatch(/\b[a-z]+\.[a-zA-Z0-9]+\b/);
  expect(message).not.toMatch(/\b[a-z]+[A-Z][a-zA-Z]*\b/);
  for (const p of PERMISSIONS) expect(message).not.toContain(p);
  expect(message).toMatch(/Correct (this field|these fields) and try again; nothing was changed\.$/);
}

describe('a request the contract refuses is explained in the words of its form', () => {
  it('operations.review: the line quantity of the document under review is "Line 1 quantity"', () => {
    const e = refusal('operations.review', {
      operation: 'receive',
      input: { idempotencyKey: 'key-000001', kind: 'supplier_order', siteId: 1, lines: [{ productId: 3, qty: 0, unitCost: 10 }] },
    });
    expectPlain(e.message, 'operations.review');
    expect(e.message).toMatch(/^Could not review the document: Line 1 quantity must be more than zero\./);
    // the form still finds the field by its contract path
    expect(e.details).toMatchObject({ issues: [{ path: 'input.lines.0.qty', label: 'Line 1 quantity' }] });
  });

  it('operations.receive: several refused fields are each named, numbered from one', () => {
    const e = refusal('operations.receive', {
      idempotencyKey: 'k',
      kind: 'teleport',
      siteId: 1.5,
      lines: [{ productId: 1, qty: 1, unitCost: 1 }, { productId: -1, qty: 0.5, unitCost: 1 }],
    });
    expectPlain(e.message, 'operations.receive');
    expect(e.message).toContain('Line 2 product');
    expect(e.message).toContain('Line 2 quantity');
    expect(e.message).toContain('Site ');
  });

  it('users.setSecret: the PIN rule reads as written, under the field name "Password or PIN"', () => {
    const e = refusal('users.setSecret', { username: 'clerk', kind: 'pin', secret: '12' });
    expectPlain(e.message, 'users.setSecret');
    expect(e.message).toMatch(/^Could not set a password or PIN: Password or PIN: a PIN is 4 to 12 digits\./);
  });

  it('counts.setCounted: a negative count is "Counted quantity"', () => {
    const e = refusal('counts.setCounted', { sessionId: 1, lineId: 2, countedQty: -3 });
    expectPlain(e.message, 'counts.setCounted');
    expect(e.message).toContain('Counted quantity');
  });

  it('posting.start: an unconfirmed count says what to do; an unknown field is not named', () => {
    const e = refusal('posting.start', { to: '2026-01-01T00:00:00.000Z', target: { kind: 'builtin' }, summarised: false, secretField: 1 });
    expectPlain(e.message, 'posting.start');
    expect(e.message).toContain('confirm how many movements to post first');
    expect(e.message).not.toContain('secretField');
  });

  it('masterdata.productCreate: an empty SKU and a missing field are said plainly', () => {
    const e = refusal('masterdata.productCreate', { sku: '', name: 'Flour' });
    expectPlain(e.message, 'masterdata.productCreate');
    expect(e.message).toMatch(/SKU/);
    expect(e.message).not.toMatch(/expected|received|undefined/);
  });
});

describe('fieldLabel', () => {
  it('names nested list items and skips wrappers', () => {
    expect(fieldLabel(['input', 'lines', 2, 'batch', 'expiry'])).toBe('Line 3 batch expiry date');
    expect(fieldLabel(['barcodes', 1])).toBe('Barcode 2');
    expect(fieldLabel(['toSiteId'])).toBe('To site');
    expect(fieldLabel(['lowStockLevel'])).toBe('Low stock level');
    expect(fieldLabel([])).toBeNull();
  });
});
