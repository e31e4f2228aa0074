/** What one snapshot tick may take on the writer: a clerk's commit that arrives meanwhile waits behind it. */
export const SNAPSHOT_TICK_BUDGET_MS = 5;
/** The fewest movements a tick folds, however slow the machine (so the snapshots still move on). */
export const SNAPSHOT_TICK_MIN_STEP = 200;

/**
 * How many movements the next snapshot tick folds in on the writer: sized by how long the last fold took, so a tick stays
 * near its time budget on a fast machine and on a busy one alike. It doubles while a fold takes under a quarter of the
 * budget and halves (to the time it would take, at least) while one takes over it, between SNAPSHOT_TICK_MIN_STEP and
 * `most`.
 */
export class SnapshotTickStep {
  private size: number;

  constructor(private readonly most: number, private readonly budgetMs = SNAPSHOT_TICK_BUDGET_MS, first = 1_000) {
    this.size = Math.min(most, Math.max(SNAPSHOT_TICK_MIN_STEP, first));
  }

  /** The movements the next tick may fold. */
  next(): number {
    return this.size;
  }

  /** A tick folded `folded` movements in `ms`: the next step follows from it. */
  record(folded: number, ms: number): void {
    if (folded < this.size) return; // it ran out of movements: says nothing about a full step's time
    if (ms > this.budgetMs) this.size = Math.floor(Math.min(this.size / 2, (this.size * this.budgetMs) / ms));
    else if (ms < this.budgetMs / 4) this.size *= 2;
    this.size = Math.min(this.most, Math.max(SNAPSHOT_TICK_MIN_STEP, this.size));
  }
}
