import { localDayNumber } from './business-time';

/**
 * The backdating rule (ARCHITECTURE §6, issue 13): a movement is **backdated** when its effective time (occurred_at)
 * falls on an earlier business day than the day it was recorded (recorded_at), both days taken in the company's
 * business time zone. A movement dated earlier the same local day (a delivery booked in the afternoon as 09:00) is
 * not backdated; one dated 23:30 the evening before and recorded at 00:10 is.
 */
export function isBackdated(occurredAt: number, recordedAt: number, timeZone: string): boolean {
  return occurredAt < recordedAt && localDayNumber(occurredAt, timeZone) < localDayNumber(recordedAt, timeZone);
}
