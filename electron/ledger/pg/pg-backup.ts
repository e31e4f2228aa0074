import { execFile } from 'node:child_process';
import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { partialPathFor, sweepStalePartials } from '../../safety/stale-files';
import { devNull } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../../../shared/contract/errors';
import type { ChainHead } from '../store/chain-anchors';
import type pg from 'pg';
import { recordPgAnchor, withExportedSnapshot } from './store/pg-anchor-store';
import { openPool, type PgConnection } from './pg-types';

const run = promisify(execFile);

/** Where PostgreSQL's client tools are: a folder (e.g. /usr/lib/postgresql/17/bin), or '' for the PATH. */
export interface PgTools {
  bin: string;
}

const tool = (tools: PgTools, name: string) => (tools.bin ? join(tools.bin, name) : name);
const args = (c: PgConnection) => ['-h', c.host, '-p', String(c.port), '-U', c.user];
/** The password goes to the tool in its environment (PGPASSWORD), never on its command line. */
const env = (c: PgConnection) => ({ ...process.env, ...(c.password === undefined ? {} : { PGPASSWORD: c.password }) });

/** pg_dump's words when the file it writes cannot be made or filled (a full disk, a quota, a folder it may not write to). */
const OUTPUT_FAILED = /could not (?:open|write to|close) output file|No space left on device|Disk quota exceeded/i;

/** `outputDir`: where the tool writes its file, named in what to do when that file could not be written. */
async function runTool(tools: PgTools, name: string, argv: string[], c: PgConnection, what: string, outputDir?: string): Promise<void> {
  try {
    await run(tool(tools, name), argv, { env: env(c), maxBuffer: 16 * 1024 * 1024 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    const said = (err.stderr || err.message).trim();
    const todo =
      outputDir !== undefined && OUTPUT_FAILED.test(said)
        ? `The backup could not be written in ${outputDir}: free space on that disk, or give a folder on another disk, then back up again. Nothing was kept there.`
        : `Check that PostgreSQL's client tools (${name}) are installed and the database is reachable.`;
    throw new AppError('UNAVAILABLE', `${what} failed: ${said}. ${todo}`);
  }
}

/**
 * A backup of a PostgreSQL ledger with PostgreSQL's own tool: `pg_dump --format=custom` (compressed, one consistent
 * snapshot taken while servers keep posting; restored with pg_restore, table by table or whole). Point-in-time
 * recovery (WAL archiving and a base backup) is the server's own, configured by its administrator: docs/postgresql.md.
 * The dump is taken in a snapshot this function exports (pg_dump --snapshot) and the chain head is read in that same
 * snapshot: the head the backup holds. The dump is written as `file.<pid>@<host>.partial` (safety/stale-files.ts), read
 * back whole by pg_restore (a cut or corrupt archive fails here), synced to disk and only then renamed to `file`: a dump
 * that failed or was killed part-way never lies at `file` looking like a backup (the .partial is removed on failure, and
 * a killed run's by the next backup to that folder, as SQLite's). Only then is that head recorded as a 'backup' anchor (verify holds the chain to it from then on: even
 * a chain re-hashed after the backup is caught); a failed backup records none. The anchor is not a verified one (no pass
 * re-hashed the chain): pgStoredAnchors. The head is returned, to be kept outside the database.
 */
export async function pgDump(connection: PgConnection, file: string, tools: PgTools): Promise<ChainHead> {
  const pool = openPool(connection, 2);
  try {
    const head = await dumpInSnapshot(pool, connection, file, tools);
    return await recordPgAnchor(pool, 'backup', null, Date.now(), head);
  } finally {
    await pool.end();
  }
}

/** Dumps to `file` (see pgDump) in a snapshot held open on the pool; returns the chain head in that snapshot. */
function dumpInSnapshot(pool: pg.Pool, connection: PgConnection, file: string, tools: PgTools): Promise<ChainHead> {
  return withExportedSnapshot(pool, async (snapshot, head) => {
    // Written as `<file>.<pid>@<host>.partial`; a dump another run left when it was killed part-way goes first.
    sweepStalePartials(dirname(file));
    await writeWhole(file, async (partial) => {
      await runTool(tools, 'pg_dump', [...args(connection), '--format=custom', '--no-owner', `--snapshot=${snapshot}`, '--file', partial, connection.database], connection, `Backing up ${connection.database} with pg_dump`, dirname(file));
      await runTool(tools, 'pg_restore', ['--file', devNull, partial], connection, `Reading back the backup of ${connection.database} with pg_restore`);
    });
    return head;
  });
}

/**
 * Makes `file` whole or not at all: `write` fills `<file>.<pid>@<host>.partial`, which is synced and only then renamed
 * to `file` (removed if anything fails); the rename is made durable where the system allows it (Windows cannot open a
 * folder to flush it: the rename stands).
 */
export async function writeWhole(file: string, write: (partial: string) => Promise<void> | void): Promise<void> {
  const partial = partialPathFor(file);
  try {
    await write(partial);
    syncFile(partial);
    renameSync(partial, file);
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  }
  try {
    syncFile(dirname(file));
  } catch {
    // not on this system
  }
}

/** Flushes a file (or a folder's entries) to disk. */
function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Restores a pg_dump (custom format) into a database that exists and is empty (createdb first): every table, sequence,
 * trigger and row, in one transaction (all or nothing). Run `stockbook verify --database …` on it before use.
 */
export async function pgRestore(connection: PgConnection, file: string, tools: PgTools): Promise<void> {
  await runTool(tools, 'pg_restore', [...args(connection), '--no-owner', '--single-transaction', '--exit-on-error', '--dbname', connection.database, file], connection, `Restoring into ${connection.database} with pg_restore`);
}
