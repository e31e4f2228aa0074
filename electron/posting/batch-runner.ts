import { dayOfNumber, localDayNumber, startOfDay } from '../../shared/business-time';
import { businessDay } from '../../shared/company-format';
import { AppError } from '../../shared/contract/errors';
import { isMovementTypeCode, movementType } from '../../shared/movement-types';
import type { FinanceAccount, PostingReport } from '../../shared/posting';
import { RuleBook, type JournalLine, type PostingItem } from './journal-builder';
import { reportSteps } from './posting-report';
import type { StagedLine } from './posting-store';
import type { ChunkCommitted, PostingStoreApi } from './posting-store-api';
import { runLater, value, type Steps } from '../ledger/steps';
import type { PostingTarget } from './targets/finance-target';
import { plural } from '../../shared/plural';

export interface RunOptions {
  /** epoch ms: post every unposted movement that occurred up to and including this instant */
  to: number;
  summarised: boolean;
  userId: number;
  chunkSize?: number;
  clock?: () => number;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; phase: string }) => void;
  /** The business time zone summaries take their days in (default: the company setting). */
  timeZone?: string;
  /** Test hook, called inside each chunk's transaction. */
  insideChunk?: (chunkNo: number) => void;
  /**
   * Keep each chunk's commit near this many ms (a job's chunk is a transaction on the one writer, which a clerk's commit
   * waits behind): the next chunk's size follows the last commit's time, between MIN_BUDGET_CHUNK and chunkSize. Not for
   * summarised runs, whose chunk is a whole business day.
   */
  writeBudgetMs?: number;
  /** The budget's stopwatch, in ms (default performance.now; tests pass their own). */
  stopwatch?: () => number;
}

export const DEFAULT_CHUNK = 20_000;
/** The smallest chunk a write budget shrinks to (each chunk also costs a look-up, a report row and a target sync). */
export const MIN_BUDGET_CHUNK = 250;

/**
 * The next chunk's size for a write budget: scaled by budget / the last commit's time, at most doubling or halving per
 * chunk (one slow commit on a busy machine does not collapse it), within [min (MIN_BUDGET_CHUNK), max].
 */
export function nextChunkSize(current: number, lastMs: number, budgetMs: number, max: number, min = MIN_BUDGET_CHUNK): number {
  const scaled = Math.round((current * budgetMs) / Math.max(lastMs, 0.01));
  return Math.max(min, Math.min(max, current * 2, Math.max(Math.ceil(current / 2), scaled)));
}
/** A summarised chunk grows to the end of its day, up to this many movements. */
const MAX_SUMMARY_CHUNK = 500_000;

const typeNames = new Map<string, string>();
/** The movement type's display name (remembered: the posting loop asks once per item). */
const typeName = (t: string) => {
  let name = typeNames.get(t);
  if (name === undefined) typeNames.set(t, (name = isMovementTypeCode(t) ? movementType(t).displayName : t));
  return name;
};
const yieldToOthers = () => new Promise<void>((r) => setImmediate(r));

/** Every account the rules use must exist in the finance system; the error names each missing code. */
export function checkCodesExist(target: { label: string; chartOfAccounts(): readonly FinanceAccount[] }, codes: Iterable<string>): void {
  const known = new Set(target.chartOfAccounts().map((a) => a.code));
  const missing = [...new Set(codes)].filter((c) => !known.has(c)).sort();
  if (missing.length > 0) {
    throw new AppError(
      'VALIDATION',
      `${missing.length === 1 ? 'Account' : 'Accounts'} ${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist in ${target.label}. Add ${missing.length === 1 ? 'it' : 'them'} there or choose existing codes, then save again.`,
      { missing },
    );
  }
}

