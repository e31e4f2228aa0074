import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import { writeBackupHead } from '../ledger/pg/backup-heads';
import { pgDump, pgRestore, type PgTools } from '../ledger/pg/pg-backup';
import { publicTables } from '../ledger/pg/store/pg-schema-store';
import { openPool } from '../ledger/pg/pg-types';
import { parseDatabaseUrl, runPgVerifyCommand, shownAddress } from './pg-verify-command';

/** PostgreSQL's client tools: the folder STOCKBOOK_PG_BIN names, or pg_dump and pg_restore on the PATH. */
export const pgToolsFromEnv = (): PgTools => ({ bin: process.env.STOCKBOOK_PG_BIN ?? '' });

/**
 * `stockbook backup --database postgres://… --to DIR`: an anchored pg_dump of the ledger (pg-backup.ts: the chain head
 * recorded as a backup anchor first, the dump read back whole before it takes its name) into DIR, named after the
 * database and the time. Prints the file, the chain head to keep beside it, and how to restore it.
 */
export async function runPgBackupCommand(url: string, options: { to?: string }, out: (line: string) => void = console.log, tools = pgToolsFromEnv()): Promise<number> {
  const connection = parseDatabaseUrl(url);
  if (options.to === undefined) throw new AppError('VALIDATION', 'Give the folder to write the backup to: stockbook backup --database postgres://… --to DIR (a folder on this machine, best on another disk).', { field: 'to' });
  const dir = resolve(options.to);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new AppError('VALIDATION', `There is no folder at ${dir}. Create it, or give another --to. Nothing was backed up.`, { field: 'to' });
  const file = join(dir, `stockbook-${connection.database}-${new Date().toISOString().replace(/[:.]/g, '-')}.dump`);
  if (existsSync(file)) throw new AppError('CONFLICT', `There is already a file at ${file}; wait a second and back up again.`);
  const head = await pgDump(connection, file, tools).catch((e: unknown) => {
    if (e instanceof AppError) throw e;
    throw new AppError('UNAVAILABLE', `Could not back up ${shownAddress(connection)}: ${(e as Error).message}. Check the address, that the server runs, and that the database holds a Stockbook ledger. Nothing was written to ${dir}.`);
  });
  out(`Backed up ${shownAddress(connection)} to ${file} (${statSync(file).size.toLocaleString('en-GB')} bytes), read back whole by pg_restore.`);
  try {
    const headFile = await writeBackupHead(file, connection.database, head);
    out(`Chain head at the backup: movement ${head.seq}, hash ${head.hash} (recorded in the ledger as a backup anchor, and beside the dump in ${headFile}: stockbook verify --database … --backups ${dir} holds the chain to it).`);
  } catch (e) {
    out(`Chain head at the backup: movement ${head.seq}, hash ${head.hash} (recorded in the ledger as a backup anchor). Its head file could not be written beside the dump (${(e as Error).message}): keep this line with the file.`);
  }
  out(`To restore: createdb a new, empty database, then: stockbook restore --database postgres://${connection.user}@${connection.host}:${connection.port}/NEWDB --from ${file}`);
  return 0;
}

/**
 * `stockbook restore --database postgres://…/NEWDB --from FILE`: a pg_dump restored into a new, empty database in one
 * transaction (all or nothing), then verified (every invariant, the chain held to the backup's anchor). A database
 * that already holds tables is refused, nothing changed: a restore never writes over a ledger. Exit 1 when the
 * restored ledger does not verify.
 */
export async function runPgRestoreCommand(url: string, options: { from?: string }, out: (line: string) => void = console.log, tools = pgToolsFromEnv()): Promise<number> {
  const connection = parseDatabaseUrl(url);
  if (options.from === undefined) throw new AppError('VALIDATION', 'Give the backup to restore: stockbook restore --database postgres://…/NEWDB --from FILE (a file "stockbook backup --database" wrote).', { field: 'from' });
  const file = resolve(options.from);
  if (!existsSync(file) || !statSync(file).isFile()) throw new AppError('VALIDATION', `There is no file at ${file}. Give the path of a backup file. Nothing was restored.`, { field: 'from' });
  const pool = openPool(connection, 1);
  try {
    const tables = (await publicTables(pool).catch((e: unknown) => {
      throw new AppError('UNAVAILABLE', `Could not reach the database ${shownAddress(connection)}: ${(e as Error).message}. Create it first (createdb), check the address and that the server runs.`);
    })).length;
    if (tables > 0) {
      throw new AppError('CONFLICT', `The database ${shownAddress(connection)} already holds ${tables} table${tables === 1 ? '' : 's'}; a restore goes only into a new, empty database (createdb NEWDB, then give --database …/NEWDB). Nothing was changed.`);
    }
  } finally {
    await pool.end();
  }
  await pgRestore(connection, file, tools);
  out(`Restored ${file} into ${shownAddress(connection)}. Verifying it before any server uses it:`);
  return runPgVerifyCommand(url, { json: false }, out);
}
