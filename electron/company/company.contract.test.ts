import { describe, expect, it } from 'vitest';
import { appForFile } from '../../test/fixtures/configured-app';
import { STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';

const opened = appForFile('company');

const settings = { name: 'Harbour Kitchen Ltd', currency: 'GBP', timeZone: 'Europe/London', locale: 'en-GB', fyStartMonth: 4 };

describe(`company settings through the contract (main process, ledger worker; ${STORE_UNDER_TEST})`, () => {
  it('a new ledger opens the assistant; a clerk without manage:settings may read but not change the settings', async () => {
    const { app } = opened();
    const clerk = { userId: app.session.userId, username: 'clerk', permissions: ['read:stock'] };
    expect(await app.dispatch('company.get', {}, clerk)).toMatchObject({ ok: true, result: { saved: false, setup: { open: true, step: 'company' } } });
    expect(await app.dispatch('company.update', settings, clerk)).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION', message: 'clerk may not change the company settings: that needs the “Change company settings” permission. Ask an administrator for it (Settings → Users).' },
    });
    expect(await app.dispatch('company.setupStep', { step: 'done' }, clerk)).toMatchObject({ ok: false, error: { code: 'PERMISSION' } });
  });

  it('refuses a missing name as outside the contract, and a bad time zone as a rule, each naming the field', async () => {
    const { app } = opened();
    expect(await app.dispatch('company.update', { ...settings, name: '  ' }, app.session)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { issues: [{ path: 'name', message: 'The company name is required' }] } },
    });
    expect(await app.dispatch('company.update', { ...settings, timeZone: 'Europe/Atlantis' }, app.session)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { field: 'timeZone' } },
    });
    expect(await app.dispatch('company.get', {}, app.session)).toMatchObject({ ok: true, result: { saved: false } });
  });

  it('the administrator saves the settings and moves the assistant on', async () => {
    const { app } = opened();
    expect(app.session.permissions).toContain('manage:settings');
    expect(await app.dispatch('company.update', { ...settings, setupStep: 'site' }, app.session)).toMatchObject({
      ok: true,
      result: { saved: true, settings, minorUnits: 2, currencyLocked: null, setup: { open: true, step: 'site' } },
    });
    expect(await app.dispatch('company.setupStep', { step: 'done' }, app.session)).toMatchObject({ ok: true, result: { setup: { open: false, step: 'done' } } });
  });
});