/** Batches left 'running' by a crash or kill: their committed chunks stand; close them with a report. */
function* closeInterrupted(store: PostingStoreApi, target: PostingTarget, now: number): Steps<number[]> {
  const closed: number[] = [];
  for (const b of yield* value(store.batchesWithStatus('running'))) {
    if (b.target !== target.key) continue;
    yield* value(target.sync());
    const after = yield* value(target.entriesHeld());
    const row = { ...b, status: 'interrupted' as const, finished_at: now };
    const report = yield* reportSteps(store, row, after, `Batch ${b.id} was interrupted; its ${b.movement_count} committed movements stand and the rest were posted by a later batch.`);
    yield* value(store.finishBatch(b.id, 'interrupted', now, after, JSON.stringify(report)));
    closed.push(b.id);
  }
  return closed;
}

/**
 * The batch runner: posts every unposted movement with occurred_at ≤ `to`, in chunks; each chunk's journal lines and
 * postings commit together, so a crash at any instant loses nothing and a re-run posts only what is left.
 */
export function runPosting(store: PostingStoreApi, target: PostingTarget, options: RunOptions): Promise<PostingReport> {
  return runLater(postingSteps(store, target, options));
}

/** The runner's one code path on both stores: under the store's claim (one batch at a time across servers). */
function* postingSteps(store: PostingStoreApi, target: PostingTarget, options: RunOptions): Steps<PostingReport> {
  const claim = yield* value(store.claim());
  try {
    return yield* claimedSteps(store, target, options);
  } finally {
    yield* value(claim.release());
  }
}

