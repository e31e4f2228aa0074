import { value, type Awaitable, type Steps } from '../../ledger/steps';
import type { FreshChunk } from './finance-target';
import type { ChunkLine, PendingChunk } from './pending-chunks';

/**
 * Where a file target's committed chunks come from: the journal tables of either store (SQLite's on the one writer or
 * a job's read connection, see pending-chunks.ts; PostgreSQL's PgPostingStore). A file writer never asks which.
 */
export interface ChunkSource {
  /** Committed chunks of the target not yet in it, oldest first. */
  pendingChunks(target: string): Awaitable<PendingChunk[]>;
  /** A chunk's lines in the order they were written, each with its entry's description. */
  chunkLines(batchId: number, chunkNo: number): Awaitable<readonly ChunkLine[]>;
  /** Records, in one commit, that each chunk is in the target up to its `end` (a file's offset; 1 for a chunk that is a file of its own). */
  markExported(marks: readonly ExportMark[]): Awaitable<void>;
  /** The company's business time zone (a file's dates are business days). */
  timeZone(): Awaitable<string>;
  /** The company's base currency code (an hledger journal's commodity). */
  currency(): Awaitable<string>;
}

/** A chunk written durably to its target, and where it ends there (see ChunkSource.markExported). */
export interface ExportMark {
  readonly batchId: number;
  readonly chunkNo: number;
  readonly end: number;
}

/** One pass of a file target writing pending chunks, oldest first; closed when the pass ends (or fails). */
export interface ChunkWriter {
  /**
   * Writes the chunk and answers the marks now durable, to record (its own, and those of chunks held before it); with
   * `more` (further chunks follow in this run) a writer may hold the chunk unsynced and answer none. Throws leaving
   * the file as a rerun heals it.
   */
  write(p: PendingChunk, rows: readonly ChunkLine[], more: boolean): readonly ExportMark[];
  /** Makes every held chunk durable and answers their marks (none held: none). */
  flush(): readonly ExportMark[];
  close(): void;
}

/** A file-like finance target (an hledger journal, a CSV folder): what it writes, whichever store the lines come from. */
export interface ChunkFile {
  readonly key: string;
  /**
   * The pending chunks still to write: all of them, less those this file object appended and holds unmarked (they
   * lead `pending` and are still whole at the file's end; otherwise it forgets them and all are written again).
   */
  unwritten(pending: readonly PendingChunk[]): readonly PendingChunk[];
  /** Whether chunks are held unmarked (a final pass flushes them). */
  readonly holding: boolean;
  /** A pass's writer; its dates are business days in `timeZone`, its amounts in `currency` (where the file names one). */
  openWriter(timeZone: string, currency: string): ChunkWriter;
}

/**
 * Brings a file target up to date, the one rule on both stores: each pending chunk is written (the chunk just committed
 * from memory, any other read back), then marked exported. A crash between the write and the mark leaves the chunk
 * pending, and the next pass writes it again over itself (the writer makes that a no-op in effect), never twice.
 * A pass for the chunk just committed (`fresh`: more follow) lets the writer hold chunks unsynced and unmarked and mark
 * them later as a group, in one commit; every other pass (a run's start and end, after a cancel or a failure) is final
 * and leaves nothing held.
 */
export function* fileSyncSteps(source: ChunkSource, file: ChunkFile, fresh?: FreshChunk): Steps<void> {
  const more = fresh !== undefined;
  const todo = file.unwritten(yield* value(source.pendingChunks(file.key)));
  if (todo.length === 0 && (more || !file.holding)) return;
  const timeZone = yield* value(source.timeZone());
  const writer = file.openWriter(timeZone, yield* value(source.currency()));
  try {
    for (const p of todo) {
      const rows = fresh && fresh.batchId === p.batch_id && fresh.chunkNo === p.chunk_no ? fresh.lines : yield* value(source.chunkLines(p.batch_id, p.chunk_no));
      const marks = writer.write(p, rows, more);
      if (marks.length > 0) yield* value(source.markExported(marks));
    }
    if (!more) {
      const marks = writer.flush();
      if (marks.length > 0) yield* value(source.markExported(marks));
    }
  } finally {
    writer.close();
  }
}
