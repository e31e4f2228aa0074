import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';
import { fingerprint } from './request-fingerprint';

/** On the configured store (test/fixtures/store-under-test.ts): SQLite by default, PostgreSQL in `npm run test:unit:pg`. */
let s: StoreUnderTest;
storePerTest((opened) => (s = opened));

async function expectConflict(call: () => Promise<unknown>) {
  const before = await s.counts();
  const e = await call().then(
    () => new Error('expected IDEMPOTENCY_CONFLICT'),
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  expect((e as AppError).code).toBe('IDEMPOTENCY_CONFLICT');
  expect((e as AppError).message).toMatch(/already posted with idempotency key .*Start a new document/);
  expect(await s.counts()).toEqual(before);
}

describe('idempotent resubmit', () => {
  const receipt = (qty: number, key = 'receive-key-0001') =>
    ({ idempotencyKey: key, kind: 'cash_purchase' as const, siteId: s.ids.wh, dutyPaid: false, lines: [{ productId: s.ids.bulk, qty, unitCost: 25_000 }] });

  it('fingerprints ignore key order and the key itself', () => {
    expect(fingerprint('receive', { a: 1, b: { c: [1, 2], d: 'x' }, idempotencyKey: 'k1' })).toBe(fingerprint('receive', { b: { d: 'x', c: [1, 2] }, a: 1, idempotencyKey: 'k2' }));
    expect(fingerprint('receive', { a: 1 })).not.toBe(fingerprint('despatch', { a: 1 }));
    expect(fingerprint('receive', { a: [1, 2] })).not.toBe(fingerprint('receive', { a: [2, 1] }));
  });

  it('replays the first result for the same input under the same key', async () => {
    const first = await s.call('operations.receive', receipt(1_000));
    const again = await s.call('operations.receive', receipt(1_000));
    expect(again).toMatchObject({ replayed: true, documentId: first.documentId, movementCount: 1, firstSeq: first.firstSeq });
    expect(await s.count('movements')).toBe(1);
  });

  it('names the document by its type and reference, first time and on replay', async () => {
    const first = await s.call('operations.receive', { ...receipt(1_000), reference: 'GRN-000123' });
    expect(first).toMatchObject({ documentType: 'receipt', reference: 'GRN-000123' });
    const again = await s.call('operations.receive', { ...receipt(1_000), reference: 'GRN-000123' });
    expect(again).toMatchObject({ replayed: true, documentType: 'receipt', reference: 'GRN-000123' });
    const unnamed = await s.call('operations.receive', receipt(1_000, 'receive-key-0002'));
    expect(unnamed).toMatchObject({ documentType: 'receipt', reference: null });
  });

  it('refuses a different input under a reused key, in every operation, and writes nothing', async () => {
    await s.call('operations.receive', receipt(1_000));
    await expectConflict(() => s.call('operations.receive', receipt(2_000)));
    await expectConflict(() => s.call('operations.receive', { ...receipt(1_000), dutyPaid: true }));
    // The same key on another operation is a conflict too.
    await expectConflict(() => s.call('operations.despatch', { idempotencyKey: 'receive-key-0001', kind: 'sale', siteId: s.ids.wh, lines: [{ productId: s.ids.bulk, qty: 1 }] }));
  });

  it('a despatch replays even when stock has moved since (the input, not the picks, is compared)', async () => {
    await s.call('operations.receive', receipt(5_000));
    const sale = { idempotencyKey: 'sale-key-00001', kind: 'sale' as const, siteId: s.ids.wh, lines: [{ productId: s.ids.bulk, qty: 1_000 }] };
    const first = await s.call('operations.despatch', sale);
    await s.call('operations.receive', receipt(3_000, 'receive-key-0002'));
    expect(await s.call('operations.despatch', sale)).toMatchObject({ replayed: true, documentId: first.documentId });
    await expectConflict(() => s.call('operations.despatch', { ...sale, lines: [{ productId: s.ids.bulk, qty: 999 }] }));
  });

  it('value-only credits replay, and conflict on another input', async () => {
    await s.call('operations.receive', receipt(5_000));
    const sale = await s.call('operations.despatch', { idempotencyKey: 'sale-key-00002', kind: 'sale', siteId: s.ids.wh, lines: [{ productId: s.ids.bulk, qty: 1_000 }] });
    const credit = { idempotencyKey: 'credit-key-0001', kind: 'sales_credit_note' as const, documentId: sale.documentId!, returnToStock: false, lines: [{ seq: sale.firstSeq!, qty: 100 }] };
    expect(await s.call('operations.refund', credit)).toMatchObject({ replayed: false, valueCredits: 1 });
    expect(await s.call('operations.refund', credit)).toMatchObject({ replayed: true, documentId: null, valueCredits: 1 });
    await expectConflict(() => s.call('operations.refund', { ...credit, lines: [{ seq: sale.firstSeq!, qty: 200 }] }));
    await expectConflict(() => s.call('operations.refund', { ...credit, returnToStock: true }));
  });

  it('a draft post replays for the same draft and conflicts for another draft', async () => {
    await s.call('operations.receive', receipt(5_000));
    const d1 = await s.call('operations.draftCreate', { name: 'One', siteId: s.ids.wh, effectiveAt: new Date().toISOString() });
    await s.call('operations.draftSaveLine', { draftId: d1.id, productId: s.ids.bulk, qty: -10, reason: 'damage' });
    const d2 = await s.call('operations.draftCreate', { name: 'Two', siteId: s.ids.wh, effectiveAt: new Date().toISOString() });
    await s.call('operations.draftSaveLine', { draftId: d2.id, productId: s.ids.bulk, qty: -20, reason: 'damage' });
    const posted = await s.call('operations.draftPost', { draftId: d1.id, idempotencyKey: 'draft-post-key-1' });
    expect(await s.call('operations.draftPost', { draftId: d1.id, idempotencyKey: 'draft-post-key-1' })).toMatchObject({ replayed: true, documentId: posted.documentId });
    await expectConflict(() => s.call('operations.draftPost', { draftId: d2.id, idempotencyKey: 'draft-post-key-1' }));
  });
});