function* claimedSteps(store: PostingStoreApi, target: PostingTarget, options: RunOptions): Steps<PostingReport> {
  const clock = options.clock ?? Date.now;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  const budget = options.summarised ? undefined : options.writeBudgetMs;
  const stopwatch = options.stopwatch ?? (() => performance.now());
  let size = budget === undefined ? chunkSize : Math.min(chunkSize, MIN_BUDGET_CHUNK);
  const timeZone = options.timeZone ?? (yield* value(store.timeZone()));
  yield* value(target.sync());
  yield* closeInterrupted(store, target, clock());
  const book = new RuleBook(yield* value(store.rules()));
  const chart = yield* value(target.chartOfAccounts());
  checkCodesExist({ label: target.label, chartOfAccounts: () => chart }, book.accountsUsed());

  const pending = yield* value(store.unposted(options.to));
  const total = pending.movements + pending.valueCredits;
  const lastBefore = yield* value(target.lastEntryId());
  const start = yield* value(target.startMark());
  const batchId = yield* value(store.createBatch({
    target: target.key, postedTo: options.to, summarised: options.summarised, userId: options.userId,
    now: clock(), lastEntry: lastBefore, ...start,
  }));
  let nextEntry = lastBefore + 1;
  let chunkNo = 0;
  let done = 0;
  let cursor = { t: Number.MIN_SAFE_INTEGER, s: 0 };
  const progress = (phase: string) => options.onProgress?.({ done, total, phase });
  progress('posting');

  /** A chunk's lines, checked to balance, numbered; then (begin) its commit asked of the store. */
  interface Chunk {
    items: PostingItem[];
    chunkNo: number;
    lines: StagedLine[];
    entries: number;
    firstEntry: number;
    /** The store's answer to the commit: settled already (SQLite), or under way (PostgreSQL). */
    committing?: unknown;
    t0?: number;
  }
  function prepare(items: PostingItem[]): Chunk {
    const firstEntry = nextEntry;
    const { lines, entries } = options.summarised ? summarise(book, items, firstEntry, timeZone) : detail(book, items, firstEntry);
    let sum = 0;
    for (const l of lines) sum += l.amount;
    if (sum !== 0) throw new AppError('INTERNAL', `Chunk ${chunkNo} of batch ${batchId} does not balance (${sum}); nothing of it was posted.`);
    nextEntry += entries;
    return { items, chunkNo: chunkNo++, lines, entries, firstEntry };
  }
  /** Asks the store to commit the chunk, without waiting (finish waits); a failure meanwhile is not unhandled: finish throws it. */
  function begin(c: Chunk): Chunk {
    c.t0 = stopwatch();
    c.committing = store.commitChunk(batchId, c.chunkNo, c.items, c.lines, c.entries, c.firstEntry + c.entries, options.insideChunk);
    if (c.committing instanceof Promise) c.committing.catch(() => undefined);
    return c;
  }
  /** Waits for a started chunk's commit, then writes it to the target. */
  function* finish(c: Chunk): Steps<void> {
    const committed = yield* value(c.committing);
    // The writer's own figure where the store gives one (a job's commit, answered while this thread read on), else
    // the time from asking to the answer.
    const ms = committed && typeof committed === 'object' && 'writerMs' in committed ? (committed as ChunkCommitted).writerMs : stopwatch() - c.t0!;
    if (budget !== undefined) size = nextChunkSize(c.items.length, ms, budget, chunkSize);
    yield* value(target.sync({ batchId, chunkNo: c.chunkNo, lines: c.lines }));
    done += c.items.length;
    progress('posting');
  }

  let status: 'posted' | 'cancelled' | 'failed' = 'posted';
  let failure: unknown = null;
  /**
   * The chunk whose commit is under way while the next is read and its lines are built: with a store whose commit
   * answers later (PostgreSQL; a SQLite posting job, whose writer is the ledger worker), the writer commits one chunk
   * while this thread reads and builds the next; the next is committed only once this one has (chunks commit one at a
   * time, in order, each then written to the target). A store that commits at once (SQLite's PostingStore on its own
   * connection, as `stockbook post` uses it) finishes each chunk before reading the next.
   */
  let underWay: Chunk | null = null;
  /** Finishes the chunk under way, if any; it is no longer under way even if its finish fails after its commit (the catch below then does not wait for it or count it again). */
  function* finishUnderWay(): Steps<void> {
    const c = underWay;
    underWay = null;
    if (c) yield* finish(c);
  }
  try {
    for (;;) {
      if (options.signal?.aborted) {
        status = 'cancelled';
        break;
      }
      let items = yield* value(store.nextMovements(options.to, cursor, size));
      if (items.length === 0) break;
      if (options.summarised && items.length === chunkSize) items = yield* extendToDayEnd(store, options.to, items, chunkSize, timeZone);
      const last = items[items.length - 1]!;
      cursor = { t: last.occurredAt, s: last.key };
      const next = prepare(items);
      yield* finishUnderWay();
      // A cancel that came while the last chunk committed stops before the next (read and built, never begun).
      if (options.signal?.aborted) {
        status = 'cancelled';
        break;
      }
      const started = begin(next);
      if (started.committing instanceof Promise) underWay = started;
      else yield* finish(started);
      yield* value(yieldToOthers());
    }
    yield* finishUnderWay();
    // A cancel that came while the last chunk committed (the read after it found nothing more): no value credits.
    if (status === 'posted' && options.signal?.aborted) status = 'cancelled';
    if (status === 'posted') {
      const credits = yield* value(store.valueCredits(options.to));
      if (credits.length > 0) yield* finish(begin(prepare(credits)));
    }
  } catch (e) {
    status = 'failed';
    failure = e;
    // A chunk still under way (the next one's read or build failed) is waited for: it stands or fails on its own, and
    // the batch's counts and report are read after it (the target's sync below writes it if it committed). Its own
    // failure came first, so it is the one the batch reports.
    if (underWay) {
      try {
        yield* value(underWay.committing);
        done += underWay.items.length;
      } catch (commitFailure) {
        failure = commitFailure;
      }
    }
  }
  yield* value(target.sync());
  const after = yield* value(target.entriesHeld());
  const row = { ...(yield* value(store.batch(batchId))), status, finished_at: clock() };
  const message =
    status === 'posted'
      ? `Posted ${plural(row.movement_count, 'movement')} as ${plural(row.entry_count, 'entry', 'entries')} to ${target.label}.`
      : status === 'cancelled'
        ? `Cancelled after ${plural(row.movement_count, 'movement')}; those stand. Post again to continue.`
        : `Failed after ${plural(row.movement_count, 'movement')} (${failure instanceof Error ? failure.message : String(failure)}); those stand. Fix the cause and post again to continue.`;
  const report = yield* reportSteps(store, row, after, message);
  yield* value(store.finishBatch(batchId, status, row.finished_at, after, JSON.stringify(report)));
  progress(status);
  if (failure) throw failure;
  return report;
}

