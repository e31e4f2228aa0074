import { describe, expect, it } from 'vitest';
import { refusalWithDetails } from '../../test/fixtures/refusal';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/**
 * The review tells every bad line of a document at once (walk F10), each under its own line and field, and posting
 * stays all-or-nothing. On the configured store: SQLite by default, PostgreSQL in `npm run test:unit:pg`.
 */
let s: StoreUnderTest;
storePerTest((opened) => (s = opened));
let n = 0;
const key = () => `every-line-${process.pid}-${++n}`;
const refusal = refusalWithDetails;

describe('a review of a document with several bad lines', () => {
  it('names every bad line at once (a product that does not exist, a serial not in stock, a shortage), each with its field; nothing is written', async () => {
    await s.call('operations.receive', { idempotencyKey: key(), kind: 'cash_purchase', siteId: s.ids.wh, dutyPaid: false, lines: [{ productId: s.ids.bulk, qty: 300, unitCost: 25_000 }] });
    const before = await s.counts();
    const lines = [
      { productId: s.ids.bulk, qty: 100 },
      { productId: 987_654, qty: 1 },
      { productId: s.ids.bulk, qty: 50 },
      { productId: s.ids.serial, qty: 1, serials: ['XYZ-9'] },
      { productId: s.ids.bulk, qty: 5_000 },
    ];
    const r = await refusal(() => s.call('operations.review', { operation: 'despatch', input: { idempotencyKey: key(), kind: 'sale', siteId: s.ids.wh, lines } }));
    const problems = r.details.problems as { line: number; field: string | null; message: string }[];
    expect(problems.map((p) => p.line)).toEqual([2, 4, 5]);
    expect(problems.slice(0, 2).map((p) => p.field)).toEqual(['productId', 'serial']);
    expect(problems[0]!.message).toMatch(/^Line 2: the product picked does not exist/);
    expect(problems[1]!.message).toMatch(/^Line 4: serial XYZ-9 of TAP-01 is not in stock/);
    expect(problems[2]!.message).toMatch(/^Line 5: .*RICE-1KG/);
    expect(r.message).toMatch(/^3 lines cannot be posted as they are, so nothing was posted: Line 2: .* Line 4: .* Line 5: .* Correct them and review again\.$/);
    expect(r.details).toMatchObject({ line: 2, field: 'productId' });
    // Posting it is refused all the same, and writes nothing.
    await expect(s.call('operations.despatch', { idempotencyKey: key(), kind: 'sale', siteId: s.ids.wh, lines })).rejects.toThrow(/Line 2/);
    expect(await s.counts()).toEqual(before);
  });

  it('refuses one bad line as before, unchanged, and reviews a good document', async () => {
    await s.call('operations.receive', { idempotencyKey: key(), kind: 'cash_purchase', siteId: s.ids.wh, dutyPaid: false, lines: [{ productId: s.ids.bulk, qty: 300, unitCost: 25_000 }] });
    const r = await refusal(() => s.call('operations.review', { operation: 'despatch', input: { idempotencyKey: key(), kind: 'sale', siteId: s.ids.wh, lines: [{ productId: s.ids.bulk, qty: 100 }, { productId: s.ids.bulk, qty: 5_000 }] } }));
    expect(r.message).toMatch(/^Line 2: /);
    expect(r.details.problems).toBeUndefined();
    const ok = await s.call('operations.review', { operation: 'despatch', input: { idempotencyKey: key(), kind: 'sale', siteId: s.ids.wh, lines: [{ productId: s.ids.bulk, qty: 100 }, { productId: s.ids.bulk, qty: 50 }] } });
    expect(ok.movements).toHaveLength(2);
  });
});
