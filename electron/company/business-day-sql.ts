import type Database from 'better-sqlite3';
import { localDayNumber } from '../../shared/business-time';

/** Registers business_day(epoch_ms, zone) on a connection: the local day number (days since 1970-01-01) in that IANA zone. */
export function registerBusinessDay(db: Database.Database): void {
  db.function('business_day', { deterministic: true }, (at: unknown, zone: unknown) => localDayNumber(Number(at), String(zone)));
}
