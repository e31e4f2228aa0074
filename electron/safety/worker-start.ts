import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import type { SafeModeInfo } from '../../shared/safety';
import { startCheckpointer } from '../ledger/checkpointer';
import { WalGate } from '../ledger/wal-gate';
import { openWalIndex } from '../ledger/store/wal-checkpoint';
import { clock, writerTrace } from '../ledger/writer-trace';
import type { LedgerOps } from '../ledger/ledger-protocol';
import { recordAnchor } from '../ledger/store/chain-anchors';
import { createWorkerContext, type WorkerContext } from '../ledger/worker-context';
import type { JobPool } from '../jobs/job-pool';
import { allOps } from '../ledger/worker-ops';
import { finishInterruptedImports } from '../operations/import-chunks';
import { fullCheckOffThread } from './full-check';
import { safeModeOps } from './safe-mode-ops';
import { openLedgerSafely } from './startup-check';
import { plural } from '../../shared/plural';
import { SAFE_MODE_EVENT } from '../ledger/ledger-protocol';

const DAILY_TICK_MS = 60_000;
/** How often the writer checks whether the daily stock snapshots trail the ledger (see enquirySnapshotsTick). */
const SNAPSHOT_TICK_MS = 2_000;
/** While the snapshots are catching up a step at a time, the next step follows this soon. */
const SNAPSHOT_CATCH_UP_MS = 100;
export const FULL_CHECK_KIND = 'ledger-check';

/** The writer's group commit as its own timers' writes see it (../ledger/group-commit.ts). */
export interface OwnWrites {
  /** Runs a write made between requests without a sync of its own; the group's next sync covers it. */
  runOwn<T>(write: () => T): T;
}

/** The worker operation that starts the full check (safe mode has none: its file is not checked again). */
export interface FullCheckOps {
  /**
   * Starts the full ledger check in its own thread, once per start: the composition root asks when the app is up, so
   * start-up never shares the cores with a check that grows with the ledger. Returns whether this call started it.
   */
  safetyStartFullCheck(): boolean;
}

/**
 * What the ledger worker runs at start: the careful open (start-up checks, backup before migrating),
 * then either every capability's operations plus the daily-backup timer, or safe mode. Once the app is up
 * (safetyStartFullCheck), the whole ledger is checked in the background (a job with progress); if that check fails,
 * the worker switches to safe mode.
 */
