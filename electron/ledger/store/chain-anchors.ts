import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/contract/errors';
import { GENESIS_HASH } from './movement-hash';

export interface ChainHead {
  seq: number;
  hash: string;
  /** Σ qty of movements 1..seq (the running sum an anchor records); null where not known (anchors older than migration 0029). */
  qtySum?: number | null;
}

/** Where an anchor came from: an in-database record, or a copy outside the database (a backup file). */
export interface ChainAnchor extends ChainHead {
  source: string;
  /** Recorded after a verify pass reached it (a checked backup, the full check): an incremental verify may start here. */
  verified?: boolean;
}

export type AnchorSource = 'backup' | 'posting' | 'check';

/** Sources whose anchor is written only after a verify pass up to it. */
const VERIFIED_SOURCES = "('backup', 'check')";

const hasQtySum = (db: Database.Database) => db.prepare("SELECT 1 FROM pragma_table_info('chain_anchors') WHERE name = 'qty_sum'").get() !== undefined;

/**
 * The newest movement's seq and hash (seq 0 and the genesis hash on an empty ledger), with the running sum of
 * quantities: the newest anchor's sum plus the movements after it (a range read of the new movements only).
 */
export function chainHead(db: Database.Database): ChainHead & { qtySum: number } {
  const head = headOf(db);
  const from = anchoredSum(db, head.seq);
  return { ...head, qtySum: (from?.qtySum ?? 0) + sumAfter(db, from?.seq ?? 0, head.seq) };
}

/**
 * The chain head with its running sum only where an anchor below it carries one (a range read of the movements after
 * that anchor); with no such anchor the sum is unknown (null) instead of a read of every movement's quantity. For anchors
 * that only mark where something started (a posting batch, on the writer): a full verify still checks them by seq and
 * hash, and chainHead skips them when it looks for a sum.
 */
export function chainHeadFromAnchor(db: Database.Database): ChainHead {
  const head = headOf(db);
  if (head.seq === 0) return { ...head, qtySum: 0 };
  const from = anchoredSum(db, head.seq);
  return { ...head, qtySum: from ? from.qtySum + sumAfter(db, from.seq, head.seq) : null };
}

/** The newest movement's seq and hash (seq 0 and the genesis hash on an empty ledger). */
export const headOf = (db: Database.Database): ChainHead =>
  (db.prepare('SELECT seq, hash FROM movements ORDER BY seq DESC LIMIT 1').get() as ChainHead | undefined) ?? { seq: 0, hash: GENESIS_HASH };

const anchoredSum = (db: Database.Database, seq: number) =>
  db.prepare('SELECT seq, qty_sum AS qtySum FROM chain_anchors WHERE qty_sum IS NOT NULL AND seq <= ? ORDER BY seq DESC, id DESC LIMIT 1').get(seq) as
    | { seq: number; qtySum: number }
    | undefined;

const sumAfter = (db: Database.Database, after: number, upTo: number) =>
  (db.prepare('SELECT IFNULL(SUM(qty), 0) AS q FROM movements WHERE seq > ? AND seq <= ?').get(after, upTo) as { q: number }).q;

/**
 * Records a chain head (by default the current one) as an anchor; append-only. A head this chain does not hold at
 * that seq (a forged or foreign anchor) is refused and nothing is written.
 */
export function recordAnchor(db: Database.Database, source: AnchorSource, ref: number | null, head: ChainHead = chainHead(db), now = Date.now()): ChainHead {
  const stored = head.seq === 0 ? { hash: GENESIS_HASH } : (db.prepare('SELECT hash FROM movements WHERE seq = ?').get(head.seq) as { hash: string } | undefined);
  if (stored?.hash !== head.hash) {
    throw new AppError(
      'CONFLICT',
      `The chain head to anchor (movement ${head.seq}) is not the one this ledger holds, so no anchor was recorded. Run "stockbook verify --full" on the ledger.`,
    );
  }
  db.prepare('INSERT INTO chain_anchors (seq, hash, recorded_at, source, ref, qty_sum) VALUES (?, ?, ?, ?, ?, ?)').run(head.seq, head.hash, now, source, ref, head.qtySum ?? null);
  return head;
}

/** Every anchor the database holds: its own table, and the head each backup and posting batch recorded. */
export function storedAnchors(db: Database.Database): ChainAnchor[] {
  const sum = hasQtySum(db) ? 'qty_sum' : 'NULL';
  const rows = db
    .prepare(
      `SELECT seq, hash, ${sum} AS qtySum, source IN ${VERIFIED_SOURCES} AS verified,
         'chain anchor ' || id || ' (' || source || IFNULL(' ' || ref, '') || ')' AS source FROM chain_anchors WHERE seq > 0
       UNION ALL SELECT chain_seq, chain_hash, NULL, 0, 'backup ' || id FROM backups WHERE chain_seq > 0
       UNION ALL SELECT chain_seq, chain_hash, NULL, 0, 'posting batch ' || id FROM journal_batches WHERE chain_seq > 0`,
    )
    .all() as (Omit<ChainAnchor, 'verified'> & { verified: number })[];
  return rows.map((r) => ({ ...r, verified: r.verified === 1 }));
}
