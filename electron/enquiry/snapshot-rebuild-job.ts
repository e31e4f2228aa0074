import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import { inSnapshot, type JobScope, type JobWriterSide } from '../jobs/job-scope';
import { StockSnapshots, type SnapshotBuild, type SnapshotChanges } from './stock-snapshots';

export interface SnapshotRebuildArgs {
  /** Movements between cuts (the enquiry's setting). */
  spacing?: number | undefined;
}

/**
 * A rebuild of the daily stock snapshots in a job thread: every cut is computed there from one read snapshot of the
 * movements, and the writer only swaps the rows in, in one short transaction (the snapshots are never seen half
 * rebuilt): the job also works out which rows differ from the snapshots as stored, and the writer writes only those
 * when the snapshots have not changed meanwhile (all of them otherwise). Movements committed meanwhile are past the build's head and are folded in by the next refresh.
 */
export async function snapshotRebuildJob(job: JobScope, a: SnapshotRebuildArgs): Promise<number> {
  job.progress({ done: 0, total: 1, phase: 'reading' });
  const { build, changes } = await inSnapshot(job.db, async () => {
    const snapshots = new StockSnapshots(job.db, { spacing: a.spacing });
    const build = snapshots.build();
    return { build, changes: snapshots.changesTo(build) };
  });
  job.progress({ done: 0, total: 1, phase: 'writing' });
  await new Promise((resolve) => setImmediate(resolve)); // a cancel sent meanwhile arrives here
  if (job.signal.aborted) throw new AppError('CANCELLED', 'The rebuild of the stock snapshots was cancelled; the snapshots were left as they were.');
  return job.write('snapshots.replace', [build, Date.now(), changes]) as number;
}

const writerSnapshots = new WeakMap<Database.Database, StockSnapshots>();

/** The writer's side of a rebuild: the one swap of every snapshot row. */
export const SNAPSHOT_JOB_WRITES = {
  'snapshots.replace': ({ db }: JobWriterSide, build: SnapshotBuild, builtAt: number, changes?: SnapshotChanges) => {
    let s = writerSnapshots.get(db);
    if (!s) writerSnapshots.set(db, (s = new StockSnapshots(db)));
    return s.replace(build, builtAt, changes);
  },
};
