import { AppError } from '../../../shared/contract/errors';
import type { SafeModeInfo } from '../../../shared/safety';
import { plural } from '../../../shared/plural';
import { shownAddress } from '../../cli/pg-verify-command';
import { pgSafeModeOps } from '../../safety/pg-safe-mode-ops';
import { clearSafeModeHint, pgStartupCheck, standingSafeMode } from '../../safety/pg-startup-check';
import { FULL_CHECK_KIND } from '../../safety/worker-start';
import { SAFE_MODE_EVENT } from '../ledger-protocol';
import type { StockChange } from '../../../shared/contract/events';
import { RECONNECTED_REASON, startChangeFeed } from './pg-change-feed';
import type { PgLedgerOps, PgOpsFactory, PgWorkerContext } from './pg-ops';
import { openPool, type PgConnection } from './pg-types';
import { createPgWorkerContext } from './pg-worker-context';
import { allPgOps } from './pg-worker-ops';
import { recordPgAnchor } from './store/pg-anchor-store';
import { pgSafeModeCleared, pgStandingSafeMode, recordPgAudit } from '../../safety/pg-audit-store';
import { SYSTEM_ACTOR } from '../../safety/audit';
import { verifyPg } from './store/pg-verify-store';

/** Connections the host keeps to PostgreSQL: each operation takes one for its transaction, so this many run at once. */
export const PG_HOST_POOL_SIZE = 8;

export interface PgHostOptions {
  /** Runs the migrations this version adds before opening (pg-startup-check.ts); without it a behind schema is refused. */
  migrate?: boolean;
  clock?: () => number;
  poolSize?: number;
  /** How often a running server looks for a safe mode another server recorded that its notice did not bring (SAFE_MODE_POLL_MS). */
  safeModePollMs?: number | undefined;
}

/**
 * A running server looks this often for a safe mode another server recorded, besides hearing the
 * notice: a notice is lost when this server's listening connection was away, or the other server's NOTIFY failed.
 */
export const SAFE_MODE_POLL_MS = 30_000;
/** A look for a recorded safe mode that has had no answer in this long is given up (the next look tries again). */
const LOOK_TIMEOUT_MS = 10_000;

export interface PgHost {
  /** The current operations: every capability's, or safe mode's once a check failed. */
  readonly ops: PgLedgerOps;
  migrated: string[];
  /** This host's id in the change notifications it sends to the other servers on the database (pg-change-feed.ts). */
  serverId: string;
  close(): Promise<void>;
}

/**
 * The PostgreSQL ledger host (what startLedgerWorker is for a SQLite file): opens a pool on the database, runs the
 * start-up checks (pg-startup-check.ts), and answers with every capability's PostgreSQL operations, or safe mode's.
 * Once the app is up (safetyStartFullCheck) the whole ledger is verified in the background; a failure switches to safe
 * mode, and so does damage the start-up check finds: either is recorded in the audit log and the other servers on the
 * database are told of that entry (pg-change-feed.ts, SAFE_MODE_CHANNEL) and switch too: one server's check stops every
 * server that is running. A server that missed the notice (its listening connection was away, or the NOTIFY failed)
 * finds the entry when its connection comes back and, at the latest, at its next look (SAFE_MODE_POLL_MS); a server
 * that starts later starts in safe mode (pg-startup-check.ts). The safe mode stands for every server until
 * `stockbook verify --database … --clear-safe-mode` passes (docs/server.md); a server that went into safe mode while
 * running then leaves it by itself once its own start-up checks pass, through the same looks (leaveSafeModeIfCleared). A connection PostgreSQL drops (the server restarted or stopped) is reported, never fatal: the next operation
 * gets a fresh connection or the user's "cannot be reached" (pgToWire). Changes are announced to, and heard from, the
 * other servers on the database (pg-change-feed.ts).
 */
