import type Database from 'better-sqlite3';
import { formatDateTime } from '../../shared/company-format';
import { machineDefaults } from './company-rules';
import { CompanyStore } from './company-store';

/**
 * An instant as messages show it to the user: the company's date format and time zone, to the minute, as the windows
 * show times (en-GB, London: "30/09/2026, 18:00"); the machine's until the company is saved. Never an ISO timestamp.
 */
export function companyDateTime(db: Database.Database, at: number): string {
  return formatDateTime(at, new CompanyStore(db).settings() ?? machineDefaults());
}
