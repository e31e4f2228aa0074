import type Database from 'better-sqlite3';
import { auditChainChecker } from '../../safety/audit-hash';
import type { AuditRow } from '../entities/safety.entities';
import { triggerProblems } from './append-only-triggers';
import { storedAnchors, type ChainAnchor, type ChainHead } from './chain-anchors';
import { levelKey, MAX_PROBLEMS, pairKey, scanChain, startBalanceLine, type ChainScanResult, type ScanFrom } from './chain-scan';
import { scanChainSplit } from './chain-scan-split';
import { GENESIS_HASH, hashMovementContent, movementHashContentSql } from './movement-hash';

export interface VerifyCheck {
  name: string;
  invariant: string;
  ok: boolean;
  problems: string[];
}

/** How much of the chain a run hashed: every movement, or those after a verified anchor (itself re-checked). */
export type VerifyMode = { kind: 'full' } | { kind: 'incremental'; from: ChainAnchor };

export interface VerifyReport {
  ok: boolean;
  /** Movements hashed in this run (all of them in a full pass; those after the anchor in an incremental one). */
  movements: number;
  /** The last movement's seq and stored hash as this run read them, with Σ qty up to it. */
  head: ChainHead & { qtySum: number };
  mode: VerifyMode;
  checks: VerifyCheck[];
}

export interface VerifyOptions {
  /** Anchors kept outside the database (the head each backup copy holds), checked with the stored ones. */
  externalAnchors?: readonly ChainAnchor[];
  /** Movements hashed so far, during the one ordered scan of the chain (every 10,000 rows and at the end). */
  onProgress?: (done: number, total: number) => void;
  /**
   * 'incremental': hash only the movements after the newest verified anchor (a checked backup's or a full check's) that
   * still matches the chain; every other anchor is still held to the chain by seq. Without such an anchor, a full pass.
   */
  mode?: 'full' | 'incremental';
}

/** The migration that added chain anchors and the audit chain: a copy made before it (pre-migration backup) has neither. */
const ANCHORS_MIGRATION = 'ChainAnchors1732400001200';

type Check = (name: string, invariant: string, problems: string[]) => void;

/**
 * Checks every invariant of ARCHITECTURE §5 on an open ledger; read-only. A full pass reads the movements once, in seq
 * order, for all of them; an incremental run reads those after its anchor (and, for the product/sites they touch, their
 * earlier quantities through the product index).
 */
export function verifyLedger(db: Database.Database, options: VerifyOptions = {}): VerifyReport {
  const run = prepareRun(db, options);
  return report(db, run, scanChain(db, run.from, { anchors: run.anchors, transfers: run.transfers, onProgress: options.onProgress }));
}

/**
 * verifyLedger with the chain scan split over `parts` threads (chain-scan-split.ts): the same checks and the same report,
 * in a fraction of the time on a machine with cores to spare (`stockbook verify`, where someone waits for the answer; a
 * backup's check of its copy, at low priority).
 * The caller holds one read transaction on `db` (a connection to the file at `path`) across the await, so the stock
 * levels are read in the snapshot whose movements were scanned.
 */
export async function verifyLedgerSplit(
  db: Database.Database,
  path: string,
  parts: number,
  options: VerifyOptions & { minMovements?: number } = {},
): Promise<VerifyReport> {
  const run = prepareRun(db, options);
  const split = { anchors: run.anchors, transfers: run.transfers, onProgress: options.onProgress, minMovements: options.minMovements };
  return report(db, run, await scanChainSplit(db, path, run.from, split, parts));
}

interface Run {
  anchors: ChainAnchor[];
  anchored: boolean;
  start: ChainAnchor | null;
  from: ScanFrom;
  documentIds: number[];
  transfers: Set<number>;
}

