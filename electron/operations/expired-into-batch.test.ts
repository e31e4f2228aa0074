import { describe, expect, it } from 'vitest';
import type { ExpiredLotsDetails } from '../../shared/operations';
import { expectRefusalOf } from '../../test/fixtures/refusal';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/**
 * Stock brought into a batch that has already expired is asked about on every document, not only receipts: an internal
 * transfer into an expired "to batch" and a positive adjustment line adding to an expired batch are refused unless
 * confirmed (confirmExpired), naming each such line with its lots in the details for the confirmation dialog. Both stores.
 */
let s: StoreUnderTest;
storePerTest((opened) => (s = opened));

let n = 0;
const key = () => `expired-into-${process.pid}-${++n}`;
const at = '2026-06-15T12:00:00.000Z';
const day = /(14\/06|06\/14)\/2026, before this (transfer|adjustment)'s day (15\/06|06\/15)\/2026/;

/** 10 of claret in batch GOOD (expires 2031) and 2 in OLD (expired 14 June 2026) at the warehouse, received before. */
async function claret(): Promise<void> {
  await s.call('operations.receive', {
    idempotencyKey: key(),
    kind: 'supplier_order',
    siteId: s.ids.wh,
    dutyPaid: false,
    occurredAt: '2026-06-01T12:00:00.000Z',
    lines: [
      { productId: s.ids.lot, qty: 10, batch: { code: 'GOOD', expiry: '2031-01-31' }, unitCost: 80_000 },
      { productId: s.ids.lot, qty: 2, batch: { code: 'OLD', expiry: '2026-06-14' }, unitCost: 80_000 },
    ],
  });
}

const details = (e: { details?: unknown }) => (e.details as ExpiredLotsDetails).expiredLots;

describe('an internal transfer into an expired batch', () => {
  const transfer = (toBatch: { code: string; expiry?: string }, confirmExpired?: boolean) => ({
    idempotencyKey: 'expired-into-transfer',
    siteId: s.ids.wh,
    occurredAt: at,
    ...(confirmExpired ? { confirmExpired } : {}),
    lines: [
      { productId: s.ids.lot, qty: 1, fromBatch: { code: 'GOOD' }, toBatch: { code: 'GOOD2', expiry: '2031-01-31' } },
      { productId: s.ids.lot, qty: 3, fromBatch: { code: 'GOOD' }, toBatch },
    ],
  });

  it('is refused unless confirmed: a known expired batch named by its code alone, or a new one typed with a past expiry', async () => {
    await claret();
    const known = await expectRefusalOf(() => s.counts(), () => s.call('operations.internalTransfer', transfer({ code: 'OLD' })), 'CONFLICT', new RegExp(
      `^Line 2: batch OLD of CLARET-75 expired ${day.source}\\. Stock is moved into an expired batch only when you confirm it, so nothing was moved\\. ` +
        'Pick another batch to move it to, or correct the to expiry if it was mistyped, or confirm moving it into the expired batch \\(confirmExpired\\)\\.$',
    ));
    expect(details(known)).toEqual([{ line: 2, sku: 'CLARET-75', batch: 'OLD', expiry: '2026-06-14', day: '2026-06-15' }]);
    const typed = await expectRefusalOf(() => s.counts(), () => s.call('operations.internalTransfer', transfer({ code: 'NEW-OLD', expiry: '2026-06-01' })), 'CONFLICT', /^Line 2: batch NEW-OLD of CLARET-75 expired/);
    expect(details(typed)).toEqual([{ line: 2, sku: 'CLARET-75', batch: 'NEW-OLD', expiry: '2026-06-01', day: '2026-06-15' }]);
    // Expiring on the transfer's own day is not expired; nor is a batch the line does not move into.
    const sameDay = await s.call('operations.internalTransfer', { ...transfer({ code: 'TODAY', expiry: '2026-06-15' }), idempotencyKey: key() });
    expect(sameDay.notes).toEqual([]);
  });

  it('is reviewed with a note saying posting asks, and posted when confirmed, into that batch', async () => {
    await claret();
    const review = await s.call('operations.review', { operation: 'internalTransfer', input: transfer({ code: 'OLD' }) });
    expect(review.notes).toEqual([expect.stringMatching(new RegExp(`^Line 2: batch OLD of CLARET-75 expired ${day.source}: it is moved into that batch as expired stock; posting asks you to confirm it\\.$`))]);
    const posted = await s.call('operations.internalTransfer', transfer({ code: 'OLD' }, true));
    expect(posted.notes).toEqual([expect.stringMatching(/^Line 2: batch OLD of CLARET-75 expired .*: it is moved into that batch as expired stock\.$/)]);
    const old = await s.rows<{ qty: number }>("SELECT sl.qty FROM stock_levels sl JOIN batches b ON b.id = sl.batch_id WHERE b.code = 'OLD' AND sl.site_id = ?", [s.ids.wh]);
    expect(old.reduce((a, r) => a + Number(r.qty), 0)).toBe(5);
  });
});

