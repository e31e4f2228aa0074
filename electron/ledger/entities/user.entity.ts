import { EntitySchema } from 'typeorm';
import { big, bool, pk, str, text } from './columns';

export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  permissions: string;
  password_hash: string | null;
  pin_hash: string | null;
  active: boolean;
  created_at: number;
}

export const UserEntity = new EntitySchema<UserRow>({
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
