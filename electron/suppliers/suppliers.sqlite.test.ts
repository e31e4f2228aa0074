import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { createWorkerContext } from '../ledger/worker-context';
import { SupplierStore } from './supplier-store';
import { Suppliers } from './suppliers';
import { suppliersOps, type SuppliersOps } from './suppliers.ops';

/**
 * SQLite only: the supplier rules run inside a transaction their caller owns (the SQLite catalog import's), through the
 * Suppliers class over the SQLite SupplierStore: a store-internal API with no contract operation of its own. The
 * contract's supplier operations are proven on both stores in suppliers.test.ts.
 */
let f: Fixture;
let sup: SuppliersOps;

beforeEach(async () => {
  f = await openFixture();
  sup = suppliersOps(createWorkerContext(f.ledger, () => undefined));
});
afterEach(async () => {
  expect(f.ledger.verify().ok).toBe(true);
  await f.cleanup();
});

const all = () => JSON.stringify([sup['suppliers.list']({ search: '', includeInactive: true }), f.ledger.db.prepare('SELECT * FROM product_supplier_codes ORDER BY id').all()]);

describe('suppliers in a caller-owned transaction', () => {
  it('creates or updates by code inside a caller-owned transaction (catalog import), all or nothing', () => {
    const rules = new Suppliers(new SupplierStore(f.ledger.db));
    const run = f.ledger.db.transaction((rows: { code: string; name: string; country: string }[]) => rows.map((r) => rules.saveByCode(r, f.ids.admin)));
    const first = run([{ code: 'ACME', name: 'Acme', country: 'FR' }, { code: 'BRIT', name: 'Brit', country: 'GB' }]);
    expect(first.map((r) => [r.supplier.code, r.created, r.supplier.inEc])).toEqual([['ACME', true, true], ['BRIT', true, false]]);
    const again = run([{ code: 'acme', name: 'Acme SA', country: 'BE' }]);
    expect(again.map((r) => [r.supplier.code, r.created, r.supplier.name])).toEqual([['acme', false, 'Acme SA']]);
    // A bad row refuses the whole import: the first row's change is rolled back too.
    const before = all();
    expect(() => run([{ code: 'ACME', name: 'Renamed', country: 'FR' }, { code: 'C', name: 'Brit', country: 'GB' }])).toThrow(/Another supplier is already called Brit/);
    expect(all()).toEqual(before);
  });
});
