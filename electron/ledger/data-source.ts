import type Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { configureWriterConnection } from './store/connection-control';
import { MIGRATIONS } from './migrations';

export interface OpenedLedger {
  dataSource: DataSource;
  /** The one better-sqlite3 connection, for the raw prepared statements of the hot paths. */
  db: Database.Database;
}

/** Opens (creating if needed) a ledger file: WAL, foreign keys on, migrations run. */
export async function openLedgerDataSource(path: string, options: { migrate?: boolean } = {}): Promise<OpenedLedger> {
  const dataSource = new DataSource({
    type: 'better-sqlite3',
    database: path,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: false,
    prepareDatabase: configureWriterConnection,
  });
  await dataSource.initialize();
  if (options.migrate !== false) await dataSource.runMigrations({ transaction: 'each' });
  const db = (dataSource.driver as unknown as { databaseConnection: Database.Database }).databaseConnection;
  return { dataSource, db };
}
