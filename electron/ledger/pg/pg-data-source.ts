import { DataSource } from 'typeorm';
import { PG_MIGRATIONS } from '../migrations/pg';
import type { PgConnection } from './pg-types';

/**
 * Brings a PostgreSQL database to the latest Stockbook schema through TypeORM (its own `migrations` table, one
 * transaction per migration), then closes TypeORM's connection: the ledger core talks to PostgreSQL through its own
 * pool (pg-types.ts). TypeORM takes no lock while it migrates: one process migrates a database before the servers
 * that share it start (not several at once).
 */
export async function migratePg(connection: PgConnection): Promise<string[]> {
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
  try {
    const ran = await source.runMigrations();
    return ran.map((m) => m.name);
  } finally {
    await source.destroy();
  }
}
