import { big, bool, entity, pk, str, text, type EntityRow } from './columns';

export const UserEntity = entity({
  name: 'User',
  tableName: 'users',
  columns: {
    id: pk(),
    username: str(64),
    display_name: str(128),
    permissions: text(false, '[]'),
    password_hash: text(true),
    pin_hash: text(true),
    active: bool(true),
    created_at: big(),
  },
  uniques: [{ name: 'UQ_users_username', columns: ['username'] }],
});

/** A users row (SQLite's `active` 0/1; both stores' reads: `EitherRow<UserRow>`). */
export type UserRow = EntityRow<typeof UserEntity>;
