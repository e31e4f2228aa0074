import { DataSource } from 'typeorm';
import { PG_MIGRATIONS } from '../migrations/pg';
import type { PgConnection } from './pg-types';
import { withMigrationLock } from './store/pg-migrate-lock';

/**
 * Brings a PostgreSQL database to the latest Stockbook schema through TypeORM (its own `migrations` table, one
 * transaction per migration), then closes TypeORM's connection: the ledger core talks to PostgreSQL through its own
 * pool (pg-types.ts). TypeORM takes no lock while it migrates, so this holds an advisory lock of its own meanwhile
 * (pg-migrate-lock.ts): servers started with --migrate at once migrate one after another.
 */
export function migratePg(connection: PgConnection): Promise<string[]> {
  return withMigrationLock(connection, () => runPgMigrations(connection));
}

async function runPgMigrations(connection: PgConnection): Promise<string[]> {
  const source = await pgMigrationSource(connection);
  try {
    const ran = await source.runMigrations();
    return ran.map((m) => m.name);
  } finally {
    await source.destroy();
  }
}

/** TypeORM's connection to `connection`'s database with the PostgreSQL migration list, initialized (the caller destroys it). */
export async function pgMigrationSource(connection: PgConnection): Promise<DataSource> {
  const source = new DataSource({
    type: 'postgres',
    host: connection.host,
    port: connection.port,
    username: connection.user,
    database: connection.database,
    ...(connection.password === undefined ? {} : { password: connection.password }),
    migrations: PG_MIGRATIONS,
    migrationsTransactionMode: 'each',
    entities: [],
    logging: false,
  });
  await source.initialize();
  return source;
}
