import type Database from 'better-sqlite3';
import { DEFAULT_CURRENCY } from '../../shared/company';
import type { CsvSeparator } from '../../shared/csv';
import type { FormatSettings } from '../../shared/company-format';
import { exportFileStyle, machineDefaults, reportFormat } from './company-rules';
import { CompanyStore } from './company-store';

/** The company's business time zone: the saved setting, or the machine's until the company is saved. */
export function businessTimeZone(db: Database.Database): string {
  return new CompanyStore(db).settings()?.timeZone ?? machineDefaults().timeZone;
}

/** How a printed report writes money and times (company-rules.ts reportFormat). */
export function businessFormat(db: Database.Database): FormatSettings {
  return reportFormat(new CompanyStore(db).settings());
}

/** The company's base currency code (ISO 4217): the saved setting, or DEFAULT_CURRENCY until the company is saved. */
export function businessCurrency(db: Database.Database): string {
  return new CompanyStore(db).settings()?.currency ?? DEFAULT_CURRENCY;
}

/** How the company's export files are written (company-rules.ts exportFileStyle): time zone and CSV separator. */
export function businessFileStyle(db: Database.Database): { timeZone: string; separator: CsvSeparator } {
  return exportFileStyle(new CompanyStore(db).settings());
}
