import { endOfDay, startOfDay } from '../../shared/business-time';
import { businessDay, formatDateTime as companyDateTime, type FormatSettings } from '../../shared/company-format';

const integer = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

type DateSettings = Pick<FormatSettings, 'timeZone' | 'locale'>;
/** The company's business time zone and locale, set by the CompanyProvider; this browser's until company.get answers. */
let shown: DateSettings = { timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, locale: Intl.NumberFormat().resolvedOptions().locale };

/** Called by the CompanyProvider whenever the company settings are known or change: dates show in their zone and locale. */
export function showDatesIn(s: DateSettings): void {
  shown = { timeZone: s.timeZone, locale: s.locale };
}

/** The business time zone dates are shown and taken in. */
export function shownTimeZone(): string {
  return shown.timeZone;
}

/** 12345 → "12,345". */
export function formatCount(n: number): string {
  return integer.format(n);
}

/** An ISO time (or epoch ms) in the company's time zone and locale: en-GB "24/11/2025, 21:50"; "—" when missing or unreadable. */
export function formatDateTime(at: string | number | null | undefined): string {
  return companyDateTime(at, shown);
}

/** A Date as the time of day in the company's time zone and locale: en-GB "21:50:12". */
export function formatClockTime(date: Date): string {
  return new Intl.DateTimeFormat(shown.locale, { timeZone: shown.timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(date);
}

/** "2025-11-24" → epoch ms at the start (or the last millisecond) of that day in the company's time zone. */
export function dayStartMs(day: string): number {
  return startOfDay(day, shown.timeZone);
}
export function dayEndMs(day: string): number {
  return endOfDay(day, shown.timeZone);
}
/** Epoch ms → its "YYYY-MM-DD" in the company's time zone. */
export function dayOfMs(ms: number): string {
  return businessDay(ms, shown.timeZone);
}

/** "1 product-site" / "2 product-sites": the one shared helper, for the renderer's messages too. */
export { plural } from '../../shared/plural';
