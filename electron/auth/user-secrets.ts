import type { UserSummary } from '../../shared/auth';
import type { EitherRow, EntityRecord } from '../ledger/entities/columns';
import type { UserEntity, UserRow } from '../ledger/entities/user.entity';

/** A user as sign-in reads it: its summary and its secrets' hashes. */
export type UserSecrets = UserSummary & Pick<EntityRecord<typeof UserEntity>, 'passwordHash' | 'pinHash'>;

/** The users columns sign-in reads, as both databases give them (SQLite's `active` is 0/1, PostgreSQL's a boolean). */
export type UserSecretsRow = Omit<EitherRow<UserRow>, 'created_at'>;

export const toSecrets = (r: UserSecretsRow): UserSecrets => ({
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
