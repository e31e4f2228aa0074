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
  /** Records that the chunk is in the target, up to `end` (a file's offset; 1 for a chunk that is a file of its own). */
  markExported(batchId: number, chunkNo: number, end: number): Awaitable<void>;
  /** The company's business time zone (a file's dates are business days). */
  timeZone(): Awaitable<string>;
}

/** One pass of a file target writing pending chunks, oldest first; closed when the pass ends (or fails). */
export interface ChunkWriter {
  /** Writes the chunk durably and answers the mark to record for it; throws leaving the file as a rerun heals it. */
  write(p: PendingChunk, rows: readonly ChunkLine[]): number;
  close(): void;
}

/** A file-like finance target (an hledger journal, a CSV folder): what it writes, whichever store the lines come from. */
export interface ChunkFile {
  readonly key: string;
  openWriter(timeZone: string): ChunkWriter;
}

/**
 * Brings a file target up to date, the one rule on both stores: each pending chunk is written (the chunk just committed
 * from memory, any other read back), then marked exported. A crash between the write and the mark leaves the chunk
 * pending, and the next pass writes it again over itself (the writer makes that a no-op in effect), never twice.
 */
export function* fileSyncSteps(source: ChunkSource, file: ChunkFile, fresh?: FreshChunk): Steps<void> {
  const pending = yield* value(source.pendingChunks(file.key));
  if (pending.length === 0) return;
  const writer = file.openWriter(yield* value(source.timeZone()));
  try {
    for (const p of pending) {
      const rows = fresh && fresh.batchId === p.batch_id && fresh.chunkNo === p.chunk_no ? fresh.lines : yield* value(source.chunkLines(p.batch_id, p.chunk_no));
      yield* value(source.markExported(p.batch_id, p.chunk_no, writer.write(p, rows)));
    }
  } finally {
    writer.close();
  }
}
