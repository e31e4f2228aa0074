import { dayEndMs, dayOfMs, dayStartMs, formatDateTime } from '../common/format';

/** Epoch ms in the company's time zone and locale (en-GB "24/11/2025, 21:50"). */
export function formatMs(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '—' : formatDateTime(ms);
}

/** "2025-11-24" → epoch ms at the start (or end) of that day in the company's time zone. */
export const dayStart = dayStartMs;
export const dayEnd = dayEndMs;
export const isoDay = dayOfMs;
