import type Database from 'better-sqlite3';
import type { AuditAction } from '../../shared/auth';
import type { CompanySettings, SetupStep } from '../../shared/company';
import { ledgerContent } from '../demo/empty-ledger-store';
import { audit, type AuditActor } from '../safety/audit';
import { getSetting, setSetting } from '../safety/settings-store';
import type { CompanyRecords } from './company-settings';

/** The settings key the company's settings are stored under (both databases' settings table). */
export const COMPANY_KEY = 'company';
/** The settings key the first-run assistant's step is stored under (both databases). */
export const SETUP_KEY = 'setup.assistant';

/** Whether any movement carries a unit cost or an on-cost (the same statement on both databases). */
export const VALUED_SQL = `SELECT EXISTS (SELECT 1 FROM movements WHERE unit_cost <> 0 OR oc_insurance <> 0 OR oc_freight <> 0 OR oc_excise <> 0
  OR oc_customs <> 0 OR oc_rhd <> 0 OR oc_rent <> 0 OR oc_delivery <> 0 OR oc_labour <> 0 OR oc_overhead <> 0) AS valued`;
/** How a user id without a row is named in the audit log. */
export const usernameOr = (userId: number, row: { username: string } | undefined): string => row?.username ?? `user ${userId}`;

/** Company settings and the assistant's progress as rows of the `settings` table, and the facts the rules ask. */
export class CompanyStore implements CompanyRecords {
  private readonly s;

  constructor(readonly db: Database.Database) {
    this.s = {
      valued: db.prepare(VALUED_SQL),
      username: db.prepare('SELECT username FROM users WHERE id = ?'),
    };
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  settings(): CompanySettings | null {
    return getSetting<CompanySettings | null>(this.db, COMPANY_KEY, null);
  }

  saveSettings(settings: CompanySettings, now: number): void {
    setSetting(this.db, COMPANY_KEY, settings, now);
  }

  setupStep(): SetupStep | null {
    return getSetting<{ step: SetupStep } | null>(this.db, SETUP_KEY, null)?.step ?? null;
  }

  saveSetupStep(step: SetupStep, now: number): void {
    setSetting(this.db, SETUP_KEY, { step }, now);
  }

  /** True once any movement carries a unit cost or an on-cost: money has been recorded in the base currency. */
  hasValuedMovements(): boolean {
    return Boolean((this.s.valued.get() as { valued: number }).valued);
  }

  /** A new ledger: nothing in it but what every new ledger holds (electron/demo/empty-ledger-store.ts). */
  isNewLedger(): boolean {
    return ledgerContent(this.db).length === 0;
  }

  audit(actor: AuditActor, action: AuditAction, detail: Record<string, unknown>, now: number): void {
    audit(this.db, actor, action, detail, now);
  }

  username(userId: number): string {
    return usernameOr(userId, this.s.username.get(userId) as { username: string } | undefined);
  }
}
