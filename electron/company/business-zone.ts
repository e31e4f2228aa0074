import type Database from 'better-sqlite3';
import { CompanyStore } from './company-store';
import { machineDefaults } from './company-rules';

/** The business time zone every day in the ledger is taken in: the company setting, or the machine's until one is saved. */
export function businessTimeZone(db: Database.Database): string {
  return new CompanyStore(db).settings()?.timeZone ?? machineDefaults().timeZone;
}
