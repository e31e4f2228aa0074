import { DEFAULT_CURRENCY, type CompanySettings } from '../../shared/company';
import type { PgReader } from '../ledger/pg/store/pg-read-snapshot';
import { getPgSetting, pgSettingOf, pgSettingStatement } from '../safety/pg-settings-store';
import type pg from 'pg';
import type { CsvSeparator } from '../../shared/csv';
import type { FormatSettings } from '../../shared/company-format';
import { exportFileStyle, machineDefaults, reportFormat } from './company-rules';
import { COMPANY_KEY } from './company-store';
import { dateTimeFor } from './company-time';

/**
 * The company's settings on a PostgreSQL ledger, read in one place for every PostgreSQL store (the twin of
 * CompanyStore.settings() on SQLite): null until the company is saved, or while its row cannot be read as JSON.
 */
export async function pgCompanySettings(db: PgReader): Promise<CompanySettings | null> {
  return getPgSetting<CompanySettings | null>(db, COMPANY_KEY, null);
}

/** How a printed report writes money and times on a PostgreSQL ledger (the twin of business-time-zone.ts businessFormat). */
export async function pgBusinessFormat(db: PgReader): Promise<FormatSettings> {
  return reportFormat(await pgCompanySettings(db));
}

/**
 * The company's business time zone on a PostgreSQL ledger (the twin of business-time-zone.ts): the saved setting, or
 * the machine's until the company is saved (or while its row cannot be read as settings).
 */
export async function pgBusinessTimeZone(db: PgReader): Promise<string> {
  return (await pgCompanySettings(db))?.timeZone ?? machineDefaults().timeZone;
}

/** The company's base currency code on a PostgreSQL ledger (the twin of businessCurrency): DEFAULT_CURRENCY until the company is saved. */
export async function pgBusinessCurrency(db: PgReader): Promise<string> {
  return (await pgCompanySettings(db))?.currency ?? DEFAULT_CURRENCY;
}

/** The business time zone's read as a statement of no parameters (sent with a read snapshot's BEGIN: readSnapshotOpening). */
export const PG_TIME_ZONE_READ = pgSettingStatement(COMPANY_KEY);

/** The business time zone from PG_TIME_ZONE_READ's rows, as pgBusinessTimeZone reads it. */
export function pgTimeZoneOf(rows: readonly pg.QueryResultRow[]): string {
  return pgSettingOf<CompanySettings | null>(rows, null)?.timeZone ?? machineDefaults().timeZone;
}

/** How the company's export files are written on a PostgreSQL ledger (the twin of businessFileStyle). */
export async function pgBusinessFileStyle(db: PgReader): Promise<{ timeZone: string; separator: CsvSeparator }> {
  return exportFileStyle(await pgCompanySettings(db));
}

/** An instant as messages show it, in the company's format and time zone (the twin of companyDateTime, company-time.ts). */
export async function pgCompanyDateTime(db: PgReader, at: number): Promise<string> {
  return dateTimeFor(at, await pgCompanySettings(db));
}
