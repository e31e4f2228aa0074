import type pg from 'pg';
import type { AuditAction } from '../../shared/auth';
import type { CompanySettings, SetupStep } from '../../shared/company';
import { contentChecks, existsSql } from '../demo/empty-ledger-store';
import type { AuditActor } from '../safety/audit';
import { lockChain } from '../ledger/pg/store/pg-ledger-store';
import { appendPgAudit } from '../safety/pg-audit-store';
import { getPgSetting, setPgSetting } from '../safety/pg-settings-store';
import type { CompanyRecords } from './company-settings';
import { COMPANY_KEY, SETUP_KEY, usernameOr, VALUED_SQL } from './company-store';
import { pgCompanySettings } from './pg-time-zone-store';

/** The advisory lock a change of the company settings takes first: one change at a time across servers, so its audit entry's "before" is what it replaced. */
export const COMPANY_LOCK_KEY = 0x5354_4f43_4b63; // "STOCKc"

/**
 * The company settings and the assistant's progress on a PostgreSQL ledger, in the caller's transaction on `c`
 * (company-settings.ts holds the rules; company-store.ts is the SQLite twin).
 */
export class PgCompanyStore implements CompanyRecords {
  constructor(private readonly c: pg.PoolClient) {}

  /**
   * Before a change: the company lock, then the ledger's chain lock shared (until the transaction ends), so no posting
   * commits values in the old currency between the rule's look at the movements and the new currency's commit.
   */
  async lockForChange(): Promise<void> {
    await this.c.query('SELECT pg_advisory_xact_lock($1)', [COMPANY_LOCK_KEY]);
    await lockChain(this.c, 'shared');
  }

  settings(): Promise<CompanySettings | null> {
    return pgCompanySettings(this.c);
  }

  saveSettings(settings: CompanySettings, now: number): Promise<void> {
    return setPgSetting(this.c, COMPANY_KEY, settings, now);
  }

  async setupStep(): Promise<SetupStep | null> {
    return (await getPgSetting<{ step: SetupStep } | null>(this.c, SETUP_KEY, null))?.step ?? null;
  }

  saveSetupStep(step: SetupStep, now: number): Promise<void> {
    return setPgSetting(this.c, SETUP_KEY, { step }, now);
  }

  async hasValuedMovements(): Promise<boolean> {
    return (await this.c.query<{ valued: boolean }>(VALUED_SQL)).rows[0]!.valued;
  }

  /** A new ledger: nothing in it but what every new ledger holds (electron/demo/empty-ledger-store.ts), asked in one statement. */
  async isNewLedger(): Promise<boolean> {
    const held = (await this.c.query<{ held: boolean }>(`SELECT ${contentChecks().map(existsSql).join(' OR ')} AS held`)).rows[0]!.held;
    return !held;
  }

  async username(userId: number): Promise<string> {
    return usernameOr(userId, (await this.c.query<{ username: string }>('SELECT username FROM users WHERE id = $1', [userId])).rows[0]);
  }

  audit(actor: AuditActor, action: AuditAction, detail: Record<string, unknown>, now: number): Promise<void> {
    return appendPgAudit(this.c, actor, action, detail, now);
  }
}
