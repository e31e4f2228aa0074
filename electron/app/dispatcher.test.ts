import { describe, expect, it } from 'vitest';
import { appForFile } from '../../test/fixtures/configured-app';
import { STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';

/** The composition root on the configured store: a SQLite file, or PostgreSQL in `npm run test:unit:pg`. */
const opened = appForFile('app');

describe(`the contract through the composition root (ledger in its worker thread; ${STORE_UNDER_TEST})`, () => {
  it('answers app.info with the signed-in user and counts', async () => {
    const { app } = opened();
    const out = await app.dispatch('app.info', {}, app.session);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.result).toMatchObject({ mode: 'web', productCount: 0, movementCount: 0, user: { username: 'admin' } });
  });

  it('refuses invalid input with a clear validation error and changes nothing', async () => {
    const { app } = opened();
    const before = await app.dispatch('app.info', {}, app.session);
    const out = await app.dispatch(
      'operations.receive',
      { idempotencyKey: 'k', kind: 'teleport', siteId: 1.5, lines: [{ productId: -1, qty: 0.5, unitCost: 1 }] },
      app.session,
    );
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error.code).toBe('VALIDATION');
    expect(out.error.message).toMatch(/^Could not receive stock: /);
    expect(out.error.message).not.toContain('operations.receive');
    expect(out.error.message).toContain('Form reference');
    expect(out.error.message).toContain('Line 1 quantity');
    expect(out.error.details).toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ path: 'lines.0.qty' })]) });
    expect(out.error.message).toMatch(/Correct these fields and try again; nothing was changed\.$/);
    expect(await app.dispatch('app.info', {}, app.session)).toEqual(before);
  });

  it('refuses unknown methods and extra fields', async () => {
    const { app } = opened();
    const unknown = await app.dispatch('ledger.dropEverything', {}, app.session);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const extra = await app.dispatch('sites.list', { sql: 'DROP TABLE movements' }, app.session);
    expect(extra).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('checks the caller\'s permission', async () => {
    const { app } = opened();
    const out = await app.dispatch('demo.load', { movements: 1000 }, { userId: 1, username: 'clerk', permissions: ['read:stock'] });
    expect(out).toMatchObject({ ok: false, error: { code: 'PERMISSION' } });
    if (!out.ok) {
      expect(out.error.message).toContain('needs the “Manage data” permission');
      expect(out.error.message).not.toContain('manage:data');
    }
  });

  it('every permission refusal names the permission in plain words and whom to ask, from the company settings to product groups', async () => {
    const { app } = opened();
    const clerk = { userId: 1, username: 'clerk', permissions: ['read:stock'] };
    const refusals = [
      ['company.setupStep', { step: 'done' }, 'clerk may not '],
      ['counts.create', { siteId: 1 }, 'clerk may not create a stock count session: that needs the “Count stock” permission.'],
      ['recipes.save', { recipeId: 1, components: [{ productId: 2, qtyPerUnit: 1 }] }, 'needs the “Manage products” permission.'],
      ['masterdata.groupCreate', { code: 'SPIRITS', name: 'Spirits', postOnCosts: true }, 'clerk may not create a product group: that needs the “Manage products” permission.'],
      ['users.create', { username: 'porter', displayName: 'Porter', permissions: ['read:stock'] }, 'needs the “Manage users” permission.'],
    ] as const;
    for (const [method, input, says] of refusals) {
      const out = await app.dispatch(method, input, clerk);
      expect(out, method).toMatchObject({ ok: false, error: { code: 'PERMISSION', message: expect.stringContaining(says) } });
      expect(!out.ok && out.error.message, method).toMatch(/ permission\. Ask an administrator for it \(Settings → Users\)\.$/);
    }
  });

  it('carries ledger errors across the worker boundary as {code, message, details}', async () => {
    const { app } = opened();
    const out = await app.dispatch(
      'operations.despatch',
      { idempotencyKey: 'doc-000001', kind: 'sale', siteId: 1, lines: [{ productId: 42, qty: 1 }] },
      app.session,
    );
    expect(out).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('the product picked does not exist') } });
  });

  it('lists sites incl. the External pseudo-site', async () => {
    const { app } = opened();
    const out = await app.dispatch('sites.list', {}, app.session);
    expect(out).toMatchObject({ ok: true, result: [{ code: 'EXTERNAL', kind: 'external' }] });
  });
});
