import type Database from 'better-sqlite3';
import { triggerProblems } from '../ledger/store/append-only-triggers';
import { GENESIS_HASH, hashMovement, type MovementRow } from '../ledger/store/movement-hash';

const TAIL = 1000;

/**
 * The start-up subset of `verify`: cheap checks that catch a damaged or tampered file without reading
 * every movement — append-only triggers present, seq contiguous, the hash chain of the newest movements,
 * the newest documents whole, and stock levels of the newest product/sites equal to their movements.
 * The whole chain is checked after the window opens (full-check.ts, started by worker-start.ts).
 */
export function fastVerify(db: Database.Database): string[] {
  const problems: string[] = [];
  problems.push(...triggerProblems(db));

  const { n, top } = db.prepare('SELECT COUNT(*) AS n, IFNULL(MAX(seq), 0) AS top FROM movements').get() as { n: number; top: number };
  if (n !== top) problems.push(`movements are missing: ${n} rows but the last seq is ${top}`);

  const tail = (db.prepare('SELECT * FROM movements WHERE seq > ? ORDER BY seq').all(Math.max(0, top - TAIL)) as MovementRow[]);
  let prev: string | null = null;
  if (tail[0]) {
    const before = db.prepare('SELECT hash FROM movements WHERE seq = ?').get(tail[0].seq - 1) as { hash: string } | undefined;
    prev = tail[0].seq === 1 ? GENESIS_HASH : (before?.hash ?? null);
  }
  for (const row of tail) {
    if (problems.length > 20) break;
    if (prev !== null && row.prev_hash !== prev) problems.push(`movement ${row.seq}: prev_hash does not match the previous movement`);
    const { hash, prev_hash: storedPrev, ...content } = row;
    if (hashMovement(storedPrev, content) !== hash) problems.push(`movement ${row.seq}: content does not match its hash (altered)`);
    prev = hash;
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

  const pairs = db.prepare('SELECT DISTINCT product_id AS p, site_id AS s FROM (SELECT product_id, site_id FROM movements ORDER BY seq DESC LIMIT 100)').all() as {
    p: number;
    s: number;
  }[];
  const sumM = db.prepare('SELECT IFNULL(SUM(qty), 0) AS q FROM movements WHERE product_id = ? AND site_id = ?');
  const sumL = db.prepare('SELECT IFNULL(SUM(qty), 0) AS q FROM stock_levels WHERE product_id = ? AND site_id = ?');
  for (const { p, s } of pairs) {
    const m = (sumM.get(p, s) as { q: number }).q;
    const l = (sumL.get(p, s) as { q: number }).q;
    if (m !== l) problems.push(`product ${p} at site ${s}: stock levels hold ${l} but movements sum to ${m}`);
  }
  return problems;
}
