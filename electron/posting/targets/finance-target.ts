import type { FinanceAccount } from '../../../shared/posting';
import type { StagedLine } from '../posting-store';
import type { Awaitable } from '../../ledger/steps';
import type { EntityRecord } from '../../ledger/entities/columns';
import type { JournalBatchEntity, JournalChunkEntity } from '../../ledger/entities/posting.entities';

/** The chunk just committed, still in memory: a file target may render it without reading it back. */
export type FreshChunk = Pick<EntityRecord<typeof JournalChunkEntity>, 'batchId' | 'chunkNo'> & {
  lines: readonly StagedLine[];
};

/**
 * Where a new batch begins in its target, recorded with the batch: the offset in a journal file (targetStart), and the
 * id of the journal file or folder itself (targetId), so the batch is continued only there. Null where none applies.
 */
export type BatchStart = Pick<EntityRecord<typeof JournalBatchEntity>, 'targetStart' | 'targetId'>;

/** A target that is no file (the built-in ledger): its batches record neither. */
export const NO_START: BatchStart = { targetStart: null, targetId: null };

/**
 * A finance system Stockbook posts to. The journal lines of every batch are first committed to Stockbook's own
 * tables (with the movements they consume, in one transaction); a target then holds them: the built-in general
 * ledger IS those tables, a file target appends each committed chunk exactly once.
 */
export interface FinanceTarget extends PostingTarget {
  /** 'builtin' or 'hledger:/absolute/path.journal' — stored with each batch. */
  readonly key: string;
  readonly label: string;
  /** The nominal codes that exist in the finance system. */
  chartOfAccounts(): FinanceAccount[];
  /** The finance system's own count of its last entry (seed 004's check: before + postings = after). */
  lastEntryId(): number;
  /**
   * How many of Stockbook's entries the finance system really holds, counted in its own entries (the journal file's
   * transactions, the built-in ledger's journal lines) rather than in a marker: seed 004's check compares it with
   * "last entry id before + postings", so an entry missing from the target makes the check fail.
   */
  entriesHeld(): number;
  /** Brings the target up to date with every committed chunk of its batches (idempotent; safe after a crash). */
  sync(fresh?: FreshChunk): void;
  /** Where a new batch begins in the target (a file's size, its id), recorded with the batch. */
  startMark(): BatchStart;
  /** Finds a batch by id in the finance system itself. */
  findBatch(batchId: number): { found: boolean; entries: number };
}

/**
 * A finance target as the batch runner, the report and the reversal use it on either store (FinanceTarget's methods,
 * answered at once over SQLite, or by promises where the journal tables are in PostgreSQL).
 */
export interface PostingTarget {
  readonly key: string;
  readonly label: string;
  chartOfAccounts(): Awaitable<FinanceAccount[]>;
  lastEntryId(): Awaitable<number>;
  entriesHeld(): Awaitable<number>;
  sync(fresh?: FreshChunk): Awaitable<void>;
  startMark(): Awaitable<BatchStart>;
  findBatch(batchId: number): Awaitable<{ found: boolean; entries: number }>;
}
