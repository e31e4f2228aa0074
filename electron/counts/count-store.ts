import type Database from 'better-sqlite3';
import type { CountBin, CountLine, CountLineCode, CountMovementSince, CountResolutionChoice, CountSessionInfo, CountStatus } from '../../shared/counts';
import type { EntityRecord, Joined } from '../ledger/entities/columns';
import type { CountLineCodeEntity, CountLineEntity, CountSessionEntity } from '../ledger/entities/count.entities';
import type { MovementEntity } from '../ledger/entities/document.entities';
import type { BinEntity, SiteEntity } from '../ledger/entities/place.entities';
import type { ProductEntity } from '../ledger/entities/product.entities';
import type { BatchEntity, SerialUnitEntity } from '../ledger/entities/stock.entities';
import type { UserEntity } from '../ledger/entities/user.entity';
import { FUTURE_TOLERANCE_MS } from '../ledger/store/document-poster';

type SessionRecord = EntityRecord<typeof CountSessionEntity>;
type LineRecord = EntityRecord<typeof CountLineEntity>;
type ProductRecord = EntityRecord<typeof ProductEntity>;
type SiteRecord = EntityRecord<typeof SiteEntity>;
type BinRecord = EntityRecord<typeof BinEntity>;
type UserRecord = EntityRecord<typeof UserEntity>;
type BatchRecord = EntityRecord<typeof BatchEntity>;
/** A serial unit's record (serial_units). */
export type UnitRecord = EntityRecord<typeof SerialUnitEntity>;

/** A session as the list and the sheet header read it: its own columns, the names it points at, its line counts. */
export type SessionRow = Pick<SessionRecord, 'id' | 'siteId' | 'binId' | 'notes' | 'snapshotSeq' | 'createdAt' | 'completedAt' | 'cancelledAt' | 'documentId'> & {
  status: CountStatus;
  siteName: SiteRecord['name'];
  binCode: BinRecord['code'] | null;
  /** The effective time: occurred_at, or created_at for a count from before it existed. */
  occurredAt: NonNullable<SessionRecord['occurredAt']>;
  /** The users' names (the columns hold their ids). */
  createdBy: UserRecord['displayName'];
  completedBy: Joined<UserRecord>['displayName'];
  cancelledBy: Joined<UserRecord>['displayName'];
  backdated: 0 | 1;
} & Pick<CountSessionInfo, 'lineCount' | 'countedCount'>;

/** A sheet line as read (countedAt still epoch ms). */
export type LineRow = Omit<CountLine, 'countedAt' | 'missingSerials' | 'foundSerials'> & {
  countedAt: LineRecord['countedAt'];
  /** The serials joined by line breaks (string_agg on both stores); null for none. */
  missingSerials: string | null;
  foundSerials: string | null;
};

/** What the rules need of a session: its status and scope, snapshot and dates. */
export type SessionHead = Pick<SessionRecord, 'siteId' | 'binId' | 'snapshotSeq'> & {
  status: CountStatus;
  /** The count's effective time (epoch ms). */
  occurredAt: NonNullable<SessionRecord['occurredAt']>;
  /** The count's date when it is back-dated (see countBackdatedToSql), else null. */
  backdatedTo: SessionRecord['occurredAt'];
};

/** A counted line as completion reads it. */
export type CountedRow = Pick<LineRecord, 'id' | 'productId' | 'binId' | 'batchId' | 'systemQty'> & {
  batchCode: BatchRecord['code'] | null;
  tracking: ProductRecord['tracking'];
  /** Set on every line completion reads (it reads counted lines, after recording what moved). */
  countedQty: NonNullable<LineRecord['countedQty']>;
  movedQty: NonNullable<LineRecord['movedQty']>;
  movedAfterCount: NonNullable<LineRecord['movedAfterQty']>;
  resolution: CountResolutionChoice;
};

/** A serial unit where the system has it, as completion compares it with the scanned codes. */
export type UnitPlace = Pick<UnitRecord, 'siteId' | 'binId' | 'inStock'> & { batchCode: Joined<BatchRecord>['code'] };

export type NewSession = Pick<SessionRecord, 'siteId' | 'binId' | 'notes' | 'snapshotSeq' | 'createdAt' | 'createdBy'> & {
  occurredAt: NonNullable<SessionRecord['occurredAt']>;
};

