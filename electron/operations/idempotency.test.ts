import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { openFixture, tableCounts, type Fixture } from '../../test/fixtures/ledger';
import { createWorkerContext } from '../ledger/worker-context';
import { operationsOps, type OperationsOps } from './operations.ops';
import { fingerprint } from './request-fingerprint';
import { asUser } from '../../test/fixtures/caller';

let f: Fixture;
let o: OperationsOps;

beforeEach(async () => {
  f = await openFixture();
  o = operationsOps(createWorkerContext(f.ledger, () => undefined));
});
afterEach(async () => {
  expect(f.ledger.verify().ok).toBe(true);
  await f.cleanup();
});

function expectConflict(fn: () => unknown) {
  const before = tableCounts(f.ledger);
  try {
    fn();
    throw new Error('expected IDEMPOTENCY_CONFLICT');
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('IDEMPOTENCY_CONFLICT');
    expect((e as AppError).message).toMatch(/already posted with idempotency key .*Start a new document/);
  }
  expect(tableCounts(f.ledger)).toEqual(before);
}

describe('idempotent resubmit', () => {
  const receipt = (qty: number, key = 'receive-key-0001') =>
    ({ idempotencyKey: key, kind: 'cash_purchase' as const, siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.bulk, qty, unitCost: 25_000 }] });

  it('fingerprints ignore key order and the key itself', () => {
    expect(fingerprint('receive', { a: 1, b: { c: [1, 2], d: 'x' }, idempotencyKey: 'k1' })).toBe(fingerprint('receive', { b: { d: 'x', c: [1, 2] }, a: 1, idempotencyKey: 'k2' }));
    expect(fingerprint('receive', { a: 1 })).not.toBe(fingerprint('despatch', { a: 1 }));
    expect(fingerprint('receive', { a: [1, 2] })).not.toBe(fingerprint('receive', { a: [2, 1] }));
  });

  it('replays the first result for the same input under the same key', () => {
    const first = o['operations.receive'](receipt(1_000), asUser(f.ids.admin));
    const again = o['operations.receive'](receipt(1_000), asUser(f.ids.admin));
    expect(again).toMatchObject({ replayed: true, documentId: first.documentId, movementCount: 1, firstSeq: first.firstSeq });
    expect(tableCounts(f.ledger).movements).toBe(1);
  });

  it('names the document by its type and reference, first time and on replay', () => {
    const first = o['operations.receive']({ ...receipt(1_000), reference: 'GRN-000123' }, asUser(f.ids.admin));
    expect(first).toMatchObject({ documentType: 'receipt', reference: 'GRN-000123' });
    const again = o['operations.receive']({ ...receipt(1_000), reference: 'GRN-000123' }, asUser(f.ids.admin));
    expect(again).toMatchObject({ replayed: true, documentType: 'receipt', reference: 'GRN-000123' });
    const unnamed = o['operations.receive'](receipt(1_000, 'receive-key-0002'), asUser(f.ids.admin));
    expect(unnamed).toMatchObject({ documentType: 'receipt', reference: null });
  });

  it('refuses a different input under a reused key, in every operation, and writes nothing', () => {
    o['operations.receive'](receipt(1_000), asUser(f.ids.admin));
    expectConflict(() => o['operations.receive'](receipt(2_000), asUser(f.ids.admin)));
    expectConflict(() => o['operations.receive']({ ...receipt(1_000), dutyPaid: true }, asUser(f.ids.admin)));
    // The same key on another operation is a conflict too.
    expectConflict(() => o['operations.despatch']({ idempotencyKey: 'receive-key-0001', kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.bulk, qty: 1 }] }, asUser(f.ids.admin)));
  });

  it('a despatch replays even when stock has moved since (the input, not the picks, is compared)', () => {
    o['operations.receive'](receipt(5_000), asUser(f.ids.admin));
    const sale = { idempotencyKey: 'sale-key-00001', kind: 'sale' as const, siteId: f.ids.wh, lines: [{ productId: f.ids.bulk, qty: 1_000 }] };
    const first = o['operations.despatch'](sale, asUser(f.ids.admin));
    o['operations.receive'](receipt(3_000, 'receive-key-0002'), asUser(f.ids.admin));
    expect(o['operations.despatch'](sale, asUser(f.ids.admin))).toMatchObject({ replayed: true, documentId: first.documentId });
    expectConflict(() => o['operations.despatch']({ ...sale, lines: [{ productId: f.ids.bulk, qty: 999 }] }, asUser(f.ids.admin)));
  });

  it('value-only credits replay, and conflict on another input', () => {
    o['operations.receive'](receipt(5_000), asUser(f.ids.admin));
    const sale = o['operations.despatch']({ idempotencyKey: 'sale-key-00002', kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.bulk, qty: 1_000 }] }, asUser(f.ids.admin));
    const credit = { idempotencyKey: 'credit-key-0001', kind: 'sales_credit_note' as const, documentId: sale.documentId!, returnToStock: false, lines: [{ seq: sale.firstSeq!, qty: 100 }] };
    expect(o['operations.refund'](credit, asUser(f.ids.admin))).toMatchObject({ replayed: false, valueCredits: 1 });
    expect(o['operations.refund'](credit, asUser(f.ids.admin))).toMatchObject({ replayed: true, documentId: null, valueCredits: 1 });
    expectConflict(() => o['operations.refund']({ ...credit, lines: [{ seq: sale.firstSeq!, qty: 200 }] }, asUser(f.ids.admin)));
    expectConflict(() => o['operations.refund']({ ...credit, returnToStock: true }, asUser(f.ids.admin)));
  });

  it('a draft post replays for the same draft and conflicts for another draft', () => {
    o['operations.receive'](receipt(5_000), asUser(f.ids.admin));
    const d1 = o['operations.draftCreate']({ name: 'One', siteId: f.ids.wh, effectiveAt: new Date().toISOString() }, asUser(f.ids.admin));
    o['operations.draftSaveLine']({ draftId: d1.id, productId: f.ids.bulk, qty: -10, reason: 'damage' });
    const d2 = o['operations.draftCreate']({ name: 'Two', siteId: f.ids.wh, effectiveAt: new Date().toISOString() }, asUser(f.ids.admin));
    o['operations.draftSaveLine']({ draftId: d2.id, productId: f.ids.bulk, qty: -20, reason: 'damage' });
    const posted = o['operations.draftPost']({ draftId: d1.id, idempotencyKey: 'draft-post-key-1' }, asUser(f.ids.admin));
    expect(o['operations.draftPost']({ draftId: d1.id, idempotencyKey: 'draft-post-key-1' }, asUser(f.ids.admin))).toMatchObject({ replayed: true, documentId: posted.documentId });
    expectConflict(() => o['operations.draftPost']({ draftId: d2.id, idempotencyKey: 'draft-post-key-1' }, asUser(f.ids.admin)));
  });
});
