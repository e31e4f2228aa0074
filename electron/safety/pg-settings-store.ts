import type pg from 'pg';
import type { PgReader } from '../ledger/pg/store/pg-read-snapshot';
import { settingValue } from './settings-store';

/** Key/value settings on a PostgreSQL ledger (table `settings`, values JSON), in the caller's transaction on `c` or on the pool. */
export async function getPgSetting<T>(c: PgReader, key: string, fallback: T): Promise<T> {
  const row = (await c.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key])).rows[0];
  return settingValue(row?.value, fallback);
}

/**
 * The statement reading setting `key` with no parameter (the key written in: a statement sent beside another in one
 * round trip, readSnapshotOpening, takes none), its rows read by pgSettingOf. Only a key of letters, digits, '.' and '_'.
 */
export function pgSettingStatement(key: string): string {
  if (!/^[\w.]+$/.test(key)) throw new Error(`Not a setting key: ${key}. Report this to Stockbook support.`);
  return `SELECT value FROM settings WHERE key = '${key}'`;
}

/** The setting pgSettingStatement read (`fallback` when there is none, or its value is not JSON), as getPgSetting. */
export function pgSettingOf<T>(rows: readonly pg.QueryResultRow[], fallback: T): T {
  return settingValue((rows[0] as { value: string } | undefined)?.value, fallback);
}

export async function setPgSetting(c: pg.PoolClient, key: string, value: unknown, now: number): Promise<void> {
  await c.query(
    'INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    [key, JSON.stringify(value), now],
  );
}
