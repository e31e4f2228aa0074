import type Database from 'better-sqlite3';
import type { EntityRecord, EntityRow } from '../../ledger/entities/columns';
import { unpackLines, type LinePack } from '../line-pack';
import type { BatchRow, JournalChunkEntity, JournalLineEntity } from '../../ledger/entities/posting.entities';

type ChunkRow = EntityRow<typeof JournalChunkEntity>;

/** A committed chunk of a file-like target not yet in the target, with its batch's anchors. */
export type PendingChunk = Pick<ChunkRow, 'batch_id' | 'chunk_no'> &
  Pick<BatchRow, 'target_start' | 'target_id' | 'last_entry_before'> & {
    /** the ledger's chain head when the batch started (an anchor the journal file keeps) */
    chain_seq: BatchRow['chain_seq'];
    chain_hash: BatchRow['chain_hash'];
    /** the batch's random mark, written beside the chain head (null for batches from before marks) */
    mark: BatchRow['mark'];
    /** the furthest end already exported for this batch */
    done_end: ChunkRow['exported_end'];
  };

/** A journal line as read back for a file target. */
export type StoredChunkLine = Pick<EntityRecord<typeof JournalLineEntity>, 'entryNo' | 'entryDate' | 'account' | 'amount' | 'description'>;

/** A journal line as read back whole (a reversal mirrors it). */
export type StoredLine = StoredChunkLine & Pick<EntityRecord<typeof JournalLineEntity>, 'movementType' | 'movementSeq'>;

/**
 * Gives each line its entry's description: the first line's (an entry's lines are consecutive). Lines written since
 * migration 0039 hold it on the first line only; older lines hold it on every line, which gives the same.
 */
function withEntryDescriptions<L extends { entryNo: number; description: string }>(lines: L[]): L[] {
  for (let i = 1; i < lines.length; i++) if (lines[i]!.entryNo === lines[i - 1]!.entryNo) lines[i]!.description = lines[i - 1]!.description;
  return lines;
}

const stores = new WeakMap<Database.Database, TargetJournalStore>();

/**
 * Distinct entries (batch, entry number) a target's journal holds, read chunk by chunk: each chunk's lines by a range of
 * the lines' primary key. CROSS JOIN fixes that order; left to itself SQLite scanned every journal line and, for each,
 * every chunk of its batch (2.1 s for 92,500 lines, growing with lines × chunks, while this order took 0.14 s), and that
 * read runs at the end of every batch, holding back the WAL's checkpoints while it lasts.
 */
export const ENTRIES_HELD_SQL = `SELECT COUNT(*) AS n FROM (SELECT DISTINCT c.batch_id, l.entry_no
  FROM journal_batches b CROSS JOIN journal_chunk_lines c CROSS JOIN journal_lines l
  WHERE b.target = ? AND c.batch_id = b.id AND l.id BETWEEN c.first_line AND c.last_line)`;

/**
 * The journal tables as a finance target reads them back: the built-in ledger's last entry and entry counts, a file
 * target's chunks still to export and their lines, and the export mark. Prepared once per connection (`of`); no
 * method opens a transaction.
 */
export class TargetJournalStore {
  private readonly s;

  /** The store of this connection (one per connection, so its statements are prepared once). */
  static of(db: Database.Database): TargetJournalStore {
    let store = stores.get(db);
    if (!store) stores.set(db, (store = new TargetJournalStore(db)));
    return store;
  }

