import { AppError } from '../../shared/contract/errors';
import { openPool, type PgConnection } from '../ledger/pg/pg-types';
import { verifyPg } from '../ledger/pg/store/pg-verify-store';
import { resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { backupHeadAnchors } from '../ledger/pg/backup-heads';
import { auditTime, pgStandingSafeMode, recordPgAudit, type StandingSafeMode } from '../safety/pg-audit-store';
import { SAFE_MODE_CHANNEL, safeModeText } from '../ledger/pg/pg-change-feed';
import { notify } from '../ledger/pg/store/pg-notify-store';

/** The environment variable `stockbook verify` reads a PostgreSQL address from when `--database` is not given. */
export const DATABASE_URL_ENV = 'STOCKBOOK_DATABASE_URL';

/**
 * A PostgreSQL address as `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`. The password may also come from PGPASSWORD
 * (as for psql), so it need not appear on the command line. Anything else is refused, saying what to give.
 */
export function parseDatabaseUrl(url: string): PgConnection {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    u = new URL('invalid:');
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if ((u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') || !u.hostname || !u.username || !database) {
    throw new AppError('VALIDATION', 'The PostgreSQL address is not one Stockbook can use. Give it as postgres://USER@HOST:PORT/DATABASE (the password in PGPASSWORD).', { field: 'database' });
  }
  const password = u.password ? decodeURIComponent(u.password) : process.env.PGPASSWORD;
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username),
    database,
    ...(password === undefined ? {} : { password }),
  };
}

/** The database server and database, "host:port/database": what the status bar names (no user, never the password). */
export const databaseServerOf = (c: PgConnection) => `${c.host}:${c.port}/${c.database}`;

/** What --clear-safe-mode did: the clearing entry's id, or why none was written; what stands after it; whether the servers were told. */
interface ClearOutcome {
  cleared: number | null;
  error: string | null;
  still: StandingSafeMode | null;
  told?: boolean;
}

/** Who clears a safe mode from the command line, as the audit log names them (the operating-system user in the detail). */
const CLI_ACTOR = { userId: null, username: 'stockbook verify' };
const osUser = (): string => {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
};

/** The address as shown to the user: never the password. */
export const shownAddress = (c: PgConnection) => `postgres://${c.user}@${databaseServerOf(c)}`;

/**
 * `stockbook verify --database postgres://…` (or STOCKBOOK_DATABASE_URL): the PostgreSQL ledger's verify (every
 * movement hashed in one snapshot, pg/store/pg-verify-store.ts), printed as the SQLite verify prints its report.
 * With `backups` (a folder of `stockbook backup --database` files), the chain is also held to the heads their `.head`
 * files recorded, outside the database. It names a safe mode a server recorded that still stands (pg-host.ts); with
 * `clearSafeMode`, a pass clears it by one 'safe-mode-cleared' audit entry naming the entry it clears, and tells the
 * running servers on SAFE_MODE_CHANNEL to look now: those that went into safe mode while running leave it once their own
 * start-up checks pass (pg-host.ts; without the notice, at their next look), and servers start on the ledger again (a failure clears
 * nothing; the report is printed first, so a clear the database refuses loses nothing of it). Read-only otherwise. Returns the exit code: 1 when an invariant is broken, or a clear asked for
 * could not be written.
 */
