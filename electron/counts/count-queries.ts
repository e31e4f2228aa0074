import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import { FUTURE_TOLERANCE_MS } from '../ledger/store/document-poster';
import {
  countReference,
  type CountBin,
  type CountLine,
  type CountLineCode,
  type CountMovementSince,
  type CountSessionInfo,
  type CountStatus,
} from '../../shared/counts';

interface SessionRow {
  id: number;
  siteId: number;
  siteName: string;
  binId: number | null;
  binCode: string | null;
  notes: string | null;
  status: CountStatus;
  snapshotSeq: number;
  occurredAt: number;
  createdAt: number;
  createdBy: string;
  completedAt: number | null;
  completedBy: string | null;
  cancelledAt: number | null;
  cancelledBy: string | null;
  documentId: number | null;
  backdated: number;
  lineCount: number;
  countedCount: number;
}

/**
 * A count dated before it was created by more than the clock tolerance (documents' few minutes) was taken earlier —
 * on paper, at period end — and is typed in later: SQL for its date (epoch ms) then, NULL for a count taken as it is
 * entered. `session` is the count_sessions alias.
 */
export const countBackdatedToSql = (session: string) =>
  `(CASE WHEN ${session}.occurred_at < ${session}.created_at - ${FUTURE_TOLERANCE_MS} THEN ${session}.occurred_at END)`;

const SESSION_SELECT = `
  SELECT s.id, s.site_id AS siteId, st.name AS siteName, s.bin_id AS binId, b.code AS binCode, s.notes, s.status,
    s.snapshot_seq AS snapshotSeq, COALESCE(s.occurred_at, s.created_at) AS occurredAt, s.created_at AS createdAt, cu.display_name AS createdBy,
    s.completed_at AS completedAt, pu.display_name AS completedBy, s.cancelled_at AS cancelledAt, xu.display_name AS cancelledBy,
    s.document_id AS documentId, ${countBackdatedToSql('s')} IS NOT NULL AS backdated,
    (SELECT COUNT(*) FROM count_lines l WHERE l.session_id = s.id) AS lineCount,
    (SELECT COUNT(*) FROM count_lines l WHERE l.session_id = s.id AND l.counted_qty IS NOT NULL) AS countedCount
  FROM count_sessions s
  JOIN sites st ON st.id = s.site_id
  LEFT JOIN bins b ON b.id = s.bin_id
  JOIN users cu ON cu.id = s.created_by
  LEFT JOIN users pu ON pu.id = s.completed_by
  LEFT JOIN users xu ON xu.id = s.cancelled_by`;

/** The ledger head: the last movement seq. Stored as count_lines.counted_seq with every counted quantity. */
export const LEDGER_HEAD_SQL = '(SELECT COALESCE(MAX(seq), 0) FROM movements)';

/**
 * The part of a line's moved stock that moved after the line was counted: movements at its quant after the snapshot
 * that were recorded after the counted quantity was entered (seq > counted_seq) and are not dated before it.
 * A back-dated count (`backdatedTo` not NULL) was counted on its date, before the snapshot was taken — and nothing in
 * scope moved between that date and the snapshot (creating it checks that) — so every movement after the snapshot
 * moved after counting unless it is dated before the count's date, however late the quantities are typed in.
 * Everything else that moved since the snapshot was already on (or off) the shelf when the line was counted.
 * `line` is the count_lines alias; snapshotSeq, siteId and backdatedTo (see countBackdatedToSql) are SQL expressions.
 */
export const movedAfterCountSql = (line: string, snapshotSeq: string, siteId: string, backdatedTo: string) => `(
  SELECT COALESCE(SUM(m.qty), 0) FROM movements m
  WHERE m.product_id = ${line}.product_id AND m.site_id = ${siteId} AND m.bin_id IS ${line}.bin_id AND m.batch_id IS ${line}.batch_id
    AND m.seq > MAX(${snapshotSeq}, CASE WHEN ${backdatedTo} IS NULL THEN COALESCE(${line}.counted_seq, 0) ELSE 0 END)
    AND m.occurred_at >= COALESCE(${backdatedTo}, ${line}.counted_at))`;