/**
 * The two SQL dialects the sheet's SQL is written once for: SQLite's null-safe `IS` and two-argument MAX are
 * PostgreSQL's IS NOT DISTINCT FROM and GREATEST. Aliases are quoted, so both return the same camelCase keys.
 */
export interface CountDialect {
  same(a: string, b: string): string;
  greatest: 'MAX' | 'GREATEST';
}

export const SQLITE_COUNT_SQL: CountDialect = { same: (a, b) => `${a} IS ${b}`, greatest: 'MAX' };

/**
 * A count dated before it was created by more than the clock tolerance (documents' few minutes) was taken earlier —
 * on paper, at period end — and is typed in later: SQL for its date (epoch ms) then, NULL for a count taken as it is
 * entered. `session` is the count_sessions alias.
 */
export const countBackdatedToSql = (session: string) =>
  `(CASE WHEN ${session}.occurred_at < ${session}.created_at - ${FUTURE_TOLERANCE_MS} THEN ${session}.occurred_at END)`;

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
export const movedAfterCountSql = (d: CountDialect, line: string, snapshotSeq: string, siteId: string, backdatedTo: string) => `(
  SELECT COALESCE(SUM(m.qty), 0) FROM movements m
  WHERE m.product_id = ${line}.product_id AND m.site_id = ${siteId} AND ${d.same('m.bin_id', `${line}.bin_id`)} AND ${d.same('m.batch_id', `${line}.batch_id`)}
    AND m.seq > ${d.greatest}(${snapshotSeq}, CASE WHEN ${backdatedTo} IS NULL THEN COALESCE(${line}.counted_seq, 0) ELSE 0 END)
    AND m.occurred_at >= COALESCE(${backdatedTo}, ${line}.counted_at))`;

/** The session list and sheet header: one select for both stores. */
export const SESSION_SELECT = `
  SELECT s.id, s.site_id AS "siteId", st.name AS "siteName", s.bin_id AS "binId", b.code AS "binCode", s.notes, s.status,
    s.snapshot_seq AS "snapshotSeq", COALESCE(s.occurred_at, s.created_at) AS "occurredAt", s.created_at AS "createdAt", cu.display_name AS "createdBy",
    s.completed_at AS "completedAt", pu.display_name AS "completedBy", s.cancelled_at AS "cancelledAt", xu.display_name AS "cancelledBy",
    s.document_id AS "documentId", ${countBackdatedToSql('s')} IS NOT NULL AS "backdated",
    (SELECT COUNT(*) FROM count_lines l WHERE l.session_id = s.id) AS "lineCount",
    (SELECT COUNT(*) FROM count_lines l WHERE l.session_id = s.id AND l.counted_qty IS NOT NULL) AS "countedCount"
  FROM count_sessions s
  JOIN sites st ON st.id = s.site_id
  LEFT JOIN bins b ON b.id = s.bin_id
  JOIN users cu ON cu.id = s.created_by
  LEFT JOIN users pu ON pu.id = s.completed_by
  LEFT JOIN users xu ON xu.id = s.cancelled_by`;

/**
 * movedQty while DRAFT: the quant's qty now minus its qty at the snapshot — by invariant 2 exactly the sum of the
 * quant's movements after the snapshot seq. Lines added after creation may have no stock level id yet: look it up by key.
 */
export const lineSelect = (d: CountDialect) => `
  SELECT l.id, l.version, l.product_id AS "productId", p.sku, p.name, p.unit, p.scale, p.tracking,
    l.bin_id AS "binId", b.code AS "binCode", l.batch_id AS "batchId", bt.code AS "batchCode",
    l.system_qty AS "systemQty", l.counted_qty AS "countedQty", l.counted_at AS "countedAt",
    CASE WHEN l.resolution_chosen THEN l.resolution ELSE 'by_time' END AS "resolution", l.adjusted_qty AS "adjustedQty",
    CASE WHEN s.status = 'DRAFT' THEN COALESCE(sl.qty,
      (SELECT q.qty FROM stock_levels q WHERE q.product_id = l.product_id AND q.site_id = s.site_id AND ${d.same('q.bin_id', 'l.bin_id')} AND ${d.same('q.batch_id', 'l.batch_id')}),
      0) - l.system_qty ELSE COALESCE(l.moved_qty, 0) END AS "movedQty",
    CASE WHEN s.status <> 'DRAFT' THEN COALESCE(l.moved_after_qty, 0)
      WHEN l.counted_at IS NULL OR sl.last_seq <= s.snapshot_seq THEN 0
      ELSE ${movedAfterCountSql(d, 'l', 's.snapshot_seq', 's.site_id', countBackdatedToSql('s'))} END AS "movedAfterCount",
    COALESCE(cs.latest_cost, 0) AS "unitCost",
    (SELECT COUNT(*) FROM count_line_codes c WHERE c.line_id = l.id) AS "codeCount",
    (SELECT COUNT(*) FROM count_line_codes c WHERE c.line_id = l.id AND c.flag IS NOT NULL) AS "flaggedCount",
    ${serialSwapSql(d)}
  FROM count_lines l
  JOIN count_sessions s ON s.id = l.session_id
  JOIN products p ON p.id = l.product_id
  LEFT JOIN bins b ON b.id = l.bin_id
  LEFT JOIN batches bt ON bt.id = l.batch_id
  LEFT JOIN stock_levels sl ON sl.id = l.stock_level_id
  LEFT JOIN cost_state cs ON cs.product_id = l.product_id AND cs.site_id = s.site_id`;