export async function runPgVerifyCommand(
  url: string,
  options: { json: boolean; backups?: string | undefined; clearSafeMode?: boolean },
  out: (line: string) => void = console.log,
): Promise<number> {
  const connection = parseDatabaseUrl(url);
  let heads: ReturnType<typeof backupHeadAnchors> | null = null;
  if (options.backups !== undefined) {
    const dir = resolve(options.backups);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new AppError('VALIDATION', `There is no folder at ${dir}. Give the folder stockbook backup --database … --to wrote its backups to. Nothing was checked.`, { field: 'backups' });
    heads = backupHeadAnchors(dir, connection.database);
  }
  const outside = heads?.anchors ?? [];
  const pool = openPool(connection, 1);
  try {
    const unreachable = (e: unknown) => {
      throw new AppError('UNAVAILABLE', `Could not verify the PostgreSQL ledger at ${shownAddress(connection)}: ${(e as Error).message}. Check the address, that the server runs, and that the database holds a Stockbook ledger.`);
    };
    // Read before the check: a safe mode a server records while it runs is not cleared by it.
    const standing = await pgStandingSafeMode(pool).catch(unreachable);
    const report = await verifyPg(pool, undefined, outside).catch(unreachable);
    const clear = async (): Promise<ClearOutcome> => {
      if (!options.clearSafeMode || !report.ok || !standing) return { cleared: null, error: null, still: standing };
      try {
        const cleared = await recordPgAudit(pool, CLI_ACTOR, 'safe-mode-cleared', { clears: standing.id, seq: report.head.seq, hash: report.head.hash, by: osUser() }, Date.now());
        // Only "look now" (a server believes the audit log, never the notice): a lost one delays the servers, nothing more.
        const told = await notify(pool, SAFE_MODE_CHANNEL, safeModeText(CLI_ACTOR.username, cleared)).then(() => true, () => false);
        return { cleared, error: null, still: await pgStandingSafeMode(pool), told };
      } catch (e) {
        return { cleared: null, error: e instanceof Error ? e.message : String(e), still: standing };
      }
    };
    if (options.json) {
      const c = await clear();
      const safeMode = standing
        ? { standing: { audit: standing.id, at: auditTime(standing.at), message: standing.detail?.message ?? null }, cleared: c.cleared !== null, ...(c.error ? { error: c.error } : {}), stillStanding: c.still?.id ?? null }
        : null;
      out(JSON.stringify({ ...report, mode: { kind: 'full' }, ...(heads ? { backupHeads: { held: heads.anchors.length, otherDatabases: heads.otherDatabases, unreadable: heads.unreadable } } : {}), safeMode }, null, 2));
      return report.ok && !c.error ? 0 : 1;
    }
    out(`Verifying ${shownAddress(connection)} (${report.head.seq} movements)`);
    out(`Mode: full pass: every movement hashed from the first, in one snapshot — ${report.movements} movement${report.movements === 1 ? '' : 's'} hashed.`);
    if (heads) {
      const other = heads.otherDatabases > 0 ? `; ${heads.otherDatabases} of other databases skipped` : '';
      const unreadable = heads.unreadable.length > 0 ? `; not read (not a head file, or cut short): ${heads.unreadable.join(', ')}` : '';
      out(`Backups' chain heads held to: ${outside.length} from ${resolve(options.backups!)}${other}${unreadable}.`);
    }
    for (const c of report.checks) {
      out(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.invariant}`);
      for (const p of c.problems) out(`         ${p}`);
    }
    out(report.ok ? 'All invariants hold.' : 'The ledger is NOT consistent: see the failures above.');
    const c = await clear();
    if (standing) {
      const what = `The safe mode a Stockbook server recorded on ${auditTime(standing.at)} (audit entry ${standing.id})`;
      if (c.error) out(`${what} was NOT cleared: its clearing entry could not be written to the audit log (${c.error}). --clear-safe-mode writes one audit entry: run it as the ledger's own database role.`);
      else if (c.cleared !== null && c.still) out(`${what} is cleared (audit entry ${c.cleared}), but a server recorded the ledger damaged again on ${auditTime(c.still.at)} (audit entry ${c.still.id}) while this check ran: that safe mode stands. Look into it, then run this check again.`);
      else if (c.cleared !== null) out(`${what} is cleared (audit entry ${c.cleared}): the Stockbook servers that went into safe mode while running leave it ${c.told ? 'now' : 'at their next look, within 30 s'}, once their own start-up checks pass (no restart needed); start again any that started in safe mode, whose finding could not be recorded, or that stopped.`);
      else if (!report.ok) out(`${what} stands: the servers stay stopped until the ledger is restored and this check passes.`);
      else out(`${what} still stands: the servers start in safe mode until it is cleared. Run this again with --clear-safe-mode to clear it.`);
    } else if (options.clearSafeMode) {
      out('No safe mode stands on this ledger: nothing to clear.');
    }
    return report.ok && !c.error ? 0 : 1;
  } finally {
    await pool.end();
  }
}