function* extendToDayEnd(store: PostingStoreApi, to: number, items: PostingItem[], chunkSize: number, timeZone: string): Steps<PostingItem[]> {
  const day = localDayNumber(items[items.length - 1]!.occurredAt, timeZone);
  while (items.length < MAX_SUMMARY_CHUNK) {
    const last = items[items.length - 1]!;
    const more = yield* value(store.nextMovements(to, { t: last.occurredAt, s: last.key }, chunkSize));
    const sameDay = more.filter((m) => localDayNumber(m.occurredAt, timeZone) === day);
    items = items.concat(sameDay);
    if (sameDay.length < more.length || more.length < chunkSize) break;
  }
  return items;
}

/** Detailed: one entry per item that produced lines. */
function detail(book: RuleBook, items: readonly PostingItem[], firstEntry: number): { lines: StagedLine[]; entries: number } {
  const lines: StagedLine[] = [];
  let entry = firstEntry;
  // the item being built, its movement and its description (made at its first line: none for an item without lines)
  let it = items[0]!;
  let movementSeq: number | null = null;
  let description = '';
  // the description's head ("Sale movement "), made again only when the type or kind changes from the item before
  let headType = '';
  let headKind = '';
  let head = '';
  // one staged line per journal line, straight from the rules (no intermediate line object)
  const line = (account: string, amount: number) => {
    if (description === '') {
      if (it.type !== headType || it.kind !== headKind) {
        headType = it.type;
        headKind = it.kind;
        head = `${typeName(it.type)} ${movementSeq !== null ? 'movement' : 'value credit'} `;
      }
      description = `${head}${it.key} ${it.document}`;
    }
    lines.push({ account, amount, entryNo: entry, entryDate: it.occurredAt, movementType: it.type, movementSeq, description });
  };
  for (const item of items) {
    it = item;
    movementSeq = item.kind === 'movement' ? item.key : null;
    description = '';
    if (book.each(item, line) > 0) entry++;
  }
  return { lines, entries: entry - firstEntry };
}

/** Summarised: one entry per business day (in the company's time zone) and movement type, one line per account (net). */
function summarise(book: RuleBook, items: readonly PostingItem[], firstEntry: number, timeZone: string): { lines: StagedLine[]; entries: number } {
  const groups = new Map<string, { day: number; type: string; count: number; accounts: Map<string, number> }>();
  const scratch: JournalLine[] = [];
  for (const it of items) {
    scratch.length = 0;
    if (book.build(it, scratch) === 0) continue;
    const n = localDayNumber(it.occurredAt, timeZone);
    const key = `${n}|${it.type}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { day: startOfDay(dayOfNumber(n), timeZone), type: it.type, count: 0, accounts: new Map() }));
    g.count++;
    for (const l of scratch) g.accounts.set(l.account, (g.accounts.get(l.account) ?? 0) + l.amount);
  }
  const ordered = [...groups.values()].sort((a, b) => a.day - b.day || a.type.localeCompare(b.type));
  const lines: StagedLine[] = [];
  let entry = firstEntry;
  for (const g of ordered) {
    const accounts = [...g.accounts].filter(([, v]) => v !== 0).sort(([a], [b]) => a.localeCompare(b));
    if (accounts.length === 0) continue;
    const description = `${typeName(g.type)} ${businessDay(g.day, timeZone)} summary of ${plural(g.count, 'movement')}`;
    for (const [account, amount] of accounts) {
      lines.push({ account, amount, entryNo: entry, entryDate: g.day, movementType: g.type, movementSeq: null, description });
    }
    entry++;
  }
  return { lines, entries: entry - firstEntry };
}
