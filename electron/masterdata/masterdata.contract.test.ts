import { describe, expect, it } from 'vitest';
import { appForFile } from '../../test/fixtures/configured-app';
import { STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';

const opened = appForFile('masterdata');

const site = { code: 'WH', name: 'Warehouse', kind: 'warehouse', allowNegative: false };
const product = { sku: 'OIL', name: 'Olive oil', unit: 'l', scale: 2, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null, barcodes: ['4006381333931'] };

describe(`master data through the contract (main process, ledger worker; ${STORE_UNDER_TEST})`, () => {
  it('checks manage:sites and manage:products in main: a clerk with read:stock is refused and nothing is written', async () => {
    const { app } = opened();
    const clerk = { userId: app.session.userId, username: 'clerk', permissions: ['read:stock'] };
    const refusedSite = await app.dispatch('masterdata.siteCreate', site, clerk);
    expect(refusedSite).toMatchObject({ ok: false, error: { code: 'PERMISSION', message: 'clerk may not create a site: that needs the “Manage sites and bins” permission. Ask an administrator for it (Settings → Users).' } });
    const refusedProduct = await app.dispatch('masterdata.productCreate', product, { ...clerk, permissions: ['read:stock', 'manage:sites'] });
    expect(refusedProduct).toMatchObject({ ok: false, error: { code: 'PERMISSION' } });
    expect(await app.dispatch('masterdata.sites', {}, clerk)).toMatchObject({ ok: true, result: [{ code: 'EXTERNAL' }] });
    expect(await app.dispatch('masterdata.products', {}, clerk)).toMatchObject({ ok: true, result: { total: 0 } });
  });

  it('the administrator creates a site and a product in the worker; the Receive lookups and sites.list see them at once', async () => {
    const { app } = opened();
    expect(app.session.permissions).toEqual(expect.arrayContaining(['manage:sites', 'manage:products']));
    const s = await app.dispatch('masterdata.siteCreate', site, app.session);
    expect(s).toMatchObject({ ok: true, result: { code: 'WH', kind: 'warehouse', active: true } });
    const p = await app.dispatch('masterdata.productCreate', product, app.session);
    expect(p).toMatchObject({ ok: true, result: { sku: 'OIL', barcodes: ['4006381333931'] } });
    expect(await app.dispatch('sites.list', {}, app.session)).toMatchObject({ ok: true, result: [{ code: 'WH', active: true }, { code: 'EXTERNAL' }] });
    expect(await app.dispatch('operations.products', { search: '4006381333931' }, app.session)).toMatchObject({ ok: true, result: [{ sku: 'OIL' }] });
  });

  it('refuses input outside the contract naming the field: 4 decimals, an unknown site kind', async () => {
    const { app } = opened();
    const scale = await app.dispatch('masterdata.productCreate', { ...product, sku: 'OIL-2', barcodes: [], scale: 4 }, app.session);
    expect(scale).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ path: 'scale', message: 'Decimals must be 0 to 3' }] } } });
    const kind = await app.dispatch('masterdata.siteCreate', { ...site, code: 'G', name: 'Garage', kind: 'garage' }, app.session);
    expect(kind).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ path: 'kind' }] } } });
  });

  it('keeps a pasted name on one line as the screens show it (a tab, double spaces, a line break), so a search for what is shown finds it', async () => {
    const { app } = opened();
    const wh = await app.dispatch('masterdata.siteCreate', { ...site, code: 'CELLAR', name: ' Wine\tcellar ' }, app.session);
    expect(wh).toMatchObject({ ok: true, result: { name: 'Wine cellar' } });
    const pasted = await app.dispatch('masterdata.productCreate', { ...product, sku: 'LAF-19', name: 'Château Lafleur\t2019  Bordeaux\r\n75cl ', barcodes: [] }, app.session);
    expect(pasted).toMatchObject({ ok: true, result: { name: 'Château Lafleur 2019 Bordeaux 75cl' } });
    const idOf = (r: unknown) => (r as { result: { id: number } }).result.id;
    const receipt = { idempotencyKey: 'one-line-receipt-1', kind: 'inbound', siteId: idOf(wh), dutyPaid: false, reference: 'PO \t 7', lines: [{ productId: idOf(pasted), qty: 100, unitCost: 1_0000 }] };
    expect(await app.dispatch('operations.receive', receipt, app.session)).toMatchObject({ ok: true });
    const found = await app.dispatch('enquiry.movements', { filter: { search: 'Lafleur  2019' }, order: 'asc', limit: 10 }, app.session);
    expect(found).toMatchObject({ ok: true, result: { rows: [{ sku: 'LAF-19', productName: 'Château Lafleur 2019 Bordeaux 75cl', documentReference: 'PO 7' }] } });
  });
});
