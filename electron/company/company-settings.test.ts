import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { companyUpdateSchema } from '../../shared/contract/company.schemas';
import { AppError } from '../../shared/contract/errors';
import { methods } from '../../shared/contract/methods';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { undoMigrationsThrough } from '../../test/fixtures/migrations';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { canonicalLocale, canonicalTimeZone, machineDefaults } from './company-rules';
import { Company } from './company-settings';
import { CompanyStore } from './company-store';
import { expectFieldRefusal } from '../../test/fixtures/refusal';

const T = Date.UTC(2026, 11, 1, 12);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function withFixture(): Promise<{ f: Fixture; company: Company }> {
  const f = await openFixture();
  cleanups.push(() => f.cleanup());
  return { f, company: new Company(new CompanyStore(f.ledger.db), { clock: () => T }) };
}

/** A new ledger, as the app creates it on first start: nothing in it but what every new ledger holds. */
async function newLedger(firstRun = true): Promise<{ ledger: SqliteLedger; company: Company }> {
  const dir = mkdtempSync(join(tmpdir(), 'stockbook-company-'));
  const ledger = await SqliteLedger.open(join(dir, 'ledger.db'));
  cleanups.push(async () => {
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { ledger, company: new Company(new CompanyStore(ledger.db), { clock: () => T, firstRun }) };
}

const input = (over: Record<string, unknown> = {}) =>
  companyUpdateSchema.parse({ name: 'Harbour Kitchen Ltd', currency: 'GBP', timeZone: 'Europe/London', locale: 'en-GB', fyStartMonth: 4, ...over });

const count = (f: Fixture, table: string) => (f.ledger.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
const audits = (f: Fixture) =>
  (f.ledger.db.prepare("SELECT username, action, detail FROM audit_log WHERE action = 'master-data-changed' ORDER BY id").all() as { username: string; action: string; detail: string }[]).map(
    (r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }),
  );

/** A refusal names the company's field, says what to do, and writes nothing: no setting, no audit entry. */
const expectRefused = (f: Fixture, company: Company, fn: () => unknown, code: string, field: string, pattern: RegExp) =>
  expectFieldRefusal(() => [count(f, 'settings'), count(f, 'audit_log'), JSON.stringify(company.info())], fn, code, field, pattern);

describe('company settings', () => {
  it('are the machine defaults until saved: GBP, this computer’s time zone and locale, a year from January', async () => {
    const { company } = await withFixture();
    const info = company.info();
    expect(info.saved).toBe(false);
    expect(info.settings).toEqual(machineDefaults());
    expect(info.settings).toMatchObject({ name: '', currency: 'GBP', fyStartMonth: 1 });
    expect(canonicalTimeZone(info.settings.timeZone)).toBe(info.settings.timeZone);
    expect(info.minorUnits).toBe(2);
  });

  it('saves in canonical form, with one audit entry per change holding before and after', async () => {
    const { f, company } = await withFixture();
    const saved = company.update(input({ currency: 'jpy', locale: 'en-gb', timeZone: 'US/Eastern' }), f.ids.admin);
    expect(saved.saved).toBe(true);
    expect(saved.settings).toEqual({ name: 'Harbour Kitchen Ltd', currency: 'JPY', timeZone: 'America/New_York', locale: 'en-GB', fyStartMonth: 4 });
    expect(saved.minorUnits).toBe(0);
    company.update(input({ currency: 'JPY', locale: 'en-GB', timeZone: 'America/New_York' }), f.ids.admin); // unchanged: no entry
    company.update(input({ currency: 'EUR', timeZone: 'Europe/Berlin', locale: 'de-DE', fyStartMonth: 1 }), f.ids.admin);
    expect(company.info().settings).toEqual({ name: 'Harbour Kitchen Ltd', currency: 'EUR', timeZone: 'Europe/Berlin', locale: 'de-DE', fyStartMonth: 1 });
    expect(audits(f)).toEqual([
      { username: 'admin', action: 'master-data-changed', detail: { record: 'company', id: 1, label: 'Harbour Kitchen Ltd', before: null, after: saved.settings } },
      {
        username: 'admin',
        action: 'master-data-changed',
        detail: { record: 'company', id: 1, label: 'Harbour Kitchen Ltd', before: saved.settings, after: company.info().settings },
      },
    ]);
  });

  it('refuses a currency ISO 4217 does not list, naming the field', async () => {
    const { f, company } = await withFixture();
    expectRefused(f, company, () => company.update(input({ currency: 'XYZ' }), f.ids.admin), 'VALIDATION', 'currency', /base currency "XYZ" is not an ISO 4217 currency code/);
    expectRefused(f, company, () => company.update(input({ currency: 'XAU' }), f.ids.admin), 'VALIDATION', 'currency', /"XAU" is not an ISO 4217 currency code/);
    expectRefused(f, company, () => company.update(input({ currency: '' }), f.ids.admin), 'VALIDATION', 'currency', /needs a base currency/);
  });

  it('refuses a time zone that is not an IANA zone', async () => {
    const { f, company } = await withFixture();
    expectRefused(f, company, () => company.update(input({ timeZone: 'Mars/Olympus' }), f.ids.admin), 'VALIDATION', 'timeZone', /time zone "Mars\/Olympus" is not an IANA time zone/);
    expectRefused(f, company, () => company.update(input({ timeZone: 'GMT+1' }), f.ids.admin), 'VALIDATION', 'timeZone', /"GMT\+1" is not an IANA time zone/);
  });

  it('refuses a locale that is not a BCP 47 tag Intl can write in', async () => {
    const { f, company } = await withFixture();
    expect(canonicalLocale('fr-ca')).toBe('fr-CA');
    expectRefused(f, company, () => company.update(input({ locale: 'english' }), f.ids.admin), 'VALIDATION', 'locale', /locale "english" is not a language tag/);
    expectRefused(f, company, () => company.update(input({ locale: 'en_GB!' }), f.ids.admin), 'VALIDATION', 'locale', /locale "en_GB!" is not a language tag/);
    expectRefused(f, company, () => company.update(input({ locale: 'zz-QQ' }), f.ids.admin), 'VALIDATION', 'locale', /"zz-QQ"/);
  });

  it('refuses a financial year starting outside months 1 to 12', async () => {
    const { f, company } = await withFixture();
    expectRefused(f, company, () => company.update(input({ fyStartMonth: 0 }), f.ids.admin), 'VALIDATION', 'fyStartMonth', /from 1 \(January\) to 12 \(December\); 0 is not a month/);
    expectRefused(f, company, () => company.update(input({ fyStartMonth: 13 }), f.ids.admin), 'VALIDATION', 'fyStartMonth', /13 is not a month/);
  });

  it('keeps the base currency once a movement carries a value, saying why; other fields still change', async () => {
    const { f, company } = await withFixture();
    company.update(input(), f.ids.admin);
    // A movement without a value does not fix the currency.
    f.ledger.poster.post(f.doc('receipt', [{ productId: f.ids.serial, siteId: f.ids.wh, type: 'stock_receipt', qty: 1, serial: 'S-1', unitCost: 0 }]), f.ids.admin);
    expect(company.info().currencyLocked).toBeNull();
    company.update(input({ currency: 'USD' }), f.ids.admin);
    company.update(input({ currency: 'GBP' }), f.ids.admin);
    f.ledger.poster.post(f.doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'stock_receipt', qty: 2_000, unitCost: 15_000 }]), f.ids.admin);
    expect(company.info().currencyLocked).toMatch(/already carry values in GBP/);
    expectRefused(
      f,
      company,
      () => company.update(input({ currency: 'USD' }), f.ids.admin),
      'CONFLICT',
      'currency',
      /base currency cannot change from GBP to USD: stock movements already carry values in GBP/,
    );
    expect(company.update(input({ name: 'Harbour Kitchen Group', fyStartMonth: 7 }), f.ids.admin).settings).toMatchObject({ name: 'Harbour Kitchen Group', currency: 'GBP', fyStartMonth: 7 });
    expect(f.ledger.verify().ok).toBe(true);
  });

  it('refuses, before anything is saved, a currency other than the default GBP the valued movements were recorded in', async () => {
    const { f, company } = await withFixture();
    f.ledger.poster.post(f.doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'stock_receipt', qty: 1_000, onCosts: { freight: 500 } }]), f.ids.admin);
    expectRefused(f, company, () => company.update(input({ currency: 'EUR' }), f.ids.admin), 'CONFLICT', 'currency', /from GBP to EUR/);
  });

  it('need manage:settings to change, which administrators hold after the migration and lose when it is undone', async () => {
    expect(methods['company.update'].permission).toBe('manage:settings');
    expect(methods['company.setupStep'].permission).toBe('manage:settings');
    expect(methods['company.get'].permission).toBe('read:stock');
    const { ledger } = await newLedger();
    const perms = (u: string) => JSON.parse((ledger.db.prepare('SELECT permissions FROM users WHERE username = ?').get(u) as { permissions: string }).permissions) as string[];
    expect(perms('admin')).toContain('manage:settings');
    expect(perms('system')).toContain('manage:settings');
    await undoMigrationsThrough({ dataSource: ledger.dataSource, db: ledger.db }, 'ManageSettings1732400002200');
    expect(perms('admin')).not.toContain('manage:settings');
    expect(perms('admin')).toContain('manage:products');
  });
});

