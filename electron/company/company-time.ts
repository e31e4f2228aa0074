import type Database from 'better-sqlite3';
import type { CompanySettings } from '../../shared/company';
import { formatDateTime } from '../../shared/company-format';
import { machineDefaults } from './company-rules';
import { CompanyStore } from './company-store';

/**
 * An instant as messages show it to the user: the company's date format and time zone, to the minute, as the windows
 * show times (en-GB, London: "30/09/2026, 18:00"); the machine's until the company is saved. Never an ISO timestamp.
 */
export function companyDateTime(db: Database.Database, at: number): string {
  return dateTimeFor(at, new CompanyStore(db).settings());
}

/** The same, from the company's settings as read (null: not saved yet, the machine's), on either store. */
export function dateTimeFor(at: number, settings: CompanySettings | null): string {
  return formatDateTime(at, settings ?? machineDefaults());
}
