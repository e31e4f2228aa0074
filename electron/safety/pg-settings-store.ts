import type pg from 'pg';
import type { PgReader } from '../ledger/pg/pg-read-snapshot';
import { settingValue } from './settings-store';

/** Key/value settings on a PostgreSQL ledger (table `settings`, values JSON), in the caller's transaction on `c` or on the pool. */
export async function getPgSetting<T>(c: PgReader, key: string, fallback: T): Promise<T> {
  const row = (await c.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key])).rows[0];
  return settingValue(row?.value, fallback);
}

export async function setPgSetting(c: pg.PoolClient, key: string, value: unknown, now: number): Promise<void> {
  await c.query(
    'INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    [key, JSON.stringify(value), now],
  );
}
