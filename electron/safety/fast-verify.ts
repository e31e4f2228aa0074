import type Database from 'better-sqlite3';
import { triggerProblems } from '../ledger/store/append-only-triggers';
import { GENESIS_HASH } from '../ledger/store/movement-hash';
import { runNow, value, type Awaitable, type Steps } from '../ledger/steps';
import { FastVerifyStore, type DocumentSpan, type TailRow } from './fast-verify-store';

const TAIL = 1000;
/**
 * Stock levels a start-up check reads per product/site: a lot-tracked product gathers a level per batch over the years
 * (thousands on a large ledger), so a product/site with more is left to the full check after the window opens.
 */
export const START_LEVELS_PER_PAIR = 16;

/**
 * The start-up subset of `verify`: checks that catch a damaged or tampered file at a cost that does not grow with
 * the ledger (nothing here reads every movement, counts them, or sums a product's history) — append-only triggers
 * present, the newest movements' seq contiguous and hash chain intact, their balances following each other, the
 * newest documents whole, and the stock levels of the newest product/sites (those with at most START_LEVELS_PER_PAIR
 * levels) equal to their latest balance. The whole ledger (every movement counted, hashed and summed, plus SQLite's own
 * page check) is checked after the window opens (full-check.ts, started by worker-start.ts), and a problem found there
 * switches to safe mode.
 */
export function fastVerify(db: Database.Database): string[] {
  return [...triggerProblems(db), ...runNow(tailProblems(new FastVerifyStore(db, START_LEVELS_PER_PAIR)))];
}

/** What the start-up check reads (FastVerifyStore on SQLite, PgFastVerifyStore on PostgreSQL, in one snapshot there). */
export interface TailReads {
  /** The highest movement seq (0 for no movements). */
  topSeq(): Awaitable<number>;
  /** The movements after `seq`, in seq order, each with its hash made again from its content (`rehash`). */
  movementsAfter(seq: number): Awaitable<TailRow[]>;
  /** Movement `seq`'s hash, or undefined when there is no such movement. */
  movementHash(seq: number): Awaitable<{ hash: string } | undefined>;
  /** The newest 200 documents with the span of their movements. */
  newestDocuments(): Awaitable<DocumentSpan[]>;
  /** For each product/site: how many stock levels it has (up to START_LEVELS_PER_PAIR + 1) and the sum of their quantities (one round trip on PostgreSQL). */
  levels(pairs: readonly (readonly [productId: number, siteId: number])[]): Awaitable<{ n: number; q: number }[]>;
}

/**
 * The checks of the newest movements, documents and levels, written once for both stores (see fastVerify; PostgreSQL's
 * start-up check runs them too: pg-startup-check.ts).
 */
export function* tailProblems(store: TailReads): Steps<string[]> {
  const problems: string[] = [];
  const top = yield* value(store.topSeq());
  const tail = yield* value(store.movementsAfter(Math.max(0, top - TAIL)));
  if (tail.length !== Math.min(TAIL, top)) problems.push(`movements are missing: ${tail.length} rows among the last ${Math.min(TAIL, top)} seqs up to ${top}`);
  let prev: string | null = null;
  if (tail[0]) {
    const before = tail[0].seq === 1 ? undefined : yield* value(store.movementHash(tail[0].seq - 1));
    prev = tail[0].seq === 1 ? GENESIS_HASH : (before?.hash ?? null);
    if (tail[0].seq > 1 && !before) problems.push(`movements are missing: no movement ${tail[0].seq - 1} before ${tail[0].seq}`);
  }
  // The latest balance of each product/site in the tail, and whether each balance follows the one before it (in seq order).
  const latest = new Map<string, number>();
  for (const row of tail) {
    if (problems.length > 20) break;
    if (prev !== null && row.prev_hash !== prev) problems.push(`movement ${row.seq}: prev_hash does not match the previous movement`);
    if (row.rehash !== row.hash) problems.push(`movement ${row.seq}: content does not match its hash (altered)`);
    prev = row.hash;
    const key = `${row.product_id}:${row.site_id}`;
    const before = latest.get(key);
    if (before !== undefined && before + row.qty !== row.balance_after) {
      problems.push(`movement ${row.seq}: balance after ${row.balance_after} is not the previous balance ${before} plus its quantity ${row.qty}`);
    }
    latest.set(key, row.balance_after);
  }

  for (const d of yield* value(store.newestDocuments())) {
    if (d.n === 0) problems.push(`document ${d.id} has no movements`);
    else if (d.b! - d.a! + 1 !== d.n || d.ln !== d.n) problems.push(`document ${d.id} is not whole (${d.n} movements over seq ${d.a}..${d.b})`);
  }

  // Stock levels of the newest 100 movements' product/sites against their latest balance_after (= the sum of their movements),
  // for those with at most START_LEVELS_PER_PAIR levels: read through the level key's index, never more rows than that.
  const pairs = new Map<string, readonly [number, number]>();
  for (const row of tail.slice(-100).reverse()) {
    const key = `${row.product_id}:${row.site_id}`;
    if (!pairs.has(key)) pairs.set(key, [row.product_id, row.site_id]);
  }
  const levels = pairs.size > 0 ? yield* value(store.levels([...pairs.values()])) : [];
  [...pairs].forEach(([key, [productId, siteId]], i) => {
    const m = latest.get(key)!;
    const l = levels[i]!;
    if (l.n <= START_LEVELS_PER_PAIR && m !== l.q) problems.push(`product ${productId} at site ${siteId}: stock levels hold ${l.q} but its latest movement leaves ${m}`);
  });
  return problems;
}