/**
 * A counted serial/RFID line's units beside its net variance (a swap nets to 0): missingCount — units the system has at
 * the quant that were not scanned (completion takes them out); foundCount — scanned codes the system does not have in
 * stock at the quant (completion brings them in); foundElsewhere — of those, units in stock at another bin or site
 * (completion takes them out there); missingSerials / foundSerials — which serials (sorted, line-break separated). While
 * DRAFT as completion would find them now; afterwards as the count's document posted them at the quant (foundElsewhere:
 * as flagged when scanned). 0 (NULL) for other lines and blank ones.
 */
const serialSwapSql = (d: CountDialect) => {
  const counted = `p.tracking IN ('SERIAL', 'RFID') AND l.counted_qty IS NOT NULL`;
  const atQuant = (u: string) => `${u}.product_id = l.product_id AND ${u}.site_id = s.site_id AND ${d.same(`${u}.bin_id`, 'l.bin_id')} AND ${d.same(`${u}.batch_id`, 'l.batch_id')} AND ${u}.in_stock`;
  const posted = (sign: '<' | '>') =>
    `(SELECT COUNT(*) FROM movements m WHERE m.document_id = s.document_id AND m.product_id = l.product_id AND m.site_id = s.site_id
       AND ${d.same('m.bin_id', 'l.bin_id')} AND ${d.same('m.batch_id', 'l.batch_id')} AND m.qty ${sign} 0)`;
  const postedSerials = (sign: '<' | '>') =>
    `(SELECT string_agg(su.serial, ${SERIAL_SEPARATOR} ORDER BY su.serial) FROM movements m JOIN serial_units su ON su.id = m.serial_id
       WHERE m.document_id = s.document_id AND m.product_id = l.product_id AND m.site_id = s.site_id
       AND ${d.same('m.bin_id', 'l.bin_id')} AND ${d.same('m.batch_id', 'l.batch_id')} AND m.qty ${sign} 0)`;
  const notHere = `NOT EXISTS (SELECT 1 FROM serial_units u WHERE u.serial = c.code AND ${atQuant('u')})`;
  return `CASE WHEN NOT (${counted}) THEN 0 WHEN s.status <> 'DRAFT' THEN ${posted('<')}
      ELSE (SELECT COUNT(*) FROM serial_units u WHERE ${atQuant('u')} AND NOT EXISTS (SELECT 1 FROM count_line_codes c WHERE c.line_id = l.id AND c.code = u.serial)) END AS "missingCount",
    CASE WHEN NOT (${counted}) THEN 0 WHEN s.status <> 'DRAFT' THEN ${posted('>')}
      ELSE (SELECT COUNT(*) FROM count_line_codes c WHERE c.line_id = l.id AND ${notHere}) END AS "foundCount",
    CASE WHEN NOT (${counted}) THEN 0 WHEN s.status <> 'DRAFT' THEN (SELECT COUNT(*) FROM count_line_codes c WHERE c.line_id = l.id AND c.flag = 'elsewhere')
      ELSE (SELECT COUNT(*) FROM count_line_codes c WHERE c.line_id = l.id AND ${notHere}
        AND EXISTS (SELECT 1 FROM serial_units e WHERE e.product_id = l.product_id AND e.serial = c.code AND e.in_stock)) END AS "foundElsewhere",
    CASE WHEN NOT (${counted}) THEN NULL WHEN s.status <> 'DRAFT' THEN ${postedSerials('<')}
      ELSE (SELECT string_agg(u.serial, ${SERIAL_SEPARATOR} ORDER BY u.serial) FROM serial_units u WHERE ${atQuant('u')}
        AND NOT EXISTS (SELECT 1 FROM count_line_codes c WHERE c.line_id = l.id AND c.code = u.serial)) END AS "missingSerials",
    CASE WHEN NOT (${counted}) THEN NULL WHEN s.status <> 'DRAFT' THEN ${postedSerials('>')}
      ELSE (SELECT string_agg(c.code, ${SERIAL_SEPARATOR} ORDER BY c.code) FROM count_line_codes c WHERE c.line_id = l.id AND ${notHere}) END AS "foundSerials"`;
};

