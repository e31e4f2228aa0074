import { describe, expect, it } from 'vitest';
import type { MethodInput } from '../../shared/contract/methods';
import { methods } from '../../shared/contract/methods';
import { expectFieldRefusalOf } from '../../test/fixtures/refusal';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';
import { canonicalLocale, canonicalTimeZone } from '../../shared/intl-names';
import { machineDefaults } from './company-rules';

/**
 * On the configured store (test/fixtures/store-under-test.ts): SQLite by default, PostgreSQL in `npm run test:unit:pg`.
 * A new, empty ledger's first-run assistant and the migration's undo: company-settings.sqlite.test.ts.
 */
let s: StoreUnderTest;
let n = 0;
const key = () => `company-test-${process.pid}-${++n}`;

storePerTest((opened) => (s = opened));

const input = (over: Record<string, unknown> = {}) =>
  ({ name: 'Harbour Kitchen Ltd', currency: 'GBP', timeZone: 'Europe/London', locale: 'en-GB', fyStartMonth: 4, ...over }) as MethodInput<'company.update'>;
const update = (over: Record<string, unknown> = {}) => s.call('company.update', input(over));
const info = () => s.call('company.get', {});
const lastAuditId = async () => (await s.rows<{ id: number }>('SELECT COALESCE(MAX(id), 0) AS id FROM audit_log'))[0]!.id;
/** The master-data audit entries after entry `since` (the fixture's own master data is audited too), oldest first. */
const audits = async (since: number) =>
  (await s.rows<{ username: string; action: string; detail: string }>("SELECT username, action, detail FROM audit_log WHERE action = 'master-data-changed' AND id > ? ORDER BY id", [since])).map(
    (r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }),
  );
/** A receipt at the warehouse through the contract, at `unitCost` per unit. */
const receive = (line: Record<string, unknown>) =>
  s.call('operations.receive', { idempotencyKey: key(), kind: 'cash_purchase', siteId: s.ids.wh, dutyPaid: false, lines: [line as MethodInput<'operations.receive'>['lines'][number]] });

/** A refusal names the company's field, says what to do, and writes nothing: no setting, no audit entry. */
const expectRefused = (over: Record<string, unknown>, code: string, field: string, pattern: RegExp) =>
  expectFieldRefusalOf(async () => [await s.count('settings'), await s.count('audit_log'), JSON.stringify(await info())], () => update(over), code, field, pattern);

