import type Database from 'better-sqlite3';
import type { CompanySettings } from '../../shared/company';
import { businessDay, formatCalendarDay, formatDateTime, formatQuantityIn } from '../../shared/company-format';
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

/**
 * The business day an instant falls on ("2026-12-05", in the company's time zone), and a calendar day and a quantity as
 * the user reads them in messages (de-DE: "05.12.2026", "51,484"; never "51.484" for a decimal).
 */
export interface CompanyDays {
  day(at: number): string;
  shown(day: string): string;
  quantity(units: number, scale: number): string;
}

/** The company's days from its settings as read (null: not saved yet, the machine's), on either store. */
export function companyDaysFor(settings: CompanySettings | null): CompanyDays {
  const s = settings ?? machineDefaults();
  return {
    day: (at) => businessDay(at, s.timeZone),
    shown: (day) => formatCalendarDay(day, s.locale),
    quantity: (units, scale) => formatQuantityIn(units, scale, s.locale),
  };
}

/** The company's days on a SQLite ledger (its settings read now: for a refusal's message, not a hot path). */
export function companyDays(db: Database.Database): CompanyDays {
  return companyDaysFor(new CompanyStore(db).settings());
}