/**
 * movedQty while DRAFT: the quant's qty now minus its qty at the snapshot — by invariant 2 exactly the sum of the
 * quant's movements after the snapshot seq. Lines added after creation may have no stock level id yet: look it up by key.
 */
const LINE_SELECT = `
  SELECT l.id, l.version, l.product_id AS productId, p.sku, p.name, p.unit, p.scale, p.tracking,
    l.bin_id AS binId, b.code AS binCode, l.batch_id AS batchId, bt.code AS batchCode,
    l.system_qty AS systemQty, l.counted_qty AS countedQty, l.counted_at AS countedAt,
    CASE WHEN l.resolution_chosen THEN l.resolution ELSE 'by_time' END AS resolution, l.adjusted_qty AS adjustedQty,
    CASE WHEN s.status = 'DRAFT' THEN COALESCE(sl.qty,
      (SELECT q.qty FROM stock_levels q WHERE q.product_id = l.product_id AND q.site_id = s.site_id AND q.bin_id IS l.bin_id AND q.batch_id IS l.batch_id),
      0) - l.system_qty ELSE COALESCE(l.moved_qty, 0) END AS movedQty,
    CASE WHEN s.status <> 'DRAFT' THEN COALESCE(l.moved_after_qty, 0)
      WHEN l.counted_at IS NULL OR sl.last_seq <= s.snapshot_seq THEN 0
      ELSE ${movedAfterCountSql('l', 's.snapshot_seq', 's.site_id', countBackdatedToSql('s'))} END AS movedAfterCount,
    COALESCE(cs.latest_cost, 0) AS unitCost,
    (SELECT COUNT(*) FROM count_line_codes c WHERE c.line_id = l.id) AS codeCount,
    (SELECT COUNT(*) FROM count_line_codes c WHERE c.line_id = l.id AND c.flag IS NOT NULL) AS flaggedCount
  FROM count_lines l
  JOIN count_sessions s ON s.id = l.session_id
  JOIN products p ON p.id = l.product_id
  LEFT JOIN bins b ON b.id = l.bin_id
  LEFT JOIN batches bt ON bt.id = l.batch_id
  LEFT JOIN stock_levels sl ON sl.id = l.stock_level_id
  LEFT JOIN cost_state cs ON cs.product_id = l.product_id AND cs.site_id = s.site_id`;

interface SessionHead {
  status: CountStatus;
  siteId: number;
  binId: number | null;
  snapshotSeq: number;
  /** The count's effective time (epoch ms). */
  occurredAt: number;
  /** The count's date when it is back-dated (see countBackdatedToSql), else null. */
  backdatedTo: number | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

type LineRow = Omit<CountLine, 'countedAt'> & { countedAt: number | null };
const toLine = (r: LineRow): CountLine => ({ ...r, countedAt: iso(r.countedAt) });

/** Reads of count sessions, lines and codes (raw prepared statements; a 10,000-line sheet in one query). */
export class CountQueries {
  private readonly s;
  constructor(private readonly db: Database.Database) {
    this.s = {
      session: db.prepare(`${SESSION_SELECT} WHERE s.id = ?`),
      sessions: db.prepare(`${SESSION_SELECT} ORDER BY s.id DESC LIMIT 500`),
      sessionsByStatus: db.prepare(`${SESSION_SELECT} WHERE s.status = ? ORDER BY s.id DESC LIMIT 500`),
      lines: db.prepare(`${LINE_SELECT} WHERE l.session_id = ? ORDER BY p.sku, b.code, bt.code, l.id`),
      line: db.prepare(`${LINE_SELECT} WHERE l.id = ? AND l.session_id = ?`),
      codes: db.prepare('SELECT code, flag, scanned_at AS scannedAt FROM count_line_codes WHERE line_id = ? ORDER BY id'),
      bins: db.prepare(
        `SELECT b.id, b.code, b.name, (SELECT COUNT(*) FROM stock_levels sl WHERE sl.site_id = b.site_id AND sl.bin_id = b.id AND sl.qty <> 0) AS quants
         FROM bins b WHERE b.site_id = ? ORDER BY b.code`,
      ),
      status: db.prepare(
        `SELECT status, site_id AS siteId, bin_id AS binId, snapshot_seq AS snapshotSeq, COALESCE(occurred_at, created_at) AS occurredAt,
           ${countBackdatedToSql('s')} AS backdatedTo FROM count_sessions s WHERE id = ?`,
      ),
      lineKey: db.prepare('SELECT product_id AS productId, bin_id AS binId, batch_id AS batchId FROM count_lines WHERE id = ? AND session_id = ?'),
      movementsSince: db.prepare(
        `SELECT seq, document_id AS documentId, type, qty, occurred_at AS occurredAt, note FROM movements
         WHERE seq > ? AND product_id = ? AND site_id = ? AND bin_id IS ? AND batch_id IS ? ORDER BY seq LIMIT 1000`,
      ),
    };
  }

