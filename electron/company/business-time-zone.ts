import type Database from 'better-sqlite3';
import { machineDefaults } from './company-rules';
import { CompanyStore } from './company-store';

/** The company's business time zone: the saved setting, or the machine's until the company is saved. */
export function businessTimeZone(db: Database.Database): string {
  return new CompanyStore(db).settings()?.timeZone ?? machineDefaults().timeZone;
}
