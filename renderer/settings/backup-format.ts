import { formatDateTime, formatNumber } from '../common/format';
import type { BackupRecord } from '../../shared/safety';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${formatNumber(n / 1024, 0)} KB`;
  if (n < 1024 ** 3) return `${formatNumber(n / 1024 / 1024, 1)} MB`;
  return `${formatNumber(n / 1024 ** 3, 2)} GB`;
}

/** When a backup ran, as every other time in the app: the company's date-time format and zone. */
export function formatWhen(ms: number | null): string {
  return formatDateTime(ms);
}

/** "3 hours ago", "2 days ago" — how old the last good backup is. */
export function formatAge(ms: number, now = Date.now()): string {
  const mins = Math.max(0, Math.round((now - ms) / 60_000));
  if (mins < 1) return 'just now';
  if (mins < 60) return `${mins} minute${mins === 1 ? '' : 's'} ago`;
  const hours = Math.round(mins / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  const days = Math.round(hours / 24);
  return `${days} days ago`;
}

export const REASON_LABEL: Record<BackupRecord['reason'], string> = {
  manual: 'On demand',
  daily: 'Daily',
  'pre-migration': 'Before upgrade',
  'pre-posting': 'Before posting',
  export: 'Export',
};

export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