  session(id: number): CountSessionInfo {
    const row = this.s.session.get(id) as SessionRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `Stock count ${countReference(id)} does not exist. Pick a count from the list.`);
    return toInfo(row);
  }

  sessions(status?: CountStatus): CountSessionInfo[] {
    const rows = (status ? this.s.sessionsByStatus.all(status) : this.s.sessions.all()) as SessionRow[];
    return rows.map(toInfo);
  }

  lines(sessionId: number): CountLine[] {
    return (this.s.lines.all(sessionId) as LineRow[]).map(toLine);
  }

  line(sessionId: number, lineId: number): CountLine {
    const row = this.s.line.get(lineId, sessionId) as LineRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `That line is not a line of stock count ${countReference(sessionId)} (it may have been removed). Reload the count sheet.`);
    return toLine(row);
  }

  codes(sessionId: number, lineId: number): CountLineCode[] {
    this.line(sessionId, lineId);
    return (this.s.codes.all(lineId) as { code: string; flag: CountLineCode['flag']; scannedAt: number }[]).map((c) => ({ ...c, scannedAt: iso(c.scannedAt)! }));
  }

  /** The bins of a site with how many quants a count of each would snapshot. */
  bins(siteId: number): CountBin[] {
    return this.s.bins.all(siteId) as CountBin[];
  }

  /** The movements at a line's quant recorded after the session's snapshot. */
  movementsSince(sessionId: number, lineId: number): CountMovementSince[] {
    const s = this.head(sessionId);
    const key = this.s.lineKey.get(lineId, sessionId) as { productId: number; binId: number | null; batchId: number | null } | undefined;
    if (!key) throw new AppError('NOT_FOUND', `That line is not a line of stock count ${countReference(sessionId)} (it may have been removed). Reload the count sheet.`);
    const rows = this.s.movementsSince.all(s.snapshotSeq, key.productId, s.siteId, key.binId, key.batchId) as (Omit<CountMovementSince, 'occurredAt'> & { occurredAt: number })[];
    return rows.map((r) => ({ ...r, occurredAt: iso(r.occurredAt)! }));
  }

  head(sessionId: number): SessionHead {
    const row = this.s.status.get(sessionId) as SessionHead | undefined;
    if (!row) throw new AppError('NOT_FOUND', `Stock count ${countReference(sessionId)} does not exist. Pick a count from the list.`);
    return row;
  }

  /** Throws unless the session is still open for counting. */
  requireDraft(sessionId: number): SessionHead {
    const h = this.head(sessionId);
    if (h.status !== 'DRAFT') {
      throw new AppError(
        'CONFLICT',
        `Stock count ${countReference(sessionId)} is ${h.status.toLowerCase()} and can no longer be changed. Create a new count to count again.`,
        { status: h.status },
      );
    }
    return h;
  }
}

function toInfo(r: SessionRow): CountSessionInfo {
  return {
    ...r,
    reference: countReference(r.id),
    backdated: r.backdated === 1,
    occurredAt: iso(r.occurredAt)!,
    createdAt: iso(r.createdAt)!,
    completedAt: iso(r.completedAt),
    cancelledAt: iso(r.cancelledAt),
  };
}
