import type { UserSummary } from '../../shared/auth';

/** A user as sign-in reads it: its summary and its secrets' hashes. */
export interface UserSecrets extends UserSummary {
  passwordHash: string | null;
  pinHash: string | null;
}

/** A users row as both databases give it (SQLite's `active` is 0/1, PostgreSQL's a boolean). */
export type UserRow = { id: number; username: string; display_name: string; permissions: string; password_hash: string | null; pin_hash: string | null; active: number | boolean };

export const toSecrets = (r: UserRow): UserSecrets => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  permissions: JSON.parse(r.permissions) as string[],
  hasPassword: r.password_hash !== null,
  hasPin: r.pin_hash !== null,
  active: r.active === 1 || r.active === true,
  passwordHash: r.password_hash,
  pinHash: r.pin_hash,
});

export const toSummary = ({ passwordHash: _p, pinHash: _q, ...s }: UserSecrets): UserSummary => s;
