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
 * makes no progress ends at once, and the gate holds nothing again until a later pass gets further (the reader has let
 * go) or the WAL has been copied whole or started over; a hold never lasts longer than `maxHoldMs`.
 */

/**
 * The WAL length (frames, 4 KiB pages) at which the job writes wait: half the writer's safety net. Measured on an
 * import of 50,000 rows beside a clerk's commit every 2 ms: at 2,048 and 4,096 frames the holds were more often and
 * the import slower (9.5 s, 8.3 s, against 6.8 s with no gate), with no lower commit p99 than at 8,192 (7.6 s).
 */
export const HOLD_JOB_WRITES_AT_FRAMES = 8192;
/** The longest a job's write waits for the WAL to be copied whole. */
export const HOLD_JOB_WRITES_MAX_MS = 1000;

/** The WAL now: its frames, and how many of them are already in the ledger file. */
export interface WalNow {
  frames: number;
  inFile: number;
}

export class WalGate {
  private readonly held: (() => void)[] = [];
  private holding: { inFile: number; timer: NodeJS.Timeout } | null = null;
  /** A reader kept the frames after this one in the WAL: hold nothing until a pass gets further or the WAL is copied whole. */
  private pinnedAt: number | null = null;
  private closed = false;
  /** Holds so far, and how many of them ended with the WAL copied whole or started over (the benchmark prints them). */
  readonly counts = { holds: 0, cleared: 0 };

  constructor(
    /** Reads the WAL's length now (the wal-index header). */
    private readonly wal: () => WalNow,
    /** Asks the checkpointer for a pass now; its report comes to `passed`. */
    private readonly askPass: () => void,
    private readonly holdAt = HOLD_JOB_WRITES_AT_FRAMES,
    private readonly maxHoldMs = HOLD_JOB_WRITES_MAX_MS,
  ) {}

  /** A job's write: runs now, or once the hold ends. Writes held run in the order they came. */
  whenClear(write: () => void): void {
    if (!this.holding && !this.closed) {
      const now = this.wal();
      if (this.copied(now)) this.pinnedAt = null;
      else if (now.frames >= this.holdAt && this.pinnedAt === null) this.hold(now);
    }
    if (this.holding) this.held.push(write);
    else write();
  }

  /** The checkpointer finished a pass. */
  passed(): void {
    if (!this.holding && this.pinnedAt === null) return;
    const now = this.wal();
    if (!this.holding) {
      if (this.copied(now) || now.inFile > this.pinnedAt!) this.pinnedAt = null; // the reader has let go of those frames
      return;
    }
    if (this.copied(now)) {
      this.counts.cleared++;
      this.release();
    } else if (now.inFile <= this.holding.inFile) {
      // No further: a reader keeps the rest in the WAL. Holding on would only slow the job.
      this.pinnedAt = now.inFile;
      this.release();
    } else {
      this.holding.inFile = now.inFile;
      this.askPass();
    }
  }

  /** Lets every held write run, and holds none from now on (the ledger is closing). */
  close(): void {
    this.closed = true;
    this.release();
  }

  /** Copied whole (the next commit starts the WAL over), or started over already. */
  private copied(now: WalNow): boolean {
    return now.inFile >= now.frames || now.frames < this.holdAt;
  }

  private hold(now: WalNow): void {
    this.counts.holds++;
    const timer = setTimeout(() => this.release(), this.maxHoldMs);
    timer.unref();
    this.holding = { inFile: now.inFile, timer };
    this.askPass();
  }

  private release(): void {
    if (!this.holding) return;
    clearTimeout(this.holding.timer);
    this.holding = null;
    for (const write of this.held.splice(0)) write();
  }
}