function prepareRun(db: Database.Database, options: VerifyOptions): Run {
  const anchored = db.prepare('SELECT 1 FROM migrations WHERE name = ?').get(ANCHORS_MIGRATION) !== undefined;
  const anchors = [...(anchored ? storedAnchors(db) : []), ...(options.externalAnchors ?? [])];
  const start = options.mode === 'incremental' ? startingAnchor(db, anchors) : null;
  const from: ScanFrom = start ? { seq: start.seq, hash: start.hash, qtySum: start.qtySum! } : { seq: 0, hash: GENESIS_HASH, qtySum: 0 };

  // A full pass reads the documents table once: every id (held to the scan's documents afterwards) and which are transfers.
  const documentIds: number[] = [];
  const transfers = new Set<number>();
  if (start) {
    const ids = db.prepare("SELECT id FROM documents WHERE type = 'transfer' AND id IN (SELECT document_id FROM movements WHERE seq > ?)").pluck().all(from.seq);
    for (const id of ids as number[]) transfers.add(id);
  } else {
    for (const [id, transfer] of db.prepare("SELECT id, type = 'transfer' FROM documents").raw().iterate() as IterableIterator<number[]>) {
      documentIds.push(id!);
      if (transfer === 1) transfers.add(id!);
    }
  }
  return { anchors, anchored, start, from, documentIds, transfers };
}

function report(db: Database.Database, { anchors, anchored, start, from, documentIds }: Run, scan: ChainScanResult): VerifyReport {
  const checks: VerifyCheck[] = [];
  const check: Check = (name, invariant, problems) => checks.push({ name, invariant, ok: problems.length === 0, problems });
  // Anchors at or before the start were not in the scan: each is held to the hash the chain stores at its seq.
  const anchorProblems = start ? [...anchorsBefore(db, anchors, from.seq), ...scan.anchorProblems].slice(0, MAX_PROBLEMS) : scan.anchorProblems;

  check(
    'append-only',
    '1. movements (and the audit log and chain anchors) are never updated or deleted: their triggers exist and refuse every change',
    triggerProblems(db, anchored ? ['movements', 'audit_log', 'chain_anchors'] : ['movements']),
  );
  const pairs = start ? pairProblemsAfter(db, scan, from) : { levels: levelProblems(db, scan), balances: startBalanceProblems(db, scan) };
  check('stock-levels', '2. every stock level equals the sum of its movements', pairs.levels);
  check(
    'balance-after',
    '3. balance_after = previous balance_after + qty, per product and site in seq order',
    [...pairs.balances, ...scan.balance].slice(0, MAX_PROBLEMS),
  );
  check('documents-whole', '4. a document\'s movements are written all at once, lines 1..n, contiguous', documentProblems(db, scan, from.seq, documentIds));
  check(
    'transfers-net-zero',
    '5. a transfer nets to zero for every product',
    scan.badTransfers.size === 0
      ? []
      : lines(
          db,
          `SELECT m.document_id, m.product_id, SUM(m.qty) AS net FROM movements m WHERE m.document_id IN (${[...scan.badTransfers].slice(0, MAX_PROBLEMS).join(',')})
           GROUP BY m.document_id, m.product_id HAVING net != 0`,
          (r) => `transfer document ${r.document_id}: product ${r.product_id} nets to ${r.net}`,
        ),
  );
  check('hash-chain', '6. each movement\'s hash covers its content and the previous hash', scan.chain);
  check('chain-anchors', '9. the chain matches the head every backup, posting batch and full check recorded', anchorProblems);
  check('deterministic-order', '7. order is (occurred_at, seq): every movement has an effective and a recorded time', scan.untimed);
  check('audit-chain', 'the audit log is hash-chained: no entry was changed, removed or inserted', anchored ? auditChainProblems(db) : []);

  return {
    ok: checks.every((c) => c.ok),
    movements: scan.count,
    head: scan.head,
    mode: start ? { kind: 'incremental', from: start } : { kind: 'full' },
    checks,
  };
}

function lines(db: Database.Database, sql: string, fmt: (r: Record<string, unknown>) => string, ...params: unknown[]): string[] {
  return (db.prepare(`${sql} LIMIT ${MAX_PROBLEMS}`).all(...params) as Record<string, unknown>[]).map(fmt);
}

/**
 * The anchor an incremental run starts after: the newest verified one (with its running sum) whose seq still holds its
 * hash and whose movement still hashes to it. One that does not match is never a starting point (the anchor check names it).
 */
