import { beforeEach, describe, expect, it } from 'vitest';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/** On the configured store (test/fixtures/store-under-test.ts): SQLite by default, PostgreSQL in `npm run test:unit:pg`. */
let s: StoreUnderTest;
storePerTest((opened) => (s = opened));

beforeEach(async () => {
  const product = (sku: string, name: string) => s.call('masterdata.productCreate', { sku, name, unit: 'each', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null });
  await product('SOF-00220', 'Sofa, grey');
  await product('SOF-00221', 'Sofa, blue');
  // RETURNING: s.rows reads rows on both stores (SQLite's all() needs a statement that returns data).
  await s.rows('INSERT INTO product_barcodes (barcode, product_id) VALUES (?, ?) RETURNING barcode', ['5012345678900', s.ids.bulk]);
});

const products = (search: string) => s.call('operations.products', { search, limit: 20 });

describe('product search for the picker', () => {
  it('marks no product exact when the text is only the start of SKUs (SOF-0022 is not SOF-00220)', async () => {
    const r = await products('SOF-0022');
    expect(r.map((p) => p.sku)).toEqual(['SOF-00220', 'SOF-00221']);
    expect(r.some((p) => p.exact)).toBe(false);
  });
  it('marks the product whose SKU (any case) or barcode is the text, and lists it first', async () => {
    expect((await products('sof-00221')).map((p) => [p.sku, p.exact])).toEqual([['SOF-00221', true]]);
    const byBarcode = await products('5012345678900');
    expect(byBarcode[0]).toMatchObject({ sku: 'RICE-1KG', exact: true });
  });
});

describe('documents to reverse', () => {
  const receive = (kind: 'cash_purchase' | 'stock_receipt', key: string) =>
    s.call('operations.receive', { idempotencyKey: key, kind, siteId: s.ids.wh, dutyPaid: false, lines: [{ productId: s.ids.bulk, qty: 1_000, binId: s.ids.binA, unitCost: 20_000 }] });

  it('name the kind and site of each receipt, from its operation or, without one, from the one movement type and site its lines share', async () => {
    const bought = await receive('cash_purchase', 'lookups-bought');
    const received = await receive('stock_receipt', 'lookups-received');
    // A document written without an operation row (the demo ledger's, a ledger from before operations were recorded).
    await s.rows('DELETE FROM operation_documents WHERE document_id = ? RETURNING document_id', [received.documentId]);
    const docs = await s.call('operations.recentDocuments', { types: ['receipt'], limit: 10 });
    expect(docs.map((d) => [d.documentId, d.kind, d.siteName])).toEqual([
      [received.documentId, 'stock_receipt', 'Central Warehouse'],
      [bought.documentId, 'cash_purchase', 'Central Warehouse'],
    ]);
    expect((await s.call('operations.document', { documentId: received.documentId! })).kind).toBe('stock_receipt');
  });
});
