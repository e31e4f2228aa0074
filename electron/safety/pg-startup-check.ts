import type pg from 'pg';
import { AppError } from '../../shared/contract/errors';
import type { SafeModeInfo } from '../../shared/safety';
import { shownAddress } from '../cli/pg-verify-command';
import { PG_MIGRATIONS } from '../ledger/migrations/pg';
import { migratePg } from '../ledger/pg/pg-data-source';
import type { PgConnection } from '../ledger/pg/pg-types';
import { appliedPgMigrations } from '../ledger/pg/store/pg-schema-store';
import { missingAppendOnlyTriggers } from '../ledger/pg/store/pg-verify-store';
import { readSnapshot } from '../ledger/pg/store/pg-read-snapshot';
import { runLater } from '../ledger/steps';
import { START_LEVELS_PER_PAIR, tailProblems } from './fast-verify';
import { PgFastVerifyStore } from './pg-fast-verify-store';
import { auditTime, pgStandingSafeMode, type StandingSafeMode } from './pg-audit-store';

/** The migrations this version of Stockbook knows, by the name TypeORM records. */
export const KNOWN_PG_MIGRATIONS: readonly string[] = PG_MIGRATIONS.map((M) => new M().name);

/**
 * What an administrator does once a PostgreSQL ledger is in safe mode, in every message that says so: a server's safe
 * mode stands for every server until `verify --clear-safe-mode` passes; a server that went into it while running then
 * leaves it once its own start-up checks pass, one that started in it or whose finding could not be recorded is
 * started again (pg-host.ts).
 */
export const clearSafeModeHint = (where: string) =>
  `run stockbook verify --database ${where} --clear-safe-mode (it clears the safe mode only when every check passes): the servers that went into safe mode while running leave it once their own start-up checks pass; a server that started in safe mode, or whose finding could not be recorded, must be started again`;

/** The command that brings a PostgreSQL database to this version's schema (one server, before the others start). */
export const migrateHint = (c: PgConnection) =>
  `Run once, on one server and before the others start: stockbook serve --store postgres --database-url ${shownAddress(c)} --migrate (or, in browser mode, npm run web -- --database-url ${shownAddress(c)} --migrate).`;

/**
 * The start-up checks of a PostgreSQL ledger, its meaning of safe mode (SQLite's is startup-check.ts):
 * - migrations this version does not know (a newer Stockbook set the database up): safe mode, 'unknown-migrations';
 * - migrations not yet run: migrated now when `migrate` is given, else refused with the command to run (a server never
 *   migrates a database others may be using unless told to);
 * - an append-only or no-truncate trigger missing or disabled (someone changed the schema by hand): safe mode,
 *   'integrity', naming each trigger;
 * - the newest movements, documents and stock levels failing the checks SQLite's start runs (fast-verify.ts: the last
 *   1,000 seqs contiguous and chained, their balances following each other, the newest documents whole, the newest
 *   product/sites' levels equal to their latest balance), read in one snapshot while other servers may post: safe
 *   mode, 'invariants'. Nothing here grows with the ledger; the whole ledger is verified in the background once the
 *   server is up (pg-host.ts), as on SQLite;
 * - a safe mode another server recorded and nobody has cleared since (pgStandingSafeMode): safe mode, 'invariants',
 *   saying which server found what, and when. A server started after another stopped does not work on a ledger known to
 *   be damaged until its own checks could find the damage; `standing` is that entry's id (the host does not announce it again).
 * Returns null when the ledger may be worked on; a connection failure is thrown as it is (pgToWire tells the user).
 */
