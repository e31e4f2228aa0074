import type { RetentionPolicy } from '../../shared/safety';

export interface RetainableBackup {
  id: number;
  startedAt: number;
}

const DAY = 24 * 60 * 60 * 1000;
const dayKey = (t: number) => Math.floor(t / DAY);
/** Weeks counted from Monday 1970-01-05 (UTC), so a week is Monday..Sunday. */
const weekKey = (t: number) => Math.floor((t - 4 * DAY) / (7 * DAY));
const monthKey = (t: number) => {
  const d = new Date(t);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};

/**
 * Grandfather-father-son retention over good backups: the newest backup of each of the last `daily` days
 * that have one, of each of the last `weekly` weeks, and of each of the last `monthly` months; the newest
 * backup overall is always kept. Returns the ids to keep.
 */
export function selectRetained(backups: readonly RetainableBackup[], policy: RetentionPolicy): Set<number> {
  const sorted = [...backups].sort((a, b) => b.startedAt - a.startedAt || b.id - a.id);
  const keep = new Set<number>();
  if (sorted[0]) keep.add(sorted[0].id);
  const bucket = (key: (t: number) => number, count: number) => {
    const seen = new Set<number>();
    for (const b of sorted) {
      const k = key(b.startedAt);
      if (seen.has(k)) continue;
      if (seen.size >= count) break;
      seen.add(k);
      keep.add(b.id);
    }
  };
  bucket(dayKey, policy.daily);
  bucket(weekKey, policy.weekly);
  bucket(monthKey, policy.monthly);
  return keep;
}