describe('the first-run assistant', () => {
  it('opens on a new, empty ledger and follows the steps the user reaches until done, then never again', async () => {
    const { ledger, company } = await newLedger();
    expect(company.info().setup).toEqual({ open: true, step: 'company' });
    const admin = (ledger.db.prepare("SELECT id FROM users WHERE username = 'admin'").get() as { id: number }).id;
    company.update(input({ setupStep: 'site' }), admin);
    // The ledger is no longer empty, yet the assistant resumes where it was left.
    expect(company.info().setup).toEqual({ open: true, step: 'site' });
    expect(company.setupStep('products').setup).toEqual({ open: true, step: 'products' });
    expect(company.setupStep('done').setup).toEqual({ open: false, step: 'done' });
    expect(new Company(new CompanyStore(ledger.db)).info().setup).toEqual({ open: false, step: 'done' });
  });

  it('does not open on a ledger set up without it, nor when first run is switched off', async () => {
    const { company } = await withFixture();
    expect(company.info().setup).toEqual({ open: false, step: 'done' });
    const { company: off } = await newLedger(false);
    expect(off.info().setup.open).toBe(false);
  });

  it('a refused company step keeps the assistant where it was', async () => {
    const { ledger, company } = await newLedger();
    const admin = (ledger.db.prepare("SELECT id FROM users WHERE username = 'admin'").get() as { id: number }).id;
    expect(() => company.update(input({ currency: 'XYZ', setupStep: 'site' }), admin)).toThrow(AppError);
    expect(company.info().setup).toEqual({ open: true, step: 'company' });
    expect(company.info().saved).toBe(false);
  });
});
