import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { OperationLookups } from './lookups';

let f: Fixture;
let lookups: OperationLookups;
beforeEach(async () => {
  f = await openFixture();
  lookups = new OperationLookups(f.ledger.db);
  f.ledger.reference.addProduct({ sku: 'SOF-00220', name: 'Sofa, grey', stockType: 'Supplied' });
  f.ledger.reference.addProduct({ sku: 'SOF-00221', name: 'Sofa, blue', stockType: 'Supplied' });
  f.ledger.db.prepare('INSERT INTO product_barcodes (barcode, product_id) VALUES (?, ?)').run('5012345678900', f.ids.bulk);
});
afterEach(async () => {
  await f.cleanup();
});

describe('product search for the picker', () => {
  it('marks no product exact when the text is only the start of SKUs (SOF-0022 is not SOF-00220)', () => {
    const r = lookups.products('SOF-0022', 20);
    expect(r.map((p) => p.sku)).toEqual(['SOF-00220', 'SOF-00221']);
    expect(r.some((p) => p.exact)).toBe(false);
  });
  it('marks the product whose SKU (any case) or barcode is the text, and lists it first', () => {
    expect(lookups.products('sof-00221', 20).map((p) => [p.sku, p.exact])).toEqual([['SOF-00221', true]]);
    const byBarcode = lookups.products('5012345678900', 20);
    expect(byBarcode[0]).toMatchObject({ sku: 'RICE-1KG', exact: true });
  });
});
