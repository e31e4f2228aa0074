/**
 * Holds a job's writes back, for a moment, when the WAL has grown long, so that the WAL can start over.
 *
 * The checkpointer (checkpointer.ts) copies the WAL's frames into the ledger file on its own thread. The WAL starts
 * over from its beginning only at a commit that begins when every frame is already in the file (and no reader still
 * reads the WAL). A job that writes without pause (an import: a chunk every few milliseconds, hundreds of frames each)
 * adds frames while every pass runs, so a commit never begins with the WAL copied whole. The WAL then grows to the
 * writer's safety net (WRITER_AUTOCHECKPOINT_PAGES), and the writer checkpoints inside a commit: the copy and an fsync
 * of the ledger file, 40–100 ms, on the clerks' path.
 *
 * So when a job's write finds the WAL at least `holdAt` frames long, the job writes wait (the clerks' requests do not)
 * and the gate asks the checkpointer for a pass at once, and again after each pass until the WAL is copied whole (the
 * next commit, a clerk's or the job's, then starts it over) or has started over.
 *
 * A reader can keep frames in the WAL (a job reading one snapshot): a pass then copies nothing more. A hold whose pass
 * (one asked for by the hold) makes no progress ends at once, and the gate holds nothing again until a later pass gets
 * further (the reader has let go) or the WAL has been copied whole or started over. A hold never lasts longer than
 * `maxHoldMs`; one that does is taken as a reader holding, too.
 */

/**
 * The WAL length (frames, 4 KiB pages) at which the job writes wait: half the writer's safety net. Measured on an
 * import of 50,000 rows beside a clerk's commit every 2 ms: at 2,048 and 4,096 frames the holds were more often and
 * the import slower (9.5 s, 8.3 s, against 6.8 s with no gate), with no lower commit p99 than at 8,192 (7.6 s).
 */
export const HOLD_JOB_WRITES_AT_FRAMES = 8192;
/** The longest a job's write waits for the WAL to be copied whole. */
export const HOLD_JOB_WRITES_MAX_MS = 1000;

/** The WAL now: its frames, how many of them are already in the ledger file, and which WAL it is (a restart changes it). */
export interface WalNow {
  frames: number;
  inFile: number;
  /** Changes each time the WAL starts over (its salt). */
  generation: number;
}

/** Where a reader held a pass: no hold until a pass gets past it, or the WAL is copied whole or starts over. */
interface Pin {
  inFile: number;
  generation: number;
}

export class WalGate {
  private readonly held: (() => void)[] = [];
  private holding: { at: WalNow; since: number; timer: NodeJS.Timeout } | null = null;
  private pinned: Pin | null = null;
  private closed = false;
  /** Holds so far, and how many of them ended with the WAL copied whole or started over. */
  readonly counts = { holds: 0, cleared: 0 };

  constructor(
    /** Reads the WAL's length now (the wal-index header). */
    private readonly wal: () => WalNow,
    /** Asks the checkpointer for a pass now; its report comes to `passed`. */
    private readonly askPass: () => void,
    /** Now, on the clock the checkpointer's reports use (a pass's `from`). */
    private readonly clock: () => number,
    private readonly holdAt = HOLD_JOB_WRITES_AT_FRAMES,
    private readonly maxHoldMs = HOLD_JOB_WRITES_MAX_MS,
  ) {}

  /** A job's write: runs now, or once the hold ends. Writes held run in the order they came. */
  whenClear(write: () => void): void {
    if (!this.holding && !this.closed) {
      const now = this.wal();
      if (this.pinned && this.letGo(this.pinned, now)) this.pinned = null;
      if (!this.pinned && !this.copied(now) && now.frames >= this.holdAt) this.hold(now);
    }
    if (this.holding) this.held.push(write);
    else write();
  }

  /** The checkpointer finished a pass that began at `from` (its clock). */
  passed(from: number): void {
    if (!this.holding) {
      if (this.pinned && this.letGo(this.pinned, this.wal())) this.pinned = null;
      return;
    }
    // A pass that began before the hold (its report was on its way) says nothing of the passes the hold asked for.
    if (from < this.holding.since) return;
    const now = this.wal();
    if (this.copied(now)) {
      this.counts.cleared++;
      this.release();
    } else if (now.generation === this.holding.at.generation && now.inFile <= this.holding.at.inFile) {
      // No further: a reader keeps the rest in the WAL. Holding on would only slow the job.
      this.pin(now);
    } else {
      this.holding.at = now;
      this.askPass();
    }
  }

  /** Lets every held write run, and holds none from now on (the ledger is closing, or the checkpointer stopped). */
  close(): void {
    this.closed = true;
    this.release();
  }

  /** Copied whole (the next commit starts the WAL over), or started over already. */
  private copied(now: WalNow): boolean {
    return now.inFile >= now.frames || now.frames < this.holdAt;
  }

  /** The reader that held a pass has let go: a pass got further, or the WAL is copied whole or is another one. */
  private letGo(pin: Pin, now: WalNow): boolean {
    return this.copied(now) || now.generation !== pin.generation || now.inFile > pin.inFile;
  }

  private hold(now: WalNow): void {
    this.counts.holds++;
    // No pass answered in time (a busy disk, a checkpointer gone): treated as a reader holding, so the next write is not held again at once.
    const timer = setTimeout(() => this.pin(this.holding?.at ?? now), this.maxHoldMs);
    timer.unref();
    this.holding = { at: now, since: this.clock(), timer };
    this.askPass();
  }

  private pin(at: WalNow): void {
    this.pinned = { inFile: at.inFile, generation: at.generation };
    this.release();
  }

  private release(): void {
    if (!this.holding) return;
    clearTimeout(this.holding.timer);
    this.holding = null;
    for (const write of this.held.splice(0)) write();
  }
}
