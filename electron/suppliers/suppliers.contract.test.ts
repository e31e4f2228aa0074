import { describe, expect, it } from 'vitest';
import { appForFile } from '../../test/fixtures/configured-app';
import { STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';

const opened = appForFile('suppliers');

const acme = { code: 'ACME', name: 'Acme Foods', country: 'fr', email: 'orders@acme.fr' };

describe(`suppliers through the contract (main process, ledger worker; ${STORE_UNDER_TEST})`, () => {
  it('checks manage:suppliers in main: a clerk with read:stock can list but not create, and nothing is written', async () => {
    const { app } = opened();
    const clerk = { userId: app.session.userId, username: 'clerk', permissions: ['read:stock'] };
    const refused = await app.dispatch('suppliers.create', acme, clerk);
    expect(refused).toMatchObject({ ok: false, error: { code: 'PERMISSION', message: 'clerk may not create a supplier: that needs the “Manage suppliers” permission. Ask an administrator for it (Settings → Users).' } });
    expect(await app.dispatch('suppliers.list', {}, clerk)).toEqual({ ok: true, result: [] });
  });

  it('the administrator creates a supplier and receives from it; the document shows the supplier', async () => {
    const { app } = opened();
    expect(app.session.permissions).toContain('manage:suppliers');
    const s = await app.dispatch('suppliers.create', acme, app.session);
    expect(s).toMatchObject({ ok: true, result: { code: 'ACME', country: 'FR', inEc: true, active: true } });
    const site = await app.dispatch('masterdata.siteCreate', { code: 'WH', name: 'Warehouse', kind: 'warehouse', allowNegative: false }, app.session);
    const product = await app.dispatch('masterdata.productCreate', { sku: 'OIL', name: 'Olive oil', unit: 'l', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null }, app.session);
    const idOf = (r: typeof s) => (r.ok ? (r.result as { id: number }).id : 0);
    const posted = await app.dispatch(
      'operations.receive',
      { idempotencyKey: 'contract-sup-1', kind: 'supplier_order', siteId: idOf(site), supplierId: idOf(s), lines: [{ productId: idOf(product), qty: 6, unitCost: 40_000 }] },
      app.session,
    );
    expect(posted).toMatchObject({ ok: true, result: { movementCount: 1 } });
    const documentId = posted.ok ? (posted.result as { documentId: number }).documentId : 0;
    expect(await app.dispatch('operations.document', { documentId }, app.session)).toMatchObject({ ok: true, result: { supplierName: 'Acme Foods' } });
  });

  it('refuses input outside the contract naming the field: a country that is not two letters, a bad email', async () => {
    const { app } = opened();
    const country = await app.dispatch('suppliers.create', { ...acme, code: 'B', name: 'B', country: 'France' }, app.session);
    expect(country).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ path: 'country' }] } } });
    const email = await app.dispatch('suppliers.create', { ...acme, code: 'B', name: 'B', email: 'acme' }, app.session);
    expect(email).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ path: 'email', message: 'The email address is not valid: write it as name@example.com' }] } } });
  });
});