export async function startPgHost(connection: PgConnection, emit: (event: string, payload: unknown) => void, options: PgHostOptions = {}): Promise<PgHost> {
  const pool = openPool(connection, options.poolSize ?? PG_HOST_POOL_SIZE);
  const pollMs = options.safeModePollMs ?? SAFE_MODE_POLL_MS;
  const dropped = (e: Error) => console.warn(`Stockbook: a connection to ${shownAddress(connection)} was dropped (${e.message}); the next operation opens a new one.`);
  pool.on('error', dropped);
  // The pool hears only its idle connections: one dropped while borrowed (a posting's lock held between queries, a
  // transaction between two awaits) must not be an uncaught error that stops the host; its next query fails instead.
  pool.on('connect', (client) => client.on('error', dropped));
  let start: Awaited<ReturnType<typeof pgStartupCheck>>;
  try {
    start = await pgStartupCheck(pool, connection, { migrate: options.migrate });
  } catch (e) {
    await pool.end();
    throw e;
  }
  if (start.safeMode) console.error(`Stockbook is in safe mode: ${start.safeMode.message}`);
  // Every committed change the operations report is told to this server's windows and, by NOTIFY, to the other
  // servers' (which hear it through their own feed); what the others announce arrives here as their stock.changed.
  // A server that found the ledger damaged records it in the audit log and tells the others (SAFE_MODE_CHANNEL). To
  // this server the notice only says "look now": it acts on the finding that stands in the audit log (lookForSafeMode),
  // which only the ledger's role can write, never on the notice, which anyone who can connect may send; so a forged
  // notice, or an old finding named again after it was cleared, stops nobody. A notice heard before the operations
  // below exist is looked into once they do.
  let ready = false;
  let heardEarly = false;
  const heardSafeMode = () => {
    if (ready) lookForSafeMode();
    else heardEarly = true;
  };
  const heardChange = (change: StockChange) => {
    emit('stock.changed', change);
    // Notices sent while the listening connection was away are lost: a safe mode recorded meanwhile is looked for.
    if (change.reason === RECONNECTED_REASON) lookForSafeMode();
  };
  const feed = startChangeFeed(pool, connection, heardChange, console.warn, heardSafeMode);
  await feed.started;
  const emitAndAnnounce = (event: string, payload: unknown) => {
    emit(event, payload);
    if (event === 'stock.changed') feed.publish(payload as StockChange);
  };
  const ctx = createPgWorkerContext(pool, connection, emitAndAnnounce, options.clock);
  let fullCheckStarted = false;
  let safe = start.safeMode !== null;
  /**
   * The 'safe-mode-entered' entry this server's safe mode stands in, once it is known (null: none, e.g. its recording
   * failed, and then nothing clears it but a restart); `entered` counts the switches into safe mode, so a look begun
   * before one does not act after it. A host that started in safe mode never leaves it: the app above it was composed
   * for safe mode (no sign-in, the safe-mode user), so it is started again instead.
   */
  let standsOn: number | null = null;
  let entered = 0;
  const enterSafeMode = (info: SafeModeInfo, entry: number | null = null) => {
    safe = true;
    standsOn = entry;
    entered++;
    ctx.cancelAll();
    current = pgSafeModeOps(info);
    emit(SAFE_MODE_EVENT, info);
    console.error(`Stockbook is in safe mode: ${info.message}`);
  };
  /** Starts the full check in the background, once until this server leaves a safe mode (then it runs again). */
  const startFullCheck = () => {
    if (fullCheckStarted) return false;
    fullCheckStarted = true;
    startPgFullCheck(ctx, (info) => {
      enterSafeMode(info);
      void recordOwnFinding(info, false);
    });
    return true;
  };
  // The full check's start is the host's own operation: it needs the switch to safe mode.
  const fullCheck: PgOpsFactory = () => ({ safetyStartFullCheck: async () => startFullCheck() });
  /**
   * Records this server's safe mode in the audit log and tells the other servers on the database, which stop too. A
   * start that finds what the newest entry already records, within the hour (a server restarted again and again on a
   * damaged ledger), writes no entry more: the servers running then were told. The entry the finding stands in (the
   * one written, or the one it repeats), or null when it could not be recorded.
   */
  const tellOthers = async (info: SafeModeInfo, atStart: boolean): Promise<number | null> => {
    try {
      const problems = info.problems.slice(0, SAFE_MODE_PROBLEMS);
      if (atStart) {
        // The finding still standing, not merely the newest: one cleared since is no reason to stay quiet.
        const standing = await pgStandingSafeMode(pool);
        const d = standing?.detail;
        if (standing && d && ctx.clock() - standing.at < SAFE_MODE_REPEAT_MS && d.reason === info.reason && JSON.stringify(d.problems) === JSON.stringify(problems)) return standing.id;
      }
      const entry = await recordPgAudit(pool, SYSTEM_ACTOR, SAFE_MODE_AUDIT, { server: feed.serverId, reason: info.reason, message: info.message, problems }, ctx.clock());
      await feed.announceSafeMode(entry);
      return entry;
    } catch (e) {
      console.warn(`Stockbook: the other servers could not be told that this one found the ledger damaged, nor could it be recorded (${e instanceof Error ? e.message : String(e)}); each finds the damage only by its own checks, and this server stays in safe mode until it is started again (no clear can name a finding that was not recorded).`);
      return null;
    }
  };
  /** Records this server's own finding (tellOthers) and, unless it switched again meanwhile, stands in that entry. */
  const recordOwnFinding = async (info: SafeModeInfo, atStart: boolean) => {
    const at = entered;
    const entry = await tellOthers(info, atStart);
    if (entered === at) standsOn = entry;
  };
  /**
   * Outside safe mode: a safe mode another server recorded and nobody cleared, which its notice did not bring (the
   * listening connection was away, or the NOTIFY failed): this server stops too. Nothing stood when this server started
   * (it would be in safe mode), so any entry standing now is news, whatever its id. In safe mode entered while running:
   * whether it was cleared (leaveSafeModeIfCleared). A failed look is logged and the next one tries again; a look that
   * hangs (a dead connection) is given up after LOOK_TIMEOUT_MS so the looks go on.
   */
  let looking = false;
  let lookAgain = false;
  /** Counts the looks begun and given up: a look acts only while it is the newest and was not given up. */
  let lookNo = 0;
  /** The entry this server last told the operator was not cleared (told once, not at every look). */
  let toldNotCleared: number | null = null;
  let closed = false;
  const startedSafe = start.safeMode !== null;
  const lookForSafeMode = () => {
    if (!ready || closed || (safe && (startedSafe || standsOn === null))) return;
    // A notice heard during a look whose read began before the entry committed: one more look once it ends.
    if (looking) {
      lookAgain = true;
      return;
    }
    looking = true;
    // A look given up (its answer came too late) switches nothing: the looks after it decide on what they read.
    const look_ = ++lookNo;
    const live = () => lookNo === look_ && !closed;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const gaveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        lookNo++;
        reject(new Error(`no answer in ${LOOK_TIMEOUT_MS / 1000} s`));
      }, LOOK_TIMEOUT_MS);
    });
    const look = safe
      ? leaveSafeModeIfCleared(live)
      : pgStandingSafeMode(pool).then((entry) => {
          if (!entry || !live() || safe || entry.detail?.server === feed.serverId) return;
          const info = standingSafeMode(entry);
          enterSafeMode({ ...info, message: `Another Stockbook server on this database found the ledger damaged, so this one stopped working on it too. ${info.message}` }, entry.id);
        });
    void Promise.race([look, gaveUp])
      .catch((e: unknown) => {
        if (!closed) console.warn(`Stockbook: could not look for a safe mode recorded, or cleared, on this ledger (${e instanceof Error ? e.message : String(e)}); the next look tries again.`);
      })
      .finally(() => {
        clearTimeout(timer);
        looking = false;
        if (lookAgain) {
          lookAgain = false;
          lookForSafeMode();
        }
      });
  };
  /**
   * The way out of a safe mode entered while running: only once a 'safe-mode-cleared' entry (a passing `stockbook
   * verify --clear-safe-mode`) covers the entry this server stands in and no finding stands (pgSafeModeCleared; a
   * finding gone without a clear, as after a pg_restore or point-in-time recovery to before it, ends nothing), this
   * server runs its own start-up checks again (pg-startup-check.ts, never migrating) and works on the ledger again only
   * if they pass and the clear still holds, saying so in its log as it does on entering; then it looks once more at
   * once and runs its full check again. If the checks fail it stays in safe mode and records what they found, as a
   * start does, so that finding stands for every server in turn; a check it cannot run (a database that needs
   * migrating) keeps it in safe mode until it is started again. A clear of an older finding ends nothing while a newer
   * one stands. `live` says whether this look still may act (it was not given up).
   */
  const leaveSafeModeIfCleared = async (live: () => boolean) => {
    const at = entered;
    const was = standsOn;
    if (was === null) return;
    if (!(await pgSafeModeCleared(pool, was))) {
      if (!live() || entered !== at || toldNotCleared === was || (await pgStandingSafeMode(pool))) return;
      toldNotCleared = was;
      console.error(`Stockbook is still in safe mode: the finding it stands in (audit entry ${was}) is no longer in the audit log, yet no stockbook verify --clear-safe-mode cleared it (was the database restored to before it?), so it stays in safe mode. Run stockbook verify --database ${shownAddress(connection)} --clear-safe-mode (with nothing standing it has nothing to clear), and once it passes start this server again.`);
      return;
    }
    let again: Awaited<ReturnType<typeof pgStartupCheck>>;
    try {
      again = await pgStartupCheck(pool, connection);
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'UNAVAILABLE' || !live() || !safe || entered !== at) throw e;
      // A database to migrate (a dump from before an upgrade): no look can pass until it is migrated and this server started again.
      enterSafeMode({ reason: 'open-failed', message: `The safe mode was cleared, but this server's own start-up checks cannot run, so it stays in safe mode until it is started again. ${e.message}`, problems: [] });
      return;
    }
    if (!live() || !safe || entered !== at) return;
    if (again.safeMode) {
      // A finding recorded since the look began stands as at a start; otherwise this server's own checks failed.
      if (again.standing !== undefined) {
        enterSafeMode(again.safeMode, again.standing);
        return;
      }
      enterSafeMode({ ...again.safeMode, message: `The safe mode was cleared, but this server's own start-up checks still fail, so it stays in safe mode. ${again.safeMode.message}` });
      if (again.safeMode.reason === 'invariants' || again.safeMode.reason === 'integrity') await recordOwnFinding(again.safeMode, true);
      return;
    }
    // Read once more right before switching: a finding recorded, or a restore, since the checks began keeps it stopped.
    const still = await pgSafeModeCleared(pool, was);
    if (!still || !live() || !safe || entered !== at) return;
    safe = false;
    standsOn = null;
    current = allPgOps(ctx, [fullCheck]);
    console.error(`Stockbook left safe mode: the finding it stood in (audit entry ${was}) was cleared by stockbook verify --clear-safe-mode, which passed, and this server's start-up checks pass again; it works on the ledger again and checks the whole ledger again.`);
    lookAgain = true;
    fullCheckStarted = false;
    startFullCheck();
  };
  let current: PgLedgerOps = start.safeMode ? pgSafeModeOps(start.safeMode) : allPgOps(ctx, [fullCheck]);
  ready = true;
  if (heardEarly) lookForSafeMode();
  const poll = setInterval(lookForSafeMode, pollMs);
  poll.unref();
  // Damage found at start (not a newer schema, which is this server's own concern, nor a safe mode another server
  // recorded, which the others were told of) stops the others too.
  if (start.safeMode && start.standing === undefined && (start.safeMode.reason === 'invariants' || start.safeMode.reason === 'integrity')) await recordOwnFinding(start.safeMode, true);
  return {
    get ops() {
      return current;
    },
    migrated: start.migrated,
    serverId: feed.serverId,
    close: async () => {
      closed = true;
      clearInterval(poll);
      ctx.cancelAll();
      await feed.close();
      await pool.end();
    },
  };
}

