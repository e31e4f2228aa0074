import type { CompanySettings } from '../../shared/company';
import type { PgReader } from '../ledger/pg/pg-read-snapshot';
import { machineDefaults } from './company-rules';
import { COMPANY_KEY } from './company-store';

/**
 * The company's business time zone on a PostgreSQL ledger (the twin of business-time-zone.ts): the saved setting, or
 * the machine's until the company is saved (or while its row cannot be read as settings).
 */
export async function pgBusinessTimeZone(db: PgReader): Promise<string> {
  const row = (await db.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [COMPANY_KEY])).rows[0];
  let zone: string | undefined;
  try {
    zone = row ? (JSON.parse(row.value) as Partial<CompanySettings>).timeZone : undefined;
  } catch {
    zone = undefined;
  }
  return zone ?? machineDefaults().timeZone;
}
