import type Database from 'better-sqlite3';
import type { BatchStatus, ControlAccounts, PostingReport } from '../../shared/posting';
import type { JobScope, JobWrite, JobWriteLater, JobWriterSide } from '../jobs/job-scope';
import type { ChunkCommitted } from './posting-store-api';
import { runPosting } from './batch-runner';
import type { PostingItem } from './journal-builder';
import { PostingStore, type ChunkWrite, type StagedLine } from './posting-store';
import type { ExportMark } from './targets/chunk-file-sync';
import { markExported } from './targets/pending-chunks';
import { openTarget } from './targets/open-target';

/**
 * The posting store a job worker uses: it reads on the job's read-only connection and sends each write (a batch
 * opened, a chunk of lines and postings, a batch closed) to the one writer as its own short transaction, so the
 * batch runner's guarantee holds as before: a chunk commits whole or not at all.
 */
export class JobPostingStore extends PostingStore {
  constructor(db: Database.Database, private readonly write: JobWrite, private readonly writeLater: JobWriteLater) {
    super(db);
  }

  override replaceControlAccounts(c: ControlAccounts): void {
    this.write('posting.replaceControlAccounts', [c]);
  }

  /** A posting batch's start check runs here, on the job's connection, up to the head it sees; the writer checks only what came after. */
  override createBatch(b: Parameters<PostingStore['createBatch']>[0]): number {
    const queueCheckedThrough = b.reversalOf === undefined ? this.checkQueuedUpToHead() : undefined;
    return this.write('posting.createBatch', [{ ...b, queueCheckedThrough }]) as number;
  }

  /**
   * The chunk is worked out here (chunkWrite: totals, seqs, a file target's pack) and sent to the writer, which only
   * runs its statements; it is answered later, so the batch runner reads and builds the next chunk meanwhile (as on
   * PostgreSQL) and sizes the next by how long this one held the writer.
   */
  override commitChunk(batchId: number, chunkNo: number, items: readonly PostingItem[], lines: readonly StagedLine[], entries: number, nextEntry: number): Promise<ChunkCommitted> {
    return this.writeLater('posting.commitChunk', [batchId, chunkNo, this.chunkWrite(batchId, items, lines), entries, nextEntry]).then((d) => ({ writerMs: d.heldMs }));
  }

  override finishBatch(id: number, status: BatchStatus, now: number, lastEntryAfter: number, report: string): void {
    this.write('posting.finishBatch', [id, status, now, lastEntryAfter, report]);
  }
}

export interface PostingJobArgs {
  target: string;
  to: number;
  summarised: boolean;
  userId: number;
  /** Movements per chunk, every chunk (default: sized to POSTING_WRITE_BUDGET_MS). */
  chunkSize?: number;
}

/**
 * A chunk's commit on the writer, in ms, that a posting job aims for: a clerk's commit that arrives during one waits at
 * most about this long, plus the group's sync it shares (a 20,000-movement chunk held the writer for 0.3-0.8 s on the
 * 2-core machine under load). Measured by the writer as the transaction's run alone (WriteReply.heldMs).
 * 1.5 against 3, measured in turn (jobs bench, posting row, 1,000,000 movements, two runs each): the slowest 1% of
 * clerk commits waited 0.1-0.3 ms behind a job write instead of 1.3-2.1 ms, commit p50 2.2 ms instead of 3.1-4.5, p99
 * 9.4-10.2 ms instead of 11.0-11.6 (the rest is the disk's syncs), and the job took as long (16.7-17.4 s vs 15.7-18.9 s).
 */
export const POSTING_WRITE_BUDGET_MS = 1.5;

/** A finance posting run in a job worker: reads, journal building and the target's file writing happen here. */
export function postingJob(job: JobScope, args: PostingJobArgs): Promise<PostingReport> {
  const store = new JobPostingStore(job.db, job.write, job.writeLater);
  const target = openTarget(store, args.target);
  const writeBudgetMs = args.chunkSize === undefined ? POSTING_WRITE_BUDGET_MS : undefined;
  return runPosting(store, target, { to: args.to, summarised: args.summarised, userId: args.userId, chunkSize: args.chunkSize, writeBudgetMs, signal: job.signal, onProgress: job.progress });
}

const writerStores = new WeakMap<Database.Database, PostingStore>();
/** The writer's posting store (its statements prepared once per connection). */
function writerStore(db: Database.Database): PostingStore {
  let s = writerStores.get(db);
  if (!s) writerStores.set(db, (s = new PostingStore(db)));
  return s;
}

/** The writer's side of a posting job's writes: each is one call of the posting store on the writer's connection. */
export const POSTING_JOB_WRITES = {
  'posting.replaceControlAccounts': ({ db }: JobWriterSide, c: ControlAccounts) => writerStore(db).replaceControlAccounts(c),
  'posting.createBatch': ({ db }: JobWriterSide, b: Parameters<PostingStore['createBatch']>[0]) => writerStore(db).createBatch(b),
  'posting.commitChunk': ({ db }: JobWriterSide, batchId: number, chunkNo: number, chunk: ChunkWrite, entries: number, nextEntry: number) =>
    writerStore(db).commitChunkWrite(batchId, chunkNo, chunk, entries, nextEntry),
  'posting.finishBatch': ({ db }: JobWriterSide, id: number, status: BatchStatus, now: number, lastEntryAfter: number, report: string) =>
    writerStore(db).finishBatch(id, status, now, lastEntryAfter, report),
  'posting.markExported': ({ db }: JobWriterSide, marks: ExportMark[]) => markExported(db, marks),
};
