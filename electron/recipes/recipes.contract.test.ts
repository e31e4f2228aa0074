import { describe, expect, it } from 'vitest';
import type { CallOutcome } from '../../shared/contract/transport';
import type { ProductRecord } from '../../shared/masterdata';
import { appForFile } from '../../test/fixtures/configured-app';
import { STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';

const opened = appForFile('recipes');

const product = (sku: string, stockType: string) => ({ sku, name: sku, unit: 'ea', scale: 0, stockType, tracking: 'BULK', stockKeeping: stockType !== 'Recipe', lowStockLevel: null });

describe(`recipes through the contract (main process, ledger worker; ${STORE_UNDER_TEST})`, () => {
  it('a clerk with read:stock reads but may not save; the administrator saves; bad input is refused naming its path', async () => {
    const { app } = opened();
    const egg = (await app.dispatch('masterdata.productCreate', product('EGG', 'Supplied'), app.session)) as CallOutcome<ProductRecord>;
    const omelette = (await app.dispatch('masterdata.productCreate', product('OMELETTE', 'Recipe'), app.session)) as CallOutcome<ProductRecord>;
    if (!egg.ok || !omelette.ok) throw new Error('products not created');
    const input = { recipeId: omelette.result.id, components: [{ productId: egg.result.id, qtyPerUnit: 3 }] };
    const clerk = { userId: app.session.userId, username: 'clerk', permissions: ['read:stock'] };
    expect(await app.dispatch('recipes.save', input, clerk)).toMatchObject({ ok: false, error: { code: 'PERMISSION' } });
    expect(await app.dispatch('recipes.versions', { recipeId: omelette.result.id }, clerk)).toEqual({ ok: true, result: [] });
    expect(await app.dispatch('recipes.save', input, app.session)).toMatchObject({ ok: true, result: { effectiveFrom: 0, components: [{ product: { sku: 'EGG' }, qtyPerUnit: 3 }] } });
    expect(await app.dispatch('recipes.explode', { recipeId: omelette.result.id, qty: 2 }, clerk)).toMatchObject({ ok: true, result: { totals: [{ product: { sku: 'EGG' }, qty: 6 }] } });
    expect(await app.dispatch('recipes.versionAt', { recipeId: omelette.result.id, at: '2020-01-01T00:00:00Z' }, clerk)).toMatchObject({ ok: true, result: { effectiveFrom: 0 } });
    const bad = await app.dispatch('recipes.save', { ...input, components: [{ productId: egg.result.id, qtyPerUnit: 0.5 }] }, app.session);
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ path: 'components.0.qtyPerUnit' }] } } });
    const self = await app.dispatch('recipes.save', { ...input, components: [{ productId: omelette.result.id, qtyPerUnit: 1 }] }, app.session);
    expect(self).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: 'The recipe of OMELETTE, line 1: OMELETTE cannot contain itself. Pick another component.', details: { field: 'components.0.productId' } } });
  });
});