/** Between the serials of missingSerials / foundSerials as read (a line break: never part of a scanned code). */
const SERIAL_SEPARATOR = "'\n'";

/** The codes scanned on a line, in scan order (CodeRow); `line` is the line id's SQL. */
export const codesSql = (line: string) => `SELECT code, flag, scanned_at AS "scannedAt" FROM count_line_codes WHERE line_id = ${line} ORDER BY id`;

/** The active bins of a site (a count is never of a deactivated one) with how many quants a count of each would snapshot (CountBin); `site` is the site id's SQL. */
export const binsSql = (site: string) =>
  `SELECT b.id, b.code, b.name, (SELECT COUNT(*) FROM stock_levels sl WHERE sl.site_id = b.site_id AND sl.bin_id = b.id AND sl.qty <> 0) AS quants
   FROM bins b WHERE b.site_id = ${site} AND b.active ORDER BY b.code`;

/** A line's quant key (its session's site aside); `line` and `session` are the ids' SQL. */
export const lineKeySql = (line: string, session: string) =>
  `SELECT product_id AS "productId", bin_id AS "binId", batch_id AS "batchId" FROM count_lines WHERE id = ${line} AND session_id = ${session}`;

/** The first 1,000 movements at a quant after a seq (MovementSinceRow); `p` holds the parameters' SQL. */
export const movementsSinceSql = (d: CountDialect, p: { after: string; product: string; site: string; bin: string; batch: string }) =>
  `SELECT seq, document_id AS "documentId", type, qty, occurred_at AS "occurredAt", note FROM movements
   WHERE seq > ${p.after} AND product_id = ${p.product} AND site_id = ${p.site} AND ${d.same('bin_id', p.bin)} AND ${d.same('batch_id', p.batch)} ORDER BY seq LIMIT 1000`;

/** A scanned code as read (scannedAt still epoch ms). */
export type CodeRow = Omit<CountLineCode, 'scannedAt'> & Pick<EntityRecord<typeof CountLineCodeEntity>, 'scannedAt'>;
/** A movement since the snapshot as read (occurredAt still epoch ms). */
export type MovementSinceRow = Omit<CountMovementSince, 'occurredAt'> & Pick<EntityRecord<typeof MovementEntity>, 'occurredAt'>;
/** A line's quant key. */
export type LineKey = Pick<LineRecord, 'productId' | 'binId' | 'batchId'>;

/** What the rules need of a session (SessionHead). */
export const HEAD_SELECT = `SELECT status, site_id AS "siteId", bin_id AS "binId", snapshot_seq AS "snapshotSeq", COALESCE(occurred_at, created_at) AS "occurredAt",
  ${countBackdatedToSql('s')} AS "backdatedTo" FROM count_sessions s`;

/**
 * Completing: record what had moved since the snapshot (and of it, what moved after each line was counted), before
 * this count's own movements change the quants. `p` holds the parameters' SQL (site, snapshot seq, backdatedTo, session).
 */
export const recordMovedSql = (d: CountDialect, p: { site: string; snapshot: string; backdatedTo: string; session: string }) =>
  `UPDATE count_lines SET moved_qty = COALESCE(
           (SELECT q.qty FROM stock_levels q WHERE q.id = count_lines.stock_level_id),
           (SELECT q.qty FROM stock_levels q WHERE q.product_id = count_lines.product_id AND q.site_id = ${p.site} AND ${d.same('q.bin_id', 'count_lines.bin_id')} AND ${d.same('q.batch_id', 'count_lines.batch_id')}),
           0) - system_qty,
         moved_after_qty = CASE
           WHEN counted_at IS NULL OR EXISTS (SELECT 1 FROM stock_levels q WHERE q.id = count_lines.stock_level_id AND q.last_seq <= ${p.snapshot}) THEN 0
           ELSE ${movedAfterCountSql(d, 'count_lines', p.snapshot, p.site, p.backdatedTo)} END
         WHERE session_id = ${p.session}`;