function startingAnchor(db: Database.Database, anchors: readonly ChainAnchor[]): ChainAnchor | null {
  const row = db.prepare(`SELECT hash, ${movementHashContentSql()} AS content FROM movements WHERE seq = ?`);
  const candidates = anchors.filter((a) => a.verified && a.qtySum != null).sort((a, b) => b.seq - a.seq);
  for (const a of candidates) {
    const m = row.get(a.seq) as { hash: string; content: string } | undefined;
    if (m && m.hash === a.hash && hashMovementContent(m.content) === m.hash) return a;
  }
  return null;
}

/** Anchors at or before seq `upTo`, each held to the hash stored at its seq (an index read per anchor, none per movement). */
function anchorsBefore(db: Database.Database, anchors: readonly ChainAnchor[], upTo: number): string[] {
  const at = db.prepare('SELECT hash FROM movements WHERE seq = ?').pluck();
  const problems: string[] = [];
  for (const a of anchors) {
    if (a.seq > upTo || problems.length >= MAX_PROBLEMS) continue;
    const hash = at.get(a.seq) as string | undefined;
    if (hash === undefined) problems.push(`${a.source} recorded movement ${a.seq}, but the chain no longer holds it (movements were removed)`);
    else if (hash !== a.hash) problems.push(`movement ${a.seq}: its hash differs from the one ${a.source} recorded (the chain up to it was rewritten)`);
  }
  return problems;
}

const levelLine = (p: unknown, s: unknown, b: unknown, t: unknown, level: unknown, sum: unknown) =>
  `product ${p} site ${s} bin ${b || '-'} batch ${t || '-'}: stock level ${level ?? 'missing'}, movements sum to ${sum}`;

/** Full pass: every stock level against the scan's sums, and every sum the scan made against a level. */
function levelProblems(db: Database.Database, scan: ChainScanResult): string[] {
  const problems: string[] = [];
  const orphans: string[] = [];
  const rows = db.prepare('SELECT product_id, site_id, IFNULL(bin_id, 0), IFNULL(batch_id, 0), qty FROM stock_levels').raw();
  for (const [p, s, b, t, qty] of rows.iterate() as IterableIterator<number[]>) {
    const levels = scan.pairs.get(pairKey(p!, s!))?.levels;
    const key = levelKey(b!, t!);
    const level = levels?.get(key);
    if (level === undefined) {
      if (qty !== 0 && orphans.length < MAX_PROBLEMS) orphans.push(levelLine(p, s, b, t, qty, 0));
      continue;
    }
    levels!.delete(key);
    if (level.sum !== qty && problems.length < MAX_PROBLEMS) problems.push(levelLine(p, s, b, t, qty, level.sum));
  }
  for (const pair of scan.pairs.values()) {
    for (const l of pair.levels.values()) if (problems.length < MAX_PROBLEMS) problems.push(levelLine(pair.product, pair.site, l.bin, l.batch, null, l.sum));
  }
  return [...problems, ...orphans].slice(0, MAX_PROBLEMS);
}

/**
 * Incremental, for every product/site the new movements touched (its movements read through the product index): its
 * stock levels against the sums of all its movements; its first new movement against the balance before the anchor
 * (the sum of its quantities up to there, which the anchor's own verify held to the balance_after chain). And the sum of
 * all stock levels against the anchor's running sum plus the new quantities.
 */
