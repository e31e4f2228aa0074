import { dirname, join, resolve } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import { requireLedgerFile } from '../cli/ledger-file';
import { DATABASE_URL_ENV, parseDatabaseUrl } from '../cli/pg-verify-command';
import type { LedgerStore } from './compose';
import { defaultDbPath } from './paths';

export interface LedgerChoiceOptions {
  /** The SQLite ledger file (not used on PostgreSQL). */
  dbPath: string;
  /** sqlite or postgres (as typed: anything else is refused); default sqlite, postgres when a database address is given. */
  store?: string;
  /** postgres://USER@HOST:PORT/DATABASE (the password in PGPASSWORD or the address); default STOCKBOOK_DATABASE_URL. */
  databaseUrl?: string;
  /** PostgreSQL only: the folder for what is kept on disk (certificate, connection log, scanner settings); default the ledger folder. */
  dataDir?: string;
  /** PostgreSQL only: run the migrations this version adds before opening (one server, before the others start). */
  migrate?: boolean;
}

/**
 * The ledger `serve` and browser mode open: the SQLite file (the default), or the PostgreSQL database with the path its
 * side files are named after in the data folder. A database address (or --store postgres with STOCKBOOK_DATABASE_URL) chooses PostgreSQL.
 */
export function ledgerChoice(o: LedgerChoiceOptions, options: { requireFile: boolean }): { dbPath: string; store: LedgerStore } {
  if (o.store !== undefined && o.store !== 'sqlite' && o.store !== 'postgres') {
    throw new AppError('VALIDATION', `--store ${o.store} is not a ledger store; give --store sqlite (a ledger file, the default) or --store postgres.`, { field: 'store' });
  }
  if (o.store !== 'postgres' && o.databaseUrl === undefined && (o.dataDir !== undefined || o.migrate)) {
    throw new AppError('VALIDATION', '--data-dir and --migrate are for a PostgreSQL ledger: add --store postgres --database-url postgres://USER@HOST:PORT/DATABASE.');
  }
  const url = o.databaseUrl ?? (o.store === 'postgres' ? process.env[DATABASE_URL_ENV] : undefined);
  if (o.store === 'sqlite' && o.databaseUrl !== undefined) throw new AppError('VALIDATION', '--database-url is a PostgreSQL ledger; leave out --store sqlite, or give --db FILE for a SQLite ledger.');
  if (o.store !== 'postgres' && url === undefined) {
    const dbPath = resolve(o.dbPath);
    if (options.requireFile) requireLedgerFile(dbPath);
    return { dbPath, store: { kind: 'sqlite' } };
  }
  if (url === undefined) throw new AppError('VALIDATION', `Give the PostgreSQL database with --database-url postgres://USER@HOST:PORT/DATABASE (or ${DATABASE_URL_ENV}); the password in PGPASSWORD.`, { field: 'database-url' });
  const connection = parseDatabaseUrl(url);
  const dataDir = resolve(o.dataDir ?? dirname(defaultDbPath()));
  // The side files are named after the database: <data dir>/<database>.server-cert.pem, .server.log, .scanner.json.
  return { dbPath: join(dataDir, `${connection.database}.pg`), store: { kind: 'postgres', connection, migrate: o.migrate } };
}

