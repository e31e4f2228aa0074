import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { companyUpdateSchema } from '../../shared/contract/company.schemas';
import type { SetupStep } from '../../shared/company';
import { AppError } from '../../shared/contract/errors';
import { undoMigrationsThrough } from '../../test/fixtures/migrations';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { Company } from './company-settings';
import { CompanyStore } from './company-store';

/**
 * SQLite only: a new, empty ledger file with the Company rules over SQLite's CompanyStore (the configured-store fixture
 * always holds master data, and `firstRun` is no contract input), and the undo of SQLite's ManageSettings migration.
 * company.pg-ops.test.ts checks PostgreSQL opens the assistant on a new ledger too; the rest: company-settings.test.ts.
 */
const T = Date.UTC(2026, 11, 1, 12);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A new ledger, as the app creates it on first start: nothing in it but what every new ledger holds. */
async function newLedger(firstRun = true): Promise<{ ledger: SqliteLedger; company: Company; admin: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'stockbook-company-'));
  const ledger = await SqliteLedger.open(join(dir, 'ledger.db'));
  cleanups.push(async () => {
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const admin = (ledger.db.prepare("SELECT id FROM users WHERE username = 'admin'").get() as { id: number }).id;
  return { ledger, admin, company: new Company(new CompanyStore(ledger.db), { clock: () => T, firstRun }) };
}

const input = (over: Record<string, unknown> = {}) =>
  companyUpdateSchema.parse({ name: 'Harbour Kitchen Ltd', currency: 'GBP', timeZone: 'Europe/London', locale: 'en-GB', fyStartMonth: 4, ...over });

describe('manage:settings', () => {
  it('administrators hold it after the migration and lose it when it is undone', async () => {
    const { ledger } = await newLedger();
    const perms = (u: string) => JSON.parse((ledger.db.prepare('SELECT permissions FROM users WHERE username = ?').get(u) as { permissions: string }).permissions) as string[];
    expect(perms('admin')).toContain('manage:settings');
    await undoMigrationsThrough({ dataSource: ledger.dataSource, db: ledger.db }, 'ManageSettings1732400002200');
    expect(perms('admin')).not.toContain('manage:settings');
    expect(perms('admin')).toContain('manage:products');
  });
});

describe('the first-run assistant', () => {
  it('opens on a new, empty ledger and follows the steps the user reaches until done, then never again', async () => {
    const { ledger, company, admin } = await newLedger();
    expect(company.get().setup).toEqual({ open: true, step: 'company' });
    company.update(input({ setupStep: 'site' }), admin);
    // The ledger is no longer empty, yet the assistant resumes where it was left.
    expect(company.get().setup).toEqual({ open: true, step: 'site' });
    expect(company.setupStep('products').setup).toEqual({ open: true, step: 'products' });
    // A step this version does not know starts the assistant over, never a screen with no step.
    new CompanyStore(ledger.db).saveSetupStep('accounts-v9' as SetupStep, Date.now());
    expect(company.get().setup).toEqual({ open: true, step: 'company' });
    expect(company.setupStep('done').setup).toEqual({ open: false, step: 'done' });
    expect(new Company(new CompanyStore(ledger.db)).get().setup).toEqual({ open: false, step: 'done' });
  });

  it('does not open when first run is switched off', async () => {
    const { company: off } = await newLedger(false);
    expect(off.get().setup.open).toBe(false);
  });

  it('a refused company step keeps the assistant where it was', async () => {
    const { company, admin } = await newLedger();
    expect(() => company.update(input({ currency: 'XYZ', setupStep: 'site' }), admin)).toThrow(AppError);
    expect(company.get().setup).toEqual({ open: true, step: 'company' });
    expect(company.get().saved).toBe(false);
  });
});