function pairProblemsAfter(db: Database.Database, scan: ChainScanResult, from: ScanFrom): { levels: string[]; balances: string[] } {
  const levels: string[] = [];
  const balances: string[] = [];
  const sums = db.prepare(
    `SELECT IFNULL(bin_id, 0) AS b, IFNULL(batch_id, 0) AS t, SUM(qty) AS q, SUM(CASE WHEN seq <= ? THEN qty ELSE 0 END) AS before
     FROM movements WHERE product_id = ? AND site_id = ? GROUP BY 1, 2`,
  );
  const held = db.prepare('SELECT IFNULL(bin_id, 0) AS b, IFNULL(batch_id, 0) AS t, qty FROM stock_levels WHERE product_id = ? AND site_id = ?');
  for (const pair of scan.pairs.values()) {
    if (levels.length >= MAX_PROBLEMS && balances.length >= MAX_PROBLEMS) break;
    const stock = new Map((held.all(pair.product, pair.site) as { b: number; t: number; qty: number }[]).map((l) => [`${l.b}/${l.t}`, l]));
    let before = 0;
    for (const m of sums.all(from.seq, pair.product, pair.site) as { b: number; t: number; q: number; before: number }[]) {
      before += m.before;
      const key = `${m.b}/${m.t}`;
      const level = stock.get(key);
      if (level?.qty !== m.q && levels.length < MAX_PROBLEMS) levels.push(levelLine(pair.product, pair.site, m.b, m.t, level?.qty ?? null, m.q));
      stock.delete(key);
    }
    for (const l of stock.values()) if (l.qty !== 0 && levels.length < MAX_PROBLEMS) levels.push(levelLine(pair.product, pair.site, l.b, l.t, l.qty, 0));
    if (pair.startBalance !== before && balances.length < MAX_PROBLEMS) balances.push(startBalanceLine(db, pair, before, from.seq));
  }
  const levelSum = (db.prepare('SELECT IFNULL(SUM(qty), 0) AS q FROM stock_levels').get() as { q: number }).q;
  if (levelSum !== scan.head.qtySum) {
    levels.push(
      `all stock levels sum to ${levelSum}, but the movements sum to ${scan.head.qtySum} (${from.qtySum} up to anchored movement ${from.seq}, ${scan.head.qtySum - from.qtySum} after it)`,
    );
  }
  return { levels: levels.slice(0, MAX_PROBLEMS), balances };
}

/** Full pass: each product/site's first movement starts from a balance of 0. */
function startBalanceProblems(db: Database.Database, scan: ChainScanResult): string[] {
  const problems: string[] = [];
  for (const pair of scan.pairs.values()) {
    if (pair.startBalance !== 0 && problems.length < MAX_PROBLEMS) problems.push(startBalanceLine(db, pair, 0, 0));
  }
  return problems;
}

/** Documents the scan found broken, described from all their movements; documents with none; movements without one. */
function documentProblems(db: Database.Database, scan: ChainScanResult, upTo: number, documentIds: readonly number[]): string[] {
  const problems: string[] = [];
  if (scan.badDocuments.size > 0) {
    problems.push(
      ...lines(
        db,
        `SELECT document_id, COUNT(*) AS n, MIN(seq) AS a, MAX(seq) AS b, MIN(line_no) AS l1, MAX(line_no) AS ln FROM movements
         WHERE document_id IN (${[...scan.badDocuments].slice(0, MAX_PROBLEMS).join(',')}) GROUP BY document_id ORDER BY document_id`,
        (r) => `document ${r.document_id}: ${r.n} movements spread over seq ${r.a}..${r.b}, lines ${r.l1}..${r.ln}`,
      ),
    );
  }
  if (upTo === 0) {
    // Full pass: every document (read before the scan) against the documents the scan saw.
    let matched = 0;
    for (const id of documentIds) {
      if (scan.documents.has(id)) matched++;
      else if (problems.length < MAX_PROBLEMS) problems.push(`document ${id} has no movements`);
    }
    if (matched === scan.documents.size) return problems;
  } else {
    const lastAnchoredDoc = db.prepare('SELECT document_id FROM movements WHERE seq = ?').pluck().get(upTo) as number | undefined;
    problems.push(
      ...lines(
        db,
        'SELECT d.id FROM documents d WHERE d.id > ? AND NOT EXISTS (SELECT 1 FROM movements m WHERE m.document_id = d.id)',
        (r) => `document ${r.id} has no movements`,
        lastAnchoredDoc ?? 0,
      ),
    );
  }
  problems.push(
    ...lines(
      db,
      'SELECT m.seq, m.document_id FROM movements m LEFT JOIN documents d ON d.id = m.document_id WHERE m.seq > ? AND d.id IS NULL',
      (r) => `movement ${r.seq} points at missing document ${r.document_id}`,
      upTo,
    ),
  );
  return problems.slice(0, MAX_PROBLEMS);
}

/** The audit log's chain, in id order: ids contiguous, each prev_hash the previous hash, each hash its content. */
function auditChainProblems(db: Database.Database): string[] {
  const chain = auditChainChecker(MAX_PROBLEMS);
  for (const row of db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as IterableIterator<AuditRow>) if (!chain.add(row)) break;
  return chain.problems;
}