  private constructor(db: Database.Database) {
    this.s = {
      lastBatchWithLines: db.prepare('SELECT MAX(id) AS id FROM journal_batches WHERE target = ? AND line_count > 0'),
      // A chunk's lines are the ids first_line..last_line of its journal_chunk_lines row (migration 0039).
      lastEntryOfBatch: db.prepare(
        `SELECT MAX(l.entry_no) AS n FROM journal_chunk_lines c JOIN journal_lines l ON l.id BETWEEN c.first_line AND c.last_line
         WHERE c.batch_id = @b AND c.chunk_no = (SELECT MAX(chunk_no) FROM journal_chunk_lines WHERE batch_id = @b)`,
      ),
      entriesHeld: db.prepare(ENTRIES_HELD_SQL),
      batchEntries: db.prepare(
        `SELECT COUNT(DISTINCT l.entry_no) AS n FROM journal_batches b JOIN journal_chunk_lines c ON c.batch_id = b.id
         JOIN journal_lines l ON l.id BETWEEN c.first_line AND c.last_line WHERE b.id = ? AND b.target = ?`,
      ),
      batchExists: db.prepare('SELECT 1 FROM journal_batches WHERE id = ? AND target = ?'),
      // The target's batches first (CROSS JOIN fixes the order), then each one's unexported chunks and its furthest
      // export by IDX_journal_chunks_export (migration 0053). Left to itself SQLite scanned every chunk of every batch
      // after every chunk committed: seconds in a batch of a few thousand chunks, growing with their square.
      pendingChunks: db.prepare(
        `SELECT c.batch_id, c.chunk_no, b.target_start, b.target_id, b.last_entry_before, b.chain_seq, b.chain_hash, b.mark,
              (SELECT c2.exported_end FROM journal_chunks c2 WHERE c2.batch_id = c.batch_id AND c2.exported_end IS NOT NULL
               ORDER BY c2.exported_end DESC LIMIT 1) AS done_end
       FROM journal_batches b CROSS JOIN journal_chunks c
       WHERE b.target = ? AND c.batch_id = b.id AND c.exported_end IS NULL ORDER BY c.batch_id, c.chunk_no`,
      ),
      chunkLines: db.prepare(
        `SELECT l.entry_no AS entryNo, l.entry_date AS entryDate, l.account, l.amount, l.description FROM journal_chunk_lines c
         JOIN journal_lines l ON l.id BETWEEN c.first_line AND c.last_line WHERE c.batch_id = ? AND c.chunk_no = ? ORDER BY l.id`,
      ),
      batchLines: db.prepare(
        `SELECT l.entry_no AS entryNo, l.entry_date AS entryDate, l.account, l.amount, l.movement_type AS movementType, l.movement_seq AS movementSeq, l.description
         FROM journal_chunk_lines c JOIN journal_lines l ON l.id BETWEEN c.first_line AND c.last_line WHERE c.batch_id = ? ORDER BY l.id`,
      ),
      chunkPack: db.prepare('SELECT numbers, names FROM journal_chunk_packs WHERE batch_id = ? AND chunk_no = ?'),
      batchPacks: db.prepare('SELECT numbers, names FROM journal_chunk_packs WHERE batch_id = ? ORDER BY chunk_no'),
      markExported: db.prepare('UPDATE journal_chunks SET exported_end = ? WHERE batch_id = ? AND chunk_no = ?'),
    };
  }

  /** The newest batch of the target that holds lines, or null. */
  lastBatchWithLines(target: string): BatchRow['id'] | null {
    return (this.s.lastBatchWithLines.get(target) as { id: BatchRow['id'] | null }).id;
  }

  /** The highest entry number in the batch's newest chunk, or null when it has no lines. */
  lastEntryOfBatch(batchId: number): number | null {
    return (this.s.lastEntryOfBatch.get({ b: batchId }) as { n: number | null }).n;
  }

  /** Distinct entries (batch, entry number) the target's journal holds. */
  entriesHeld(target: string): number {
    return (this.s.entriesHeld.get(target) as { n: number }).n;
  }

  /** Distinct entries of one batch of the target. */
  batchEntries(batchId: number, target: string): number {
    return (this.s.batchEntries.get(batchId, target) as { n: number }).n;
  }

  batchExists(batchId: number, target: string): boolean {
    return this.s.batchExists.get(batchId, target) !== undefined;
  }

  /** Committed chunks of the target not yet exported, oldest first. */
  pendingChunks(target: string): PendingChunk[] {
    return this.s.pendingChunks.all(target) as PendingChunk[];
  }

  /** A chunk's lines in the order they were written, each with its entry's description: its pack's, or its rows. */
  chunkLines(batchId: number, chunkNo: number): StoredChunkLine[] {
    const pack = this.s.chunkPack.get(batchId, chunkNo) as LinePack | undefined;
    if (pack !== undefined) return unpackLines(pack);
    return withEntryDescriptions(this.s.chunkLines.all(batchId, chunkNo) as StoredChunkLine[]);
  }

  /**
   * A batch's lines in the order they were written, each with its entry's description: from its chunks' packs (a file
   * target's batch since migration 0041), else from its rows (the built-in ledger's, and older batches').
   */
  batchLines(batchId: number): StoredLine[] {
    const packs = this.s.batchPacks.all(batchId) as LinePack[];
    if (packs.length > 0) return packs.flatMap(unpackLines);
    return withEntryDescriptions(this.s.batchLines.all(batchId) as StoredLine[]);
  }

  markExported(batchId: number, chunkNo: number, end: number): void {
    this.s.markExported.run(end, batchId, chunkNo);
  }
}
