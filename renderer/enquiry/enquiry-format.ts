import { format } from 'date-fns';

/** Epoch ms as local "24/11/2025 21:50". */
export function formatMs(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '—' : format(new Date(ms), 'dd/MM/yyyy HH:mm');
}

/** "2025-11-24" (local) → epoch ms at the start (or end) of that local day. */
export function dayStart(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(y!, m! - 1, d!).getTime();
}
export function dayEnd(iso: string): number {
  return dayStart(iso) + 86_400_000 - 1;
}
export function isoDay(ms: number): string {
  return format(new Date(ms), 'yyyy-MM-dd');
}