export async function pgStartupCheck(pool: pg.Pool, connection: PgConnection, options: { migrate?: boolean } = {}): Promise<{ safeMode: SafeModeInfo | null; migrated: string[]; standing?: number }> {
  const where = shownAddress(connection);
  const applied = await appliedPgMigrations(pool);
  const unknown = applied.filter((name) => !KNOWN_PG_MIGRATIONS.includes(name));
  if (unknown.length > 0) {
    return {
      migrated: [],
      safeMode: {
        reason: 'unknown-migrations',
        message: `The PostgreSQL ledger ${where} was set up by a newer version of Stockbook (migrations ${unknown.join(', ')}), so this version does not work on it. Nothing was changed: start the Stockbook version the database was migrated with.`,
        problems: unknown.map((name) => `migration ${name} is not known to this version`),
      },
    };
  }
  let migrated: string[] = [];
  const pending = KNOWN_PG_MIGRATIONS.filter((name) => !applied.includes(name));
  if (pending.length > 0) {
    if (!options.migrate) {
      const what = applied.length === 0 ? 'holds no Stockbook ledger yet' : `is behind this version of Stockbook (${pending.length} migration${pending.length === 1 ? '' : 's'} to run: ${pending.join(', ')})`;
      throw new AppError('UNAVAILABLE', `The PostgreSQL database ${where} ${what}. Nothing was changed. ${migrateHint(connection)}`);
    }
    migrated = await migratePg(connection);
  }
  const triggers = await missingAppendOnlyTriggers(pool);
  if (triggers.length > 0) {
    return {
      migrated,
      safeMode: {
        reason: 'integrity',
        message: `The PostgreSQL ledger ${where} no longer protects its permanent records: ${triggers.length === 1 ? 'a trigger that refuses changing or removing them is' : `${triggers.length} triggers that refuse changing or removing them are`} missing or disabled (listed below). Stockbook works on it only once they are back: have the database administrator restore them (or restore a pg_dump backup), then ${clearSafeModeHint(where)}.`,
        problems: triggers,
      },
    };
  }
  const problems = await readSnapshot(pool, (c) => runLater(tailProblems(new PgFastVerifyStore(c, START_LEVELS_PER_PAIR))));
  if (problems.length > 0) {
    return {
      migrated,
      safeMode: {
        reason: 'invariants',
        message: `The PostgreSQL ledger ${where} failed its start-up checks (see the problems), so Stockbook stopped working on it (safe mode). Have the database administrator restore it to the last good point (a pg_dump backup, or point-in-time recovery: docs/postgresql.md), ${clearSafeModeHint(where)}.`,
        problems,
      },
    };
  }
  const standing = await pgStandingSafeMode(pool);
  if (standing) {
    const info = standingSafeMode(standing);
    return {
      migrated,
      standing: standing.id,
      safeMode: { ...info, message: `A Stockbook server found this ledger damaged on ${auditTime(standing.at)} (audit entry ${standing.id}) and stopped working on it; that safe mode stands for every server until it is cleared. ${info.message} Once the ledger is restored or put right, ${clearSafeModeHint(where)}.` },
    };
  }
  return { safeMode: null, migrated };
}

/**
 * The safe mode a standing entry records; one whose detail cannot be read (written by hand, or damaged) still stands,
 * in words that say so: an entry only the ledger's role can write is never ignored for its shape.
 */
export function standingSafeMode(e: StandingSafeMode): SafeModeInfo {
  return (
    (e.detail && safeModeOfEntry(e.detail)) ?? {
      reason: 'invariants',
      message: `Its record (audit entry ${e.id}) does not say what it found.`,
      problems: [`audit entry ${e.id}: a safe-mode entry whose detail is not one a Stockbook server writes`],
    }
  );
}

/** The safe mode a 'safe-mode-entered' entry records, or null when the entry is not one a server wrote. */
export function safeModeOfEntry(d: Record<string, unknown>): SafeModeInfo | null {
  const { reason, message, problems } = d;
  if ((reason !== 'invariants' && reason !== 'integrity') || typeof message !== 'string' || !Array.isArray(problems) || !problems.every((p) => typeof p === 'string')) return null;
  return { reason, message, problems: problems as string[] };
}
