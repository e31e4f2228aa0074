import type Database from 'better-sqlite3';
import { triggerProblems } from '../ledger/store/append-only-triggers';
import { GENESIS_HASH, hashMovementContent, movementHashContentSql } from '../ledger/store/movement-hash';

const TAIL = 1000;
/**
 * Stock levels a start-up check reads per product/site: a lot-tracked product gathers a level per batch over the years
 * (thousands on a large ledger), so a product/site with more is left to the full check after the window opens.
 */
export const START_LEVELS_PER_PAIR = 16;

type TailRow = { seq: number; prev_hash: string; hash: string; product_id: number; site_id: number; qty: number; balance_after: number; content: string };

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

  const top = (db.prepare('SELECT IFNULL(MAX(seq), 0) AS top FROM movements').get() as { top: number }).top;
  // The hashed text built by SQLite, one string per row, as the full verify's scan reads it.
  const tail = db
    .prepare(`SELECT seq, prev_hash, hash, product_id, site_id, qty, balance_after, ${movementHashContentSql()} AS content FROM movements WHERE seq > ? ORDER BY seq`)
    .all(Math.max(0, top - TAIL)) as TailRow[];
  if (tail.length !== Math.min(TAIL, top)) problems.push(`movements are missing: ${tail.length} rows among the last ${Math.min(TAIL, top)} seqs up to ${top}`);
  let prev: string | null = null;
  if (tail[0]) {
    const before = db.prepare('SELECT hash FROM movements WHERE seq = ?').get(tail[0].seq - 1) as { hash: string } | undefined;
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

  const docs = db
    .prepare(
      `SELECT d.id, COUNT(m.seq) AS n, MIN(m.seq) AS a, MAX(m.seq) AS b, MAX(m.line_no) AS ln FROM
         (SELECT id FROM documents ORDER BY id DESC LIMIT 200) d LEFT JOIN movements m ON m.document_id = d.id GROUP BY d.id`,
    )
    .all() as { id: number; n: number; a: number | null; b: number | null; ln: number | null }[];
  for (const d of docs) {
    if (d.n === 0) problems.push(`document ${d.id} has no movements`);
    else if (d.b! - d.a! + 1 !== d.n || d.ln !== d.n) problems.push(`document ${d.id} is not whole (${d.n} movements over seq ${d.a}..${d.b})`);
  }

  // Stock levels of the newest 100 movements' product/sites against their latest balance_after (= the sum of their movements),
  // for those with at most START_LEVELS_PER_PAIR levels: read through the level key's index, never more rows than that.
  const sumL = db.prepare(
    `SELECT COUNT(*) AS n, IFNULL(SUM(qty), 0) AS q FROM (SELECT qty FROM stock_levels WHERE product_id = ? AND site_id = ? LIMIT ${START_LEVELS_PER_PAIR + 1})`,
  );
  const checked = new Set<string>();
  for (const row of tail.slice(-100).reverse()) {
    const key = `${row.product_id}:${row.site_id}`;
    if (checked.has(key)) continue;
    checked.add(key);
    const m = latest.get(key)!;
    const l = sumL.get(row.product_id, row.site_id) as { n: number; q: number };
    if (l.n <= START_LEVELS_PER_PAIR && m !== l.q) problems.push(`product ${row.product_id} at site ${row.site_id}: stock levels hold ${l.q} but its latest movement leaves ${m}`);
  }
  return problems;
}