describe('company settings', () => {
  it('are the machine defaults until saved: GBP, this computer’s time zone and locale, a year from January', async () => {
    const got = await info();
    expect(got.saved).toBe(false);
    expect(got.settings).toEqual(machineDefaults());
    expect(got.settings).toMatchObject({ name: '', currency: 'GBP', fyStartMonth: 1 });
    expect(canonicalTimeZone(got.settings.timeZone)).toBe(got.settings.timeZone);
    expect(got.minorUnits).toBe(2);
  });

  it('saves in canonical form, with one audit entry per change holding before and after', async () => {
    const since = await lastAuditId();
    const saved = await update({ currency: 'jpy', locale: 'en-gb', timeZone: 'US/Eastern' });
    expect(saved.saved).toBe(true);
    expect(saved.settings).toEqual({ name: 'Harbour Kitchen Ltd', currency: 'JPY', timeZone: 'America/New_York', locale: 'en-GB', fyStartMonth: 4 });
    expect(saved.minorUnits).toBe(0);
    await update({ currency: 'JPY', locale: 'en-GB', timeZone: 'America/New_York' }); // unchanged: no entry
    await update({ currency: 'EUR', timeZone: 'Europe/Berlin', locale: 'de-DE', fyStartMonth: 1 });
    const now = (await info()).settings;
    expect(now).toEqual({ name: 'Harbour Kitchen Ltd', currency: 'EUR', timeZone: 'Europe/Berlin', locale: 'de-DE', fyStartMonth: 1 });
    expect(await audits(since)).toEqual([
      { username: 'admin', action: 'master-data-changed', detail: { record: 'company', id: 1, label: 'Harbour Kitchen Ltd', before: null, after: saved.settings } },
      { username: 'admin', action: 'master-data-changed', detail: { record: 'company', id: 1, label: 'Harbour Kitchen Ltd', before: saved.settings, after: now } },
    ]);
  });

  it('refuses a currency ISO 4217 does not list, naming the field', async () => {
    await expectRefused({ currency: 'XYZ' }, 'VALIDATION', 'currency', /base currency "XYZ" is not an ISO 4217 currency code/);
    await expectRefused({ currency: 'XAU' }, 'VALIDATION', 'currency', /"XAU" is not an ISO 4217 currency code/);
    await expectRefused({ currency: '' }, 'VALIDATION', 'currency', /needs a base currency/);
  });

  it('refuses a time zone that is not an IANA zone', async () => {
    await expectRefused({ timeZone: 'Mars/Olympus' }, 'VALIDATION', 'timeZone', /time zone "Mars\/Olympus" is not an IANA time zone/);
    await expectRefused({ timeZone: 'GMT+1' }, 'VALIDATION', 'timeZone', /"GMT\+1" is not an IANA time zone/);
  });

  it('refuses a locale that is not a BCP 47 tag Intl can write in', async () => {
    expect(canonicalLocale('fr-ca')).toBe('fr-CA');
    await expectRefused({ locale: 'english' }, 'VALIDATION', 'locale', /locale "english" is not a language tag/);
    await expectRefused({ locale: 'en_GB!' }, 'VALIDATION', 'locale', /locale "en_GB!" is not a language tag/);
    await expectRefused({ locale: 'zz-QQ' }, 'VALIDATION', 'locale', /"zz-QQ"/);
  });

  it('refuses a financial year starting outside months 1 to 12', async () => {
    await expectRefused({ fyStartMonth: 0 }, 'VALIDATION', 'fyStartMonth', /from 1 \(January\) to 12 \(December\); 0 is not a month/);
    await expectRefused({ fyStartMonth: 13 }, 'VALIDATION', 'fyStartMonth', /13 is not a month/);
  });

  it('keeps the base currency once a movement carries a value, saying why; other fields still change', async () => {
    await update();
    // A movement without a value does not fix the currency.
    await receive({ productId: s.ids.serial, qty: 1, serials: ['S-1'], unitCost: 0 });
    expect((await info()).currencyLocked).toBeNull();
    await update({ currency: 'USD' });
    await update({ currency: 'GBP' });
    await receive({ productId: s.ids.bulk, binId: s.ids.binA, qty: 2_000, unitCost: 15_000 });
    expect((await info()).currencyLocked).toMatch(/already carry values in GBP/);
    await expectRefused({ currency: 'USD' }, 'CONFLICT', 'currency', /base currency cannot change from GBP to USD: stock movements already carry values in GBP/);
    expect((await update({ name: 'Harbour Kitchen Group', fyStartMonth: 7 })).settings).toMatchObject({ name: 'Harbour Kitchen Group', currency: 'GBP', fyStartMonth: 7 });
  });

  it('refuses, before anything is saved, a currency other than the default GBP the valued movements were recorded in', async () => {
    await receive({ productId: s.ids.bulk, binId: s.ids.binA, qty: 1_000, unitCost: 0, onCosts: { freight: 500 } });
    await expectRefused({ currency: 'EUR' }, 'CONFLICT', 'currency', /from GBP to EUR/);
  });

  it('need manage:settings to change, which administrators hold', async () => {
    expect(methods['company.update'].permission).toBe('manage:settings');
    expect(methods['company.setupStep'].permission).toBe('manage:settings');
    expect(methods['company.get'].permission).toBe('read:stock');
    const perms = async (u: string) => {
      const [row] = await s.rows<{ permissions: unknown }>('SELECT permissions FROM users WHERE username = ?', [u]);
      return (typeof row!.permissions === 'string' ? JSON.parse(row!.permissions) : row!.permissions) as string[];
    };
    expect(await perms('admin')).toContain('manage:settings');
    expect(await perms('system')).toContain('manage:settings');
  });
});

describe('the first-run assistant', () => {
  it('does not open on a ledger set up without it', async () => {
    expect((await info()).setup).toEqual({ open: false, step: 'done' });
  });
});