/** The counted lines as completion reads them (CountedRow). */
export const COUNTED_SELECT = `SELECT l.id, l.product_id AS "productId", l.bin_id AS "binId", l.batch_id AS "batchId", bt.code AS "batchCode", p.tracking,
           l.system_qty AS "systemQty", l.counted_qty AS "countedQty", l.moved_qty AS "movedQty", l.moved_after_qty AS "movedAfterCount",
           CASE WHEN l.resolution_chosen THEN l.resolution ELSE 'by_time' END AS "resolution"
         FROM count_lines l JOIN products p ON p.id = l.product_id LEFT JOIN batches bt ON bt.id = l.batch_id`;

/**
 * Every SQL statement of stock count sessions, their lines and codes, but scanning's look-ups (count-scan-store.ts):
 * raw prepared statements, a 10,000-line sheet in one query.
 */
export class CountStore {
  private readonly s;

  constructor(readonly db: Database.Database) {
    this.s = {
      // Reads of sessions, lines and codes.
      session: db.prepare(`${SESSION_SELECT} WHERE s.id = ?`),
      sessions: db.prepare(`${SESSION_SELECT} ORDER BY s.id DESC LIMIT 500`),
      sessionsByStatus: db.prepare(`${SESSION_SELECT} WHERE s.status = ? ORDER BY s.id DESC LIMIT 500`),
      lines: db.prepare(`${lineSelect(SQLITE_COUNT_SQL)} WHERE l.session_id = ? ORDER BY p.sku COLLATE NOCASE, b.code, bt.code, l.id`),
      line: db.prepare(`${lineSelect(SQLITE_COUNT_SQL)} WHERE l.id = ? AND l.session_id = ?`),
      codes: db.prepare(codesSql('?')),
      bins: db.prepare(binsSql('?')),
      head: db.prepare(`${HEAD_SELECT} WHERE id = ?`),
      lineKey: db.prepare(lineKeySql('?', '?')),
      movementsSince: db.prepare(movementsSinceSql(SQLITE_COUNT_SQL, { after: '?', product: '?', site: '?', bin: '?', batch: '?' })),

      // Creating and cancelling sessions.
      site: db.prepare('SELECT id, name, kind, active FROM sites WHERE id = ?'),
      bin: db.prepare('SELECT id, site_id AS siteId, code, active FROM bins WHERE id = ?'),
      ledgerHead: db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM movements'),
      insertSession: db.prepare(
        'INSERT INTO count_sessions (site_id, bin_id, notes, status, snapshot_seq, occurred_at, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      // The latest movement in scope dated after a time (uses the occurred_at index; a backdate of days reads days).
      movedAfter: db.prepare(
        `SELECT m.occurred_at AS occurredAt, p.sku FROM movements m JOIN products p ON p.id = m.product_id
         WHERE m.occurred_at > @t AND m.site_id = @site AND (@bin IS NULL OR m.bin_id = @bin) ORDER BY m.occurred_at DESC LIMIT 1`,
      ),
      // The snapshot: every non-zero quant in scope becomes a line, in one statement.
      snapshotSite: db.prepare(
        `INSERT INTO count_lines (session_id, stock_level_id, product_id, bin_id, batch_id, system_qty)
         SELECT ?, id, product_id, bin_id, batch_id, qty FROM stock_levels WHERE site_id = ? AND qty <> 0`,
      ),
      snapshotBin: db.prepare(
        `INSERT INTO count_lines (session_id, stock_level_id, product_id, bin_id, batch_id, system_qty)
         SELECT ?, id, product_id, bin_id, batch_id, qty FROM stock_levels WHERE site_id = ? AND bin_id = ? AND qty <> 0`,
      ),
      cancel: db.prepare("UPDATE count_sessions SET status = 'CANCELLED', cancelled_at = ?, cancelled_by = ? WHERE id = ? AND status = 'DRAFT'"),

      // Editing counted quantities and resolutions.
      tracking: db.prepare(
        `SELECT p.tracking, p.sku, (SELECT COUNT(*) FROM count_line_codes c WHERE c.line_id = l.id) AS codes
         FROM count_lines l JOIN products p ON p.id = l.product_id WHERE l.id = ? AND l.session_id = ?`,
      ),
      // counted_at and counted_seq: when the quantity was entered, so later movements resolve as "moved after counting"
      // (a back-dated count ignores them: its lines were counted on its date, see movedAfterCountSql).
      setCounted: db.prepare(
        `UPDATE count_lines SET counted_qty = @qty, counted_at = @at, counted_by = @by, counted_seq = CASE WHEN @qty IS NULL THEN NULL ELSE ${LEDGER_HEAD_SQL} END,
           version = version + 1, updated_at = @now, updated_by = @user
         WHERE id = @line AND session_id = @session AND (@version IS NULL OR version = @version)`,
      ),
      // by_time is the default (resolution_chosen = 0); keep counted / keep difference are the user's choice.
      setResolutionAll: db.prepare(
        "UPDATE count_lines SET resolution = CASE WHEN @r = 'by_time' THEN 'keep_counted' ELSE @r END, resolution_chosen = @r <> 'by_time' WHERE session_id = @session",
      ),
      setResolution: db.prepare(
        "UPDATE count_lines SET resolution = CASE WHEN @r = 'by_time' THEN 'keep_counted' ELSE @r END, resolution_chosen = @r <> 'by_time' WHERE id = @line AND session_id = @session",
      ),

      // Completing.
      // Record what had moved since the snapshot (and of it, what moved after each line was counted),
      // before this count's own movements change the quants.
      recordMoved: db.prepare(recordMovedSql(SQLITE_COUNT_SQL, { site: '@site', snapshot: '@snapshot', backdatedTo: '@backdatedTo', session: '@session' })),
      counted: db.prepare(`${COUNTED_SELECT} WHERE l.session_id = ? AND l.counted_qty IS NOT NULL ORDER BY l.id`),
      unitsAt: db.prepare('SELECT serial FROM serial_units WHERE product_id = ? AND site_id = ? AND bin_id IS ? AND batch_id IS ? AND in_stock = 1').pluck(),
      lineCodes: db.prepare('SELECT code FROM count_line_codes WHERE line_id = ?').pluck(),
      unit: db.prepare(
        `SELECT u.site_id AS siteId, u.bin_id AS binId, u.in_stock AS inStock, bt.code AS batchCode FROM serial_units u
         LEFT JOIN batches bt ON bt.id = u.batch_id WHERE u.product_id = ? AND u.serial = ?`,
      ),
      setAdjusted: db.prepare('UPDATE count_lines SET adjusted_qty = ? WHERE id = ?'),
      complete: db.prepare(
        "UPDATE count_sessions SET status = 'COMPLETED', completed_at = ?, completed_by = ?, document_id = ? WHERE id = ? AND status = 'DRAFT'",
      ),
    };
  }

  /** Runs `fn` in a transaction, or inside the caller's when one is open (a savepoint). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // Reads of sessions, lines and codes.

  session(id: number): SessionRow | undefined {
    return this.s.session.get(id) as SessionRow | undefined;
  }

  /** The latest 500 sessions, newest first, of one status or all. */
  sessions(status?: CountStatus): SessionRow[] {
    return (status ? this.s.sessionsByStatus.all(status) : this.s.sessions.all()) as SessionRow[];
  }

  lines(sessionId: number): LineRow[] {
    return this.s.lines.all(sessionId) as LineRow[];
  }

  line(sessionId: number, lineId: number): LineRow | undefined {
    return this.s.line.get(lineId, sessionId) as LineRow | undefined;
  }

  codes(lineId: number): CodeRow[] {
    return this.s.codes.all(lineId) as CodeRow[];
  }

  /** The active bins of a site (a count is never of a deactivated one) with how many quants a count of each would snapshot. */
  bins(siteId: number): CountBin[] {
    return this.s.bins.all(siteId) as CountBin[];
  }

  head(sessionId: number): SessionHead | undefined {
    return this.s.head.get(sessionId) as SessionHead | undefined;
  }

  /** A line's quant key (its session's site aside). */
  lineKey(sessionId: number, lineId: number): LineKey | undefined {
    return this.s.lineKey.get(lineId, sessionId) as LineKey | undefined;
  }

  /** The first 1,000 movements at a quant after a seq. */
  movementsSince(afterSeq: number, key: LineKey, siteId: number): MovementSinceRow[] {
    return this.s.movementsSince.all(afterSeq, key.productId, siteId, key.binId, key.batchId) as MovementSinceRow[];
  }

  // Creating and cancelling sessions.

  site(id: number): Pick<SiteRecord, 'id' | 'name' | 'kind' | 'active'> | undefined {
    return this.s.site.get(id) as Pick<SiteRecord, 'id' | 'name' | 'kind' | 'active'> | undefined;
  }

  bin(id: number): Pick<BinRecord, 'id' | 'siteId' | 'code' | 'active'> | undefined {
    return this.s.bin.get(id) as Pick<BinRecord, 'id' | 'siteId' | 'code' | 'active'> | undefined;
  }

  /** The last movement seq (0 on an empty ledger). */
  ledgerHead(): number {
    return (this.s.ledgerHead.get() as { seq: number }).seq;
  }

  /** Inserts a DRAFT session; returns its id. */
  insertSession(n: NewSession): number {
    return Number(this.s.insertSession.run(n.siteId, n.binId, n.notes, 'DRAFT', n.snapshotSeq, n.occurredAt, n.createdAt, n.createdBy).lastInsertRowid);
  }

  /** The latest movement at the site (or one bin of it) dated after `t`, if any. */
  latestMovedAfter(t: number, siteId: number, binId: number | null): { occurredAt: number; sku: string } | undefined {
    return this.s.movedAfter.get({ t, site: siteId, bin: binId }) as { occurredAt: number; sku: string } | undefined;
  }

  /** Snapshots every non-zero quant of the site (or of one bin) as a line of the session. */
  snapshot(sessionId: number, siteId: number, binId: number | null): void {
    if (binId === null) this.s.snapshotSite.run(sessionId, siteId);
    else this.s.snapshotBin.run(sessionId, siteId, binId);
  }

  cancel(sessionId: number, at: number, userId: number): void {
    this.s.cancel.run(at, userId, sessionId);
  }

  // Editing.

  /** A line's product tracking and SKU, and how many codes are scanned on it. */
  lineTracking(sessionId: number, lineId: number): (Pick<ProductRecord, 'tracking' | 'sku'> & { codes: number }) | undefined {
    return this.s.tracking.get(lineId, sessionId) as (Pick<ProductRecord, 'tracking' | 'sku'> & { codes: number }) | undefined;
  }

  /** Sets a line's counted quantity (null: blank) as of the ledger head now; 0 changes when `version` is not the line's. */
  setCounted(p: { session: number; line: number; qty: number | null; at: number | null; by: number | null; now: number; user: number | null; version: number | null }): number {
    return this.s.setCounted.run(p).changes;
  }

  /** Sets the resolution of some lines, or of every line of the session; returns how many changed. */
  setResolution(sessionId: number, resolution: CountResolutionChoice, lineIds?: readonly number[]): number {
    if (!lineIds) return this.s.setResolutionAll.run({ r: resolution, session: sessionId }).changes;
    let updated = 0;
    for (const id of lineIds) updated += this.s.setResolution.run({ r: resolution, line: id, session: sessionId }).changes;
    return updated;
  }

  // Completing.

  /** Records on every line what moved since the snapshot, and of it what moved after the line was counted. */
  recordMoved(sessionId: number, head: SessionHead): void {
    this.s.recordMoved.run({ site: head.siteId, snapshot: head.snapshotSeq, backdatedTo: head.backdatedTo, session: sessionId });
  }

  /** The counted (non-blank) lines, in line order. */
  countedLines(sessionId: number): CountedRow[] {
    return this.s.counted.all(sessionId) as CountedRow[];
  }

  /** The serials in stock at a quant. */
  serialsAt(productId: number, siteId: number, binId: number | null, batchId: number | null): string[] {
    return this.s.unitsAt.all(productId, siteId, binId, batchId) as string[];
  }

  /** The codes scanned on a line. */
  lineCodes(lineId: number): string[] {
    return this.s.lineCodes.all(lineId) as string[];
  }

  /** Where the system has a product's serial unit, if it knows it. */
  unitPlace(productId: number, serial: string): UnitPlace | undefined {
    return this.s.unit.get(productId, serial) as UnitPlace | undefined;
  }

  setAdjusted(lineId: number, qty: number): void {
    this.s.setAdjusted.run(qty, lineId);
  }

  complete(sessionId: number, at: number, userId: number, documentId: number | null): void {
    this.s.complete.run(at, userId, documentId, sessionId);
  }
}