/** The audit action a server's safe mode is recorded under, and how many of its problems the entry keeps. */
const SAFE_MODE_AUDIT = 'safe-mode-entered';
const SAFE_MODE_PROBLEMS = 20;
/** A start that finds what the newest entry recorded this long ago or less records it again only if it differs. */
const SAFE_MODE_REPEAT_MS = 3_600_000;

/**
 * The full check after start on PostgreSQL: `verify` in one snapshot as a job. A pass anchors the head it checked (a
 * 'check' anchor, a verified one: pgStoredAnchors), as SQLite's full check does; a failure names the problems and enters
 * safe mode.
 */
function startPgFullCheck(ctx: PgWorkerContext, enterSafeMode: (info: SafeModeInfo) => void): void {
  ctx.startJob(`${FULL_CHECK_KIND}-${ctx.clock()}`, FULL_CHECK_KIND, async (signal, progress) => {
    progress({ done: 0, total: 0, phase: 'checking every movement' });
    const report = await verifyPg(ctx.pool);
    if (signal.aborted) throw new AppError('CANCELLED', 'The full ledger check was cancelled; it runs again when Stockbook next starts.');
    if (report.ok) {
      // The head in verify's snapshot, still this chain's at its seq (recordPgAnchor refuses it otherwise).
      if (report.head.seq > 0) await recordPgAnchor(ctx.pool, 'check', null, ctx.clock(), report.head);
      return `The whole ledger checked out: ${plural(report.movements, 'movement')}, hash chain and anchors intact.`;
    }
    const problems = report.checks.flatMap((c) => c.problems.map((p) => `${c.name}: ${p}`));
    const first = problems[0]?.replace(/^[a-z-]+: /, '') ?? 'see the problems';
    const message = `The full ledger check found a problem (${first}). Stockbook stopped working on this PostgreSQL ledger (safe mode): have the database administrator restore the last good pg_dump or point-in-time backup, ${clearSafeModeHint(shownAddress(ctx.connection))}.`;
    enterSafeMode({ reason: 'invariants', message, problems });
    throw new AppError('INTERNAL', message);
  });
}