export async function startLedgerWorker(
  dbPath: string,
  emit: (event: string, payload: unknown) => void,
  writer?: string,
): Promise<{ ops: LedgerOps; cancelAll(): void; close(): Promise<void>; db: Database.Database | null; jobs?: JobPool; joinGroup?(group: OwnWrites): void; releaseJobWrites?(): void }> {
  const start = await openLedgerSafely(dbPath, { writer });
  for (const note of start.notes) console.warn(`Stockbook: ${note}`);
  if (!start.ledger) {
    console.error(`Stockbook is in safe mode: ${start.safeMode.message}`);
    const safe = safeModeOps(dbPath, start.safeMode, emit);
    return { ops: safe.ops, cancelAll: () => undefined, close: async () => safe.close(), db: null };
  }
  const ledger = start.ledger;
  const ctx = createWorkerContext(ledger, emit);
  // Checkpoints off the writer's thread; a job's writes wait a moment when the WAL has grown long, so it starts over.
  const walIndex = openWalIndex(dbPath);
  const walGate = new WalGate(walIndex.read, () => checkpointer.passNow(), clock);
  const checkpointer = startCheckpointer(ledger.db, dbPath, {
    onPass: (p) => {
      writerTrace()?.checkpoint(p.from ?? 0, p.to ?? 0, p.log);
      walGate.passed(p.from ?? 0);
    },
    onStop: () => walGate.close(), // no passes any more: holding would only wait out each hold
  });
  ctx.jobs.holdWritesWith(walGate);
  let fullCheckStarted = false;
  let current: LedgerOps = {
    ...allOps(ctx),
    safetyStartFullCheck: () => {
      if (fullCheckStarted) return false;
      fullCheckStarted = true;
      startFullCheck(ctx, dbPath, enterSafeMode);
      return true;
    },
  };
  let closeCurrent = async () => ledger.close();
  const timer = process.env.STOCKBOOK_NO_DAILY_BACKUP ? null : setInterval(() => current.backupsDailyTick(), DAILY_TICK_MS);
  timer?.unref();
  let ownWrites: OwnWrites = { runOwn: (write) => write() };
  let catchUp: NodeJS.Timeout | null = null;
  const snapshotTick = () => {
    try {
      const from = writerTrace() ? clock() : 0;
      // A refresh runs on the writer between the clerks' requests, in the group commit once there is one (its sync is
      // shared with theirs): the bench's trace counts it beside the jobs' writes. One tick folds a few milliseconds'
      // worth; while more waits, the next runs soon after, with the clerks' requests in between.
      const did = ownWrites.runOwn(() => current.enquirySnapshotsTick?.());
      if (did === 'refreshed' || did === 'catching-up') writerTrace()?.jobWrite('snapshots.tick', from, clock());
      if (did === 'catching-up' && !catchUp) {
        catchUp = setTimeout(() => {
          catchUp = null;
          snapshotTick();
        }, SNAPSHOT_CATCH_UP_MS);
        catchUp.unref();
      }
    } catch (e) {
      console.warn(`Stockbook: the stock snapshots could not be refreshed (${e instanceof Error ? e.message : String(e)}); the next tick tries again.`);
    }
  };
  const snapshotTimer = setInterval(snapshotTick, SNAPSHOT_TICK_MS);
  snapshotTimer.unref();
  /** The daily backup tick and the snapshot ticks (a pending catch-up step too) stop: safe mode and close. */
  const stopTimers = () => {
    if (timer) clearInterval(timer);
    clearInterval(snapshotTimer);
    if (catchUp) clearTimeout(catchUp);
  };

  const enterSafeMode = async (info: SafeModeInfo) => {
    stopTimers();
    ctx.cancelAll();
    walGate.close();
    await ctx.jobs.close();
    await checkpointer.close();
    walIndex.close();
    await ledger.close();
    const safe = safeModeOps(dbPath, info, emit);
    current = safe.ops;
    closeCurrent = async () => safe.close();
    // The reader threads stop: from now on the reads come here, and safe mode refuses them with the reason.
    emit(SAFE_MODE_EVENT, info);
    console.error(`Stockbook is in safe mode: ${info.message}`);
  };
  // An import a stopped process left part-posted is finished now (roll forward), a chunk at a time between requests.
  finishInterruptedImports(ctx);

  return {
    // Every request goes to the current set of operations: the full ones, or safe mode's after a failed check.
    ops: new Proxy({} as LedgerOps, { get: (_t, prop: string) => current[prop as keyof LedgerOps] }),
    cancelAll: () => ctx.cancelAll(),
    // Job writes the WAL gate holds run now, and none is held from now on (the worker is closing: before its last sync).
    releaseJobWrites: () => walGate.close(),
    // The writer's connection (group commit, ledger.worker.ts); closed if the worker enters safe mode.
    db: ledger.db,
    // The job threads, whose writes join the group commit once the worker has one.
    jobs: ctx.jobs,
    // The snapshot timer's refreshes join it too.
    joinGroup: (group) => {
      ownWrites = group;
    },
    close: async () => {
      stopTimers();
      walGate.close();
      await ctx.jobs.close();
      await checkpointer.close();
      walIndex.close();
      await closeCurrent();
    },
  };
}

/**
 * The full check after start: SQLite's check of every page, then every movement hashed from genesis and held to every
 * anchor, plus every other invariant, in its own thread. A pass anchors the head it checked; a failure names the problems and enters safe mode.
 */
export function startFullCheck(ctx: WorkerContext, dbPath: string, enterSafeMode: (info: SafeModeInfo) => Promise<void>): void {
  ctx.startJob(`${FULL_CHECK_KIND}-${Date.now()}`, FULL_CHECK_KIND, async (signal, progress) => {
    progress({ done: 0, total: 0, phase: 'checking every movement' });
    let result;
    try {
      result = await fullCheckOffThread(dbPath, { signal, onProgress: (done, total) => progress({ done, total, phase: 'checking every movement' }) });
    } catch (e) {
      if (signal.aborted) throw new AppError('CANCELLED', 'The full ledger check was cancelled; it runs again when Stockbook next starts.');
      throw e;
    }
    if (result.ok) {
      if (result.head.seq > 0) recordAnchor(ctx.ledger.db, 'check', null, result.head);
      return `The whole ledger checked out: ${plural(result.movements, 'movement')}, hash chain and anchors intact.`;
    }
    const first = result.problems[0]?.replace(/^[a-z-]+: /, '') ?? 'see the problems';
    const message = result.damaged
      ? `The ledger file is damaged (the check of its pages found ${plural(result.problems.length, 'problem')}, listed below). Stockbook switched to read-only safe mode: restore the last good backup, or export a copy for support.`
      : `The full ledger check found a problem (${first}). Stockbook switched to read-only safe mode: restore the last good backup, or export a copy for support.`;
    await enterSafeMode({ reason: result.damaged ? 'integrity' : 'invariants', message, problems: result.problems });
    throw new AppError('INTERNAL', message);
  });
}
