import { describe, expect, it } from 'vitest';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/**
 * A transfer's receiving side goes into the bin its line names (the form offers the product's default bin at the
 * receiving site, as a receipt line does at its site); a line naming none takes the document's `toBinId`, else no bin.
 * A bin of another site is refused, naming the line. On the configured store.
 */
let s: StoreUnderTest;
storePerTest((opened) => (s = opened));
let n = 0;
const key = () => `transfer-bins-${process.pid}-${++n}`;

const receive = () =>
  s.call('operations.receive', { idempotencyKey: key(), kind: 'cash_purchase', siteId: s.ids.wh, dutyPaid: false, lines: [{ productId: s.ids.bulk, qty: 5_000, binId: s.ids.binA, unitCost: 25_000 }] });
const shopBin = async (code: string) => (await s.call('masterdata.binCreate', { siteId: s.ids.shop, code, stockStatus: 'sellable' })).id;
const legs = async (documentId: number) =>
  s.rows<{ site_id: number; bin_id: number | null; qty: number }>(
    s.store === 'postgres' ? 'SELECT site_id, bin_id, qty FROM movements WHERE document_id = $1 ORDER BY seq' : 'SELECT site_id, bin_id, qty FROM movements WHERE document_id = ? ORDER BY seq',
    [documentId],
  );

describe('transfer receiving bins', () => {
  it("each line's receiving bin is the one it names; a line naming none takes the document's, else none", async () => {
    await receive();
    const counter = await shopBin('THEKE');
    const store = await shopBin('LAGER');
    const t = await s.call('operations.transfer', {
      idempotencyKey: key(),
      fromSiteId: s.ids.wh,
      toSiteId: s.ids.shop,
      toBinId: store,
      lines: [
        { productId: s.ids.bulk, qty: 1_000, toBinId: counter },
        { productId: s.ids.bulk, qty: 500 },
      ],
    });
    expect(await legs(t.documentId!)).toEqual([
      { site_id: s.ids.wh, bin_id: s.ids.binA, qty: -1_000 },
      { site_id: s.ids.shop, bin_id: counter, qty: 1_000 },
      { site_id: s.ids.wh, bin_id: s.ids.binA, qty: -500 },
      { site_id: s.ids.shop, bin_id: store, qty: 500 },
    ]);
    const plain = await s.call('operations.transfer', { idempotencyKey: key(), fromSiteId: s.ids.wh, toSiteId: s.ids.shop, lines: [{ productId: s.ids.bulk, qty: 100 }] });
    expect((await legs(plain.documentId!))[1]).toEqual({ site_id: s.ids.shop, bin_id: null, qty: 100 });
  });

  it('a receiving bin of another site is refused naming the line, and nothing is posted', async () => {
    await receive();
    const before = await s.counts();
    await expect(
      s.call('operations.transfer', { idempotencyKey: key(), fromSiteId: s.ids.wh, toSiteId: s.ids.shop, lines: [{ productId: s.ids.bulk, qty: 100, toBinId: s.ids.binB }] }),
    ).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/^Line 1.*bin B-01 is not a bin of Soho Bar\. Pick a bin of that site\./) });
    expect(await s.counts()).toEqual(before);
  });
});