describe('a positive adjustment into an expired batch', () => {
  async function draft(lines: { qty: number; batch?: { code: string; expiry?: string } }[]): Promise<number> {
    const d = await s.call('operations.draftCreate', { name: 'Found stock', siteId: s.ids.wh, effectiveAt: at });
    for (const l of lines) await s.call('operations.draftSaveLine', { draftId: d.id, productId: s.ids.lot, qty: l.qty, reason: 'found', ...(l.batch ? { batch: l.batch } : {}) });
    return d.id;
  }

  it('is refused unless confirmed, naming each line that adds to an expired batch; a line taking stock out of one is not asked', async () => {
    await claret();
    const id = await draft([{ qty: -1, batch: { code: 'OLD' } }, { qty: 4, batch: { code: 'FOUND', expiry: '2026-06-10' } }, { qty: 1, batch: { code: 'OLD' } }, { qty: 1, batch: { code: 'GOOD' } }]);
    const e = await expectRefusalOf(() => s.counts(), () => s.call('operations.draftPost', { draftId: id, idempotencyKey: 'expired-into-draft' }), 'CONFLICT', new RegExp(
      `^Line 2: batch FOUND of CLARET-75 expired (10\\/06|06\\/10)\\/2026, before this adjustment's day (15\\/06|06\\/15)\\/2026; Line 3: batch OLD of CLARET-75 expired ${day.source}\\. ` +
        'Expired stock is added to stock only when you confirm it, so nothing was posted\\. Correct the expiry on the line if it was mistyped, or confirm adding the expired stock \\(confirmExpired\\)\\.$',
    ));
    expect(details(e).map((l) => [l.line, l.batch])).toEqual([[2, 'FOUND'], [3, 'OLD']]);
    expect((await s.call('operations.draftGet', { draftId: id })).status).toBe('draft');
    // Confirmed under the same key: posted, the draft marked posted, and the notes say what came in expired.
    const posted = await s.call('operations.draftPost', { draftId: id, idempotencyKey: 'expired-into-draft', confirmExpired: true });
    expect(posted.movementCount).toBe(4);
    expect(posted.notes).toHaveLength(2);
    expect((await s.call('operations.draftGet', { draftId: id })).status).toBe('posted');
    // A retry of the confirmed post replays it.
    expect((await s.call('operations.draftPost', { draftId: id, idempotencyKey: 'expired-into-draft', confirmExpired: true })).replayed).toBe(true);
  });

  it('posts unasked when no line adds to an expired batch', async () => {
    await claret();
    const id = await draft([{ qty: 2, batch: { code: 'GOOD' } }, { qty: -1, batch: { code: 'OLD' } }]);
    const posted = await s.call('operations.draftPost', { draftId: id, idempotencyKey: key() });
    expect(posted.movementCount).toBe(2);
    expect(posted.notes).toEqual([]);
  });
});
