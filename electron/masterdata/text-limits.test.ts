import { expect, it } from 'vitest';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/**
 * The contract's longest texts are stored whole on both stores: zod's .max(n) counts UTF-16 units, PostgreSQL's
 * varchar(n) counts characters (never fewer than the units), so a text the contract lets through at its limit fits the
 * column. Letters outside ASCII (two bytes each in UTF-8) show the column counts characters, not bytes. On the
 * configured store (test/fixtures/store-under-test.ts): SQLite by default, PostgreSQL in `npm run test:unit:pg`.
 */
let s: StoreUnderTest;
storePerTest((opened) => (s = opened));

/** `n` characters of non-ASCII letters, one UTF-16 unit and two UTF-8 bytes each. */
const wide = (n: number) => 'éΩ'.repeat(n).slice(0, n);
const ascii = (n: number, c = 'A') => c.repeat(n);

it('every master-data, supplier and receipt text at its contract limit is stored whole', async () => {
  const site = await s.call('masterdata.siteCreate', { code: ascii(32), name: wide(128), kind: 'warehouse', allowNegative: false });
  const bin = await s.call('masterdata.binCreate', { siteId: site.id, code: ascii(32, 'B'), name: wide(128), stockStatus: 'sellable' });
  const group = await s.call('masterdata.groupCreate', { code: ascii(32, 'G'), name: wide(128), postOnCosts: false });
  const product = await s.call('masterdata.productCreate', {
    sku: ascii(64, 'S'),
    name: wide(200),
    description: wide(2000),
    unit: wide(16),
    scale: 0,
    stockType: 'Supplied',
    tracking: 'LOT',
    stockKeeping: true,
    lowStockLevel: null,
    groupId: group.id,
  });
  const supplier = await s.call('suppliers.create', {
    code: ascii(32, 'P'),
    name: wide(128),
    country: 'FR',
    contactName: wide(128),
    email: `${ascii(242, 'm')}@example.com`,
    phone: '0'.repeat(40),
    address: wide(500),
    notes: wide(2000),
    active: true,
  });
  await s.call('operations.receive', {
    idempotencyKey: ascii(128, 'k'),
    reference: wide(100),
    counterparty: wide(128),
    note: wide(2000),
    kind: 'cash_purchase',
    siteId: site.id,
    supplierId: supplier.id,
    lines: [{ productId: product.id, qty: 3, binId: bin.id, batch: { code: wide(64), expiry: '2030-01-31' }, unitCost: 10_000 }],
  });

  const one = async (sql: string, id: number) => (await s.rows<Record<string, string>>(sql, [id]))[0]!;
  expect(await one('SELECT code, name FROM sites WHERE id = ?', site.id)).toEqual({ code: ascii(32), name: wide(128) });
  expect(await one('SELECT code, name FROM bins WHERE id = ?', bin.id)).toEqual({ code: ascii(32, 'B'), name: wide(128) });
  expect(await one('SELECT name FROM product_groups WHERE id = ?', group.id)).toEqual({ name: wide(128) });
  expect(await one('SELECT sku, name, description, unit FROM products WHERE id = ?', product.id)).toEqual({ sku: ascii(64, 'S'), name: wide(200), description: wide(2000), unit: wide(16) });
  expect(await one('SELECT name, contact_name AS "contactName", email, phone FROM suppliers WHERE id = ?', supplier.id)).toEqual({
    name: wide(128),
    contactName: wide(128),
    email: `${ascii(242, 'm')}@example.com`,
    phone: '0'.repeat(40),
  });
  expect(await one('SELECT code FROM batches WHERE product_id = ?', product.id)).toEqual({ code: wide(64) });
  expect(await s.rows('SELECT reference, idempotency_key AS "key" FROM documents WHERE reference = ?', [wide(100)])).toEqual([{ reference: wide(100), key: ascii(128, 'k') }]);
  expect(await s.rows('SELECT counterparty FROM operation_documents WHERE counterparty = ?', [wide(128)])).toHaveLength(1);
});
