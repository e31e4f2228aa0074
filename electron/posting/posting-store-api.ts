import type { BatchStatus, FinanceAccount, PostingRule } from '../../shared/posting';
import type { PostingItem } from './journal-builder';
import type { BatchRow, StagedLine } from './posting-store';
import type { AccountTotalRow, BatchTypeCountRow } from '../ledger/entities/posting.entities';
import type { Awaitable } from '../ledger/steps';
import type { BatchStart } from './targets/finance-target';

/** What a new batch records: its target, cut-off, the target's last entry and start mark (and what it reverses). */
export interface NewBatch extends BatchStart {
  target: string;
  postedTo: number;
  summarised: boolean;
  userId: number;
  now: number;
  lastEntry: number;
  reversalOf?: number;
  /**
   * Movements up to this seq were found posted or queued already, on a job's read connection during its run (SQLite's
   * JobPostingStore; PostgreSQL checks in createBatch's own transaction and leaves it unset).
   */
  queueCheckedThrough?: number;
}

/** The right to post, held for a whole batch (or reversal); released when it ends. */
export interface PostingClaim {
  release(): Awaitable<void>;
}

/** A chunk's commit as a job's writer answers it: how long it held the writer (ms), which a clerk's commit may wait behind. */
export interface ChunkCommitted {
  writerMs: number;
}

/**
 * The posting SQL the batch runner, the report and the reversal ask, on either store: SQLite's PostingStore answers
 * at once (settled values on the one writer), PostgreSQL's PgPostingStore with promises. The rules over it (batch-runner,
 * posting-report, reverse-batch, journal-builder) are one code path (ledger/steps.ts).
 */
export interface PostingStoreApi {
  /** One batch at a time across every server: taken before a batch starts, held until it is finished. */
  claim(): Awaitable<PostingClaim>;
  timeZone(): Awaitable<string>;
  accounts(): Awaitable<FinanceAccount[]>;
  rules(): Awaitable<PostingRule[]>;
  unposted(to: number): Awaitable<{ movements: number; valueCredits: number; first: number | null; last: number | null }>;
  nextMovements(to: number, after: { t: number; s: number }, limit: number): Awaitable<PostingItem[]>;
  valueCredits(to: number): Awaitable<PostingItem[]>;
  /**
   * Opens a batch at the chain head read in its transaction. A posting batch (no reversalOf) is refused there, with
   * nothing written, when a movement after the start check's mark (up to that head) or a value credit is neither posted
   * nor queued (migration 0045); otherwise the mark moves to that head in the same transaction (migration 0046).
   */
  createBatch(b: NewBatch): Awaitable<number>;
  batch(id: number): Awaitable<BatchRow>;
  batchesWithStatus(status: BatchStatus): Awaitable<BatchRow[]>;
  /** Commits a chunk whole; a store that knows how long the commit held the one writer answers that (ChunkCommitted). */
  commitChunk(batchId: number, chunkNo: number, items: readonly PostingItem[], lines: readonly StagedLine[], entries: number, nextEntry: number, inside?: (chunkNo: number) => void): Awaitable<void | ChunkCommitted>;
  finishBatch(id: number, status: BatchStatus, now: number, lastEntryAfter: number, report: string): Awaitable<void>;
  reverseInto(originalId: number, reversalId: number, firstEntry: number): Awaitable<{ entries: number; lines: number }>;
  accountTotals(where: { batchId?: number; target?: string }): Awaitable<AccountTotalRow[]>;
  batchTypeCounts(batchId: number): Awaitable<BatchTypeCountRow[]>;
  valueCreditCount(batchId: number): Awaitable<number>;
}
