import type Database from 'better-sqlite3';
import { triggerProblems } from '../ledger/store/append-only-triggers';
import { GENESIS_HASH, hashMovementContent } from '../ledger/store/movement-hash';
import { FastVerifyStore } from './fast-verify-store';

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
  const problems: string[] = [];
  problems.push(...triggerProblems(db));
  const store = new FastVerifyStore(db, START_LEVELS_PER_PAIR);

  const top = store.topSeq();
  const tail = store.movementsAfter(Math.max(0, top - TAIL));
  if (tail.length !== Math.min(TAIL, top)) problems.push(`movements are missing: ${tail.length} rows among the last ${Math.min(TAIL, top)} seqs up to ${top}`);
  let prev: string | null = null;
  if (tail[0]) {
    const before = store.movementHash(tail[0].seq - 1);
    prev = tail[0].seq === 1 ? GENESIS_HASH : (before?.hash ?? null);
    if (tail[0].seq > 1 && !before) problems.push(`movements are missing: no movement ${tail[0].seq - 1} before ${tail[0].seq}`);
  }
  // The latest balance of each product/site in the tail, and whether each balance follows the one before it (in seq order).
  const latest = new Map<string, number>();
  for (const row of tail) {
    if (problems.length > 20) break;
    if (prev !== null && row.prev_hash !== prev) problems.push(`movement ${row.seq}: prev_hash does not match the previous movement`);
    if (hashMovementContent(row.content) !== row.hash) problems.push(`movement ${row.seq}: content does not match its hash (altered)`);
    prev = row.hash;
    const key = `${row.product_id}:${row.site_id}`;
    const before = latest.get(key);
    if (before !== undefined && before + row.qty !== row.balance_after) {
      problems.push(`movement ${row.seq}: balance after ${row.balance_after} is not the previous balance ${before} plus its quantity ${row.qty}`);
    }
    latest.set(key, row.balance_after);
  }

  for (const d of store.newestDocuments()) {
    if (d.n === 0) problems.push(`document ${d.id} has no movements`);
    else if (d.b! - d.a! + 1 !== d.n || d.ln !== d.n) problems.push(`document ${d.id} is not whole (${d.n} movements over seq ${d.a}..${d.b})`);
  }

  // Stock levels of the newest 100 movements' product/sites against their latest balance_after (= the sum of their movements),
  // for those with at most START_LEVELS_PER_PAIR levels: read through the level key's index, never more rows than that.
  const checked = new Set<string>();
  for (const row of tail.slice(-100).reverse()) {
    const key = `${row.product_id}:${row.site_id}`;
    if (checked.has(key)) continue;
    checked.add(key);
    const m = latest.get(key)!;
    const l = store.levels(row.product_id, row.site_id);
    if (l.n <= START_LEVELS_PER_PAIR && m !== l.q) problems.push(`product ${row.product_id} at site ${row.site_id}: stock levels hold ${l.q} but its latest movement leaves ${m}`);
  }
  return problems;
}
