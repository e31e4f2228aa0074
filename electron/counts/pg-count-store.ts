import type pg from 'pg';
import { AppError } from '../../shared/contract/errors';
import type { CountCreateInput, CountSetCountedManyInput, CountSetResolutionInput } from '../../shared/contract/counts.schemas';
import type { CountScanInput } from '../../shared/contract/counts.schemas';
import {
  countReference,
  type CountBin,
  type CountLine,
  type CountLineCode,
  type CountMovementSince,
  type CountScanResult,
  type CountSessionInfo,
  type CountSheet,
  type CountStatus,
} from '../../shared/counts';
import { dateTimeFor } from '../company/company-time';
import type { PgRow } from '../ledger/entities/columns';
import { pgCompanyDateTime, pgCompanySettings } from '../company/pg-time-zone-store';
import { lockChain, pgTransaction, postInTransaction } from '../ledger/pg/store/pg-ledger-store';
import { readSnapshot } from '../ledger/pg/store/pg-read-snapshot';
import { staleRefusal } from '../ledger/store/record-version-store';
import { lineNotFound, toCode, toInfo, toLine, toMovementSince } from './count-queries';
import type { CountRecords } from './count-records';
import type { CountLineRef, ScannedProduct, SerialUnitRef } from './count-scan-store';
import { codeNotOnLine, runScanAsync, scanSteps } from './count-scanning';
import {
  checkCountedEntry,
  checkNothingMovedAfter,
  checkScope,
  COUNT_POST_CONTEXT,
  draftHead,
  existingHead,
  planCompletion,
  requestedCountTime,
  type LineTracking,
} from './count-rules';
import {
  binsSql,
  codesSql,
  COUNTED_SELECT,
  HEAD_SELECT,
  lineKeySql,
  lineSelect,
  movementsSinceSql,
  recordMovedSql,
  SESSION_SELECT,
  type CodeRow,
  type CountDialect,
  type CountedRow,
  type LineKey,
  type LineRow,
  type MovementSinceRow,
  type SessionHead,
  type SessionRow,
  type UnitPlace,
  type UnitRecord,
} from './count-store';

const PG_COUNT_SQL: CountDialect = { same: (a, b) => `${a} IS NOT DISTINCT FROM ${b}`, greatest: 'GREATEST' };
const LINE_SELECT = lineSelect(PG_COUNT_SQL);
const LEDGER_HEAD = '(SELECT COALESCE(MAX(seq), 0) FROM movements)';
const MOVEMENTS_SINCE = movementsSinceSql(PG_COUNT_SQL, { after: '$1', product: '$2', site: '$3', bin: '$4::int', batch: '$5::int' });
const RECORD_MOVED = recordMovedSql(PG_COUNT_SQL, { site: '$1::int', snapshot: '$2::int', backdatedTo: '$3::bigint', session: '$4::int' });

/** A count line with what scanning needs of its product (CountLineRef). */
const SCAN_LINE = `SELECT l.id, l.product_id AS "productId", l.bin_id AS "binId", l.batch_id AS "batchId", p.tracking, p.sku, p.scale
  FROM count_lines l JOIN products p ON p.id = l.product_id`;
/** A serial line's counted quantity is its number of codes (blank when none), as of the ledger head now. */
const RECOUNT = `UPDATE count_lines SET counted_qty = NULLIF((SELECT COUNT(*) FROM count_line_codes c WHERE c.line_id = count_lines.id), 0),
  counted_at = $1, counted_by = $2, counted_seq = ${LEDGER_HEAD} WHERE id = $3`;

type Q = pg.PoolClient | pg.Pool;
const rows = async <R extends pg.QueryResultRow>(c: Q, sql: string, params: unknown[]): Promise<R[]> => (await c.query<R>(sql, params)).rows;
const first = async <R extends pg.QueryResultRow>(c: Q, sql: string, params: unknown[]): Promise<R | undefined> => (await rows<R>(c, sql, params))[0];

/** SQLite reads backdated as 0/1; PostgreSQL's boolean is read the same. */
const sessionRow = (r: Omit<SessionRow, 'backdated'> & { backdated: boolean }): SessionRow => ({ ...r, backdated: r.backdated ? 1 : 0 });

/**
 * Stock counts on PostgreSQL: the same rules as SQLite's services (count-rules.ts) over rows read in one transaction,
 * with every invariant held by the database for several servers:
 * - create: READ COMMITTED, the ledger's chain lock taken SHARED first. Posting holds that lock exclusively until it
 *   commits, so while a snapshot holds it no posting is half-done or starts: the ledger head (snapshot_seq) and the
 *   quants copied are the same instant, every line's system quantity is its quant exactly as of the snapshot seq, and
 *   several snapshots still run side by side. Posting waits for one INSERT…SELECT. (REPEATABLE READ alone, without the
 *   lock, reads head and quants in one database snapshot too, but each line's foreign key to its stock level locks that
 *   row, and a row another server updated since the snapshot fails with a serialization error on every retry while
 *   posting goes on: the two-servers test met exactly that. READ COMMITTED alone reads head and quants in different
 *   statement snapshots, so a posting committed between them would be in system_qty but not before snapshot_seq.)
 * - edits: READ COMMITTED, the session row FOR SHARE (edits run side by side; completion waits for them, and an edit
 *   after completion sees it completed).
 * - complete and cancel: the session row FOR UPDATE, so of two servers completing at once one waits and then finds it
 *   completed (a clear refusal); completion then takes the ledger's chain lock before it records what moved since the
 *   snapshot, so no movement lands between that reading and its own posting, and posts through the ledger core
 *   (postInTransaction) in the same transaction as the session's state change: both commit, or neither.
 * - scans: of two servers scanning the same new code into a count, or adding the same new line, at once, the second's
 *   insert meets the first's unique key (UQ_count_line_codes_session_code, UQ_count_lines_key) and its scan runs again
 *   (pg-errors.ts): it then finds the code or the line the first committed and answers as SQLite's single writer does
 *   (the duplicate scan ignored and reported; one more counted on the line).
 */
export class PgCountStore implements CountRecords {
  constructor(private readonly pool: pg.Pool, private readonly clock: () => number = Date.now) {}

  async create(input: CountCreateInput, userId: number): Promise<number> {
    return pgTransaction(this.pool, async (c) => {
      await lockChain(c, 'shared');
      const site = checkScope(
        await first<{ id: number; name: string; kind: string; active: boolean }>(c, 'SELECT id, name, kind, active FROM sites WHERE id = $1', [input.siteId]),
        input.binId,
        input.binId === undefined ? undefined : await first<{ siteId: number; code: string; active: boolean }>(c, 'SELECT site_id AS "siteId", code, active FROM bins WHERE id = $1', [input.binId]),
      );
      const binId = input.binId ?? null;
      const now = this.clock();
      // Times in the refusals are the company's (its zone and locale), as SQLite's count-sessions.ts shows them.
      const settings = await pgCompanySettings(c);
      const format = (ms: number) => dateTimeFor(ms, settings);
      const t = requestedCountTime(input, now, format);
      if (t !== null) {
        const later = await first<{ occurredAt: number; sku: string }>(
          c,
          `SELECT m.occurred_at AS "occurredAt", p.sku FROM movements m JOIN products p ON p.id = m.product_id
           WHERE m.occurred_at > $1 AND m.site_id = $2 AND ($3::int IS NULL OR m.bin_id = $3) ORDER BY m.occurred_at DESC LIMIT 1`,
          [t, site.id, binId],
        );
        checkNothingMovedAfter(t, later, site.name, binId !== null, format);
      }
      const id = (await first<{ id: number }>(
        c,
        `INSERT INTO count_sessions (site_id, bin_id, notes, status, snapshot_seq, occurred_at, created_at, created_by)
         VALUES ($1, $2, $3, 'DRAFT', ${LEDGER_HEAD}, $4, $5, $6) RETURNING id`,
        [site.id, binId, input.notes || null, t ?? now, now, userId],
      ))!.id;
      await c.query(
        `INSERT INTO count_lines (session_id, stock_level_id, product_id, bin_id, batch_id, system_qty)
         SELECT $1, id, product_id, bin_id, batch_id, qty FROM stock_levels WHERE site_id = $2 AND ($3::int IS NULL OR bin_id = $3) AND qty <> 0 ORDER BY id`,
        [id, site.id, binId],
      );
      return id;
    });
  }

  async session(id: number, c: Q = this.pool): Promise<CountSessionInfo> {
    const row = await first<SessionRow & { backdated: boolean }>(c, `${SESSION_SELECT} WHERE s.id = $1`, [id]);
    if (!row) throw new AppError('NOT_FOUND', `Stock count ${countReference(id)} does not exist. Pick a count from the list.`);
    return toInfo(sessionRow(row));
  }

  /**
   * The session (with its counted-lines tally) and its lines from one snapshot: a line counted meanwhile on another
   * server is in both or in neither.
   */
  get(sessionId: number): Promise<CountSheet> {
    return readSnapshot(this.pool, async (c) => ({ session: await this.session(sessionId, c), lines: await this.lines(sessionId, c) }));
  }

  async list(status?: CountStatus): Promise<CountSessionInfo[]> {
    const list = await rows<SessionRow & { backdated: boolean }>(this.pool, `${SESSION_SELECT} WHERE ($1::text IS NULL OR s.status = $1) ORDER BY s.id DESC LIMIT 500`, [status ?? null]);
    return list.map((r) => toInfo(sessionRow(r)));
  }

  async lines(sessionId: number, c: Q = this.pool): Promise<CountLine[]> {
    return (await rows<LineRow>(c, `${LINE_SELECT} WHERE l.session_id = $1 ORDER BY lower(p.sku COLLATE "C"), b.code, bt.code, l.id`, [sessionId])).map(toLine);
  }

  async line(sessionId: number, lineId: number, c: Q = this.pool): Promise<CountLine> {
    const row = await first<LineRow>(c, `${LINE_SELECT} WHERE l.id = $1 AND l.session_id = $2`, [lineId, sessionId]);
    if (!row) throw lineNotFound(sessionId);
    return toLine(row);
  }

  async lineCodes(sessionId: number, lineId: number): Promise<CountLineCode[]> {
    await this.line(sessionId, lineId);
    return (await rows<CodeRow>(this.pool, codesSql('$1'), [lineId])).map(toCode);
  }

  async bins(siteId: number): Promise<CountBin[]> {
    return rows<CountBin>(this.pool, binsSql('$1'), [siteId]);
  }

  /** The session's snapshot and the line's key never change once written, so the three reads need no one snapshot. */
  async lineMovements(sessionId: number, lineId: number): Promise<CountMovementSince[]> {
    const s = existingHead(sessionId, await first<SessionHead>(this.pool, `${HEAD_SELECT} WHERE id = $1`, [sessionId]));
    const key = await first<LineKey>(this.pool, lineKeySql('$1', '$2'), [lineId, sessionId]);
    if (!key) throw lineNotFound(sessionId);
    return (await rows<MovementSinceRow>(this.pool, MOVEMENTS_SINCE, [s.snapshotSeq, key.productId, s.siteId, key.binId, key.batchId])).map(toMovementSince);
  }

  async setCounted(sessionId: number, lineId: number, countedQty: number | null, userId: number, version?: number): Promise<void> {
    await pgTransaction(this.pool, async (c) => {
      await this.draft(c, sessionId, 'SHARE');
      await this.writeCounted(c, sessionId, lineId, countedQty, userId, version);
    });
  }

  async setCountedMany(input: CountSetCountedManyInput, userId: number): Promise<{ updated: number }> {
    return pgTransaction(this.pool, async (c) => {
      await this.draft(c, input.sessionId, 'SHARE');
      for (const e of input.entries) await this.writeCounted(c, input.sessionId, e.lineId, e.countedQty, userId);
      return { updated: input.entries.length };
    });
  }

  /** One line's counted quantity, as of the ledger head now; refused (writing nothing) when `version` is not the line's. */
  private async writeCounted(c: pg.PoolClient, sessionId: number, lineId: number, countedQty: number | null, userId: number, version?: number): Promise<void> {
    const line = checkCountedEntry(
      sessionId,
      lineId,
      await first<LineTracking>(
        c,
        `SELECT p.tracking, p.sku, (SELECT COUNT(*) FROM count_line_codes c WHERE c.line_id = l.id) AS codes
         FROM count_lines l JOIN products p ON p.id = l.product_id WHERE l.id = $1 AND l.session_id = $2`,
        [lineId, sessionId],
      ),
      countedQty,
    );
    const blank = countedQty === null;
    const now = this.clock();
    const r = await c.query(
      `UPDATE count_lines SET counted_qty = $1, counted_at = $2, counted_by = $3,
         counted_seq = CASE WHEN $1::bigint IS NULL THEN NULL ELSE ${LEDGER_HEAD} END, version = version + 1, updated_at = $4, updated_by = $5
       WHERE id = $6 AND session_id = $7 AND ($8::int IS NULL OR version = $8)`,
      [countedQty, blank ? null : now, blank ? null : userId, now, userId || null, lineId, sessionId, version ?? null],
    );
    if (r.rowCount === 0) {
      const stamp = await first<{ version: number; changedAt: number | null; changedBy: string | null }>(
        c,
        'SELECT t.version, t.updated_at AS "changedAt", u.display_name AS "changedBy" FROM count_lines t LEFT JOIN users u ON u.id = t.updated_by WHERE t.id = $1',
        [lineId],
      );
      const at = stamp?.changedAt ? await pgCompanyDateTime(c, stamp.changedAt) : null;
      throw staleRefusal(stamp ?? null, at, 'count line', lineId, `The count of ${line.sku} on ${countReference(sessionId)}`, await this.line(sessionId, lineId, c));
    }
  }

  async setResolution(input: CountSetResolutionInput): Promise<{ updated: number }> {
    return pgTransaction(this.pool, async (c) => {
      await this.draft(c, input.sessionId, 'SHARE');
      const r = await c.query(
        `UPDATE count_lines SET resolution = CASE WHEN $1 = 'by_time' THEN 'keep_counted' ELSE $1 END, resolution_chosen = $1 <> 'by_time'
         WHERE session_id = $2 AND ($3::int[] IS NULL OR id = ANY($3::int[]))`,
        [input.resolution, input.sessionId, input.lineIds ?? null],
      );
      return { updated: r.rowCount ?? 0 };
    });
  }

  async cancel(sessionId: number, userId: number): Promise<void> {
    await pgTransaction(this.pool, async (c) => {
      await this.draft(c, sessionId, 'UPDATE');
      await c.query("UPDATE count_sessions SET status = 'CANCELLED', cancelled_at = $1, cancelled_by = $2 WHERE id = $3 AND status = 'DRAFT'", [this.clock(), userId, sessionId]);
    });
  }

  async complete(sessionId: number, userId: number): Promise<{ documentId: number | null; movementCount: number }> {
    return pgTransaction(this.pool, async (c) => {
      const session = await this.draft(c, sessionId, 'UPDATE');
      // From here until commit no other server posts: the moved quantities read below stay true when this count posts.
      await lockChain(c);
      await c.query(RECORD_MOVED, [session.siteId, session.snapshotSeq, session.backdatedTo, sessionId]);
      const counted = await rows<CountedRow>(c, `${COUNTED_SELECT} WHERE l.session_id = $1 AND l.counted_qty IS NOT NULL ORDER BY l.id`, [sessionId]);
      const plan = planCompletion(sessionId, session, counted, await this.completionFacts(c, sessionId, session, counted));
      await c.query('UPDATE count_lines l SET adjusted_qty = a.qty FROM unnest($1::int[], $2::bigint[]) AS a(id, qty) WHERE l.id = a.id', [
        plan.adjusted.map((a) => a[0]),
        plan.adjusted.map((a) => a[1]),
      ]);
      const documentId = plan.document ? (await postInTransaction(c, [plan.document], userId, COUNT_POST_CONTEXT, this.clock))[0]!.documentId : null;
      await c.query("UPDATE count_sessions SET status = 'COMPLETED', completed_at = $1, completed_by = $2, document_id = $3 WHERE id = $4 AND status = 'DRAFT'", [
        this.clock(),
        userId,
        documentId,
        sessionId,
      ]);
      return { documentId, movementCount: plan.movementCount };
    });
  }

  async scan(input: CountScanInput, userId: number): Promise<CountScanResult> {
    return pgTransaction(this.pool, (c) => runScanAsync(scanSteps(input, userId, this.clock), this.scanOps(c)));
  }

  async removeCode(sessionId: number, lineId: number, code: string, userId: number): Promise<CountLine> {
    return pgTransaction(this.pool, async (c) => {
      await this.draft(c, sessionId, 'SHARE');
      const removed = await c.query('DELETE FROM count_line_codes WHERE session_id = $1 AND line_id = $2 AND code = $3', [sessionId, lineId, code.trim()]);
      if (removed.rowCount === 0) throw codeNotOnLine(lineId, code);
      await c.query(RECOUNT, [this.clock(), userId, lineId]);
      return this.line(sessionId, lineId, c);
    });
  }

  /**
   * A scan's reads and writes on one transaction's client: the session row FOR SHARE, as edits take it, then the
   * ledger's chain lock shared (in that order, as completion takes them), so no posting commits between a new line's
   * stock level and what moved since the snapshot: the two reads are one instant, as the snapshot's are.
   */
  private scanOps(c: pg.PoolClient) {
    const quant = (from: number, alias = '') => `${alias}bin_id IS NOT DISTINCT FROM $${from}::int AND ${alias}batch_id IS NOT DISTINCT FROM $${from + 1}::int`;
    return {
      head: async (id: number) => {
        const head = await first<SessionHead>(c, `${HEAD_SELECT} WHERE id = $1 FOR SHARE`, [id]);
        await lockChain(c, 'shared');
        return head;
      },
      codeInSession: (id: number, code: string) =>
        first<{ lineId: number; sku: string; binCode: string | null }>(
          c,
          `SELECT c.line_id AS "lineId", p.sku, b.code AS "binCode" FROM count_line_codes c JOIN count_lines l ON l.id = c.line_id
           JOIN products p ON p.id = l.product_id LEFT JOIN bins b ON b.id = l.bin_id WHERE c.session_id = $1 AND c.code = $2`,
          [id, code],
        ),
      lineById: (id: number, lineId: number) => first<CountLineRef>(c, `${SCAN_LINE} WHERE l.id = $1 AND l.session_id = $2`, [lineId, id]),
      unitsBySerial: (serial: string) =>
        rows<SerialUnitRef>(
          c,
          `SELECT u.product_id AS "productId", p.sku, u.site_id AS "siteId", u.bin_id AS "binId", u.batch_id AS "batchId", u.in_stock::int AS "inStock"
           FROM serial_units u JOIN products p ON p.id = u.product_id WHERE u.serial = $1 ORDER BY u.id`,
          [serial],
        ),
      productByCode: (code: string) =>
        first<ScannedProduct>(
          c,
          `SELECT id, sku, tracking, scale, stock_type AS "stockType", stock_keeping AS "stockKeeping" FROM products
           WHERE id = (SELECT product_id FROM product_barcodes WHERE barcode = $1) OR sku = $1 ORDER BY id LIMIT 1`,
          [code],
        ),
      linesOfProduct: (id: number, productId: number) => rows<CountLineRef>(c, `${SCAN_LINE} WHERE l.session_id = $1 AND l.product_id = $2 ORDER BY l.id`, [id, productId]),
      lineByKey: (id: number, productId: number, binId: number | null, batchId: number | null) =>
        first<CountLineRef>(c, `${SCAN_LINE} WHERE l.session_id = $1 AND l.product_id = $2 AND ${quant(3, 'l.')}`, [id, productId, binId, batchId]),
      level: (productId: number, siteId: number, binId: number | null, batchId: number | null) =>
        first<{ id: number; qty: number; lastSeq: number }>(c, `SELECT id, qty, last_seq AS "lastSeq" FROM stock_levels WHERE product_id = $1 AND site_id = $2 AND ${quant(3)}`, [productId, siteId, binId, batchId]),
      movedSince: async (afterSeq: number, productId: number, siteId: number, binId: number | null, batchId: number | null) =>
        (await first<{ q: number }>(c, `SELECT COALESCE(SUM(qty), 0) AS q FROM movements WHERE seq > $1 AND product_id = $2 AND site_id = $3 AND ${quant(4)}`, [afterSeq, productId, siteId, binId, batchId]))!.q,
      insertLine: async (id: number, levelId: number | null, productId: number, binId: number | null, batchId: number | null, systemQty: number) =>
        (await first<{ id: number }>(
          c,
          'INSERT INTO count_lines (session_id, stock_level_id, product_id, bin_id, batch_id, system_qty) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
          [id, levelId, productId, binId, batchId, systemQty],
        ))!.id,
      insertCode: async (id: number, lineId: number, code: string, flag: 'elsewhere' | 'unknown' | null, at: number, user: number) => {
        await c.query('INSERT INTO count_line_codes (session_id, line_id, code, flag, scanned_at, scanned_by) VALUES ($1, $2, $3, $4, $5, $6)', [id, lineId, code, flag, at, user]);
      },
      recount: async (lineId: number, at: number, user: number) => {
        await c.query(RECOUNT, [at, user, lineId]);
      },
      increment: async (lineId: number, qty: number, at: number, user: number) => {
        await c.query(`UPDATE count_lines SET counted_qty = COALESCE(counted_qty, 0) + $1, counted_at = $2, counted_by = $3, counted_seq = ${LEDGER_HEAD} WHERE id = $4`, [qty, at, user, lineId]);
      },
      binCode: async (id: number) => (await first<{ code: string }>(c, 'SELECT code FROM bins WHERE id = $1', [id]))?.code,
      siteName: async (id: number) => (await first<{ name: string }>(c, 'SELECT name FROM sites WHERE id = $1', [id]))!.name,
      line: (id: number, lineId: number) => this.line(id, lineId, c),
    };
  }

  /** The session's head, locked (FOR SHARE: edits; FOR UPDATE: completing, cancelling); refused unless DRAFT. */
  private async draft(c: pg.PoolClient, sessionId: number, lock: 'SHARE' | 'UPDATE'): Promise<SessionHead> {
    return draftHead(sessionId, await first<SessionHead>(c, `${HEAD_SELECT} WHERE id = $1 FOR ${lock}`, [sessionId]));
  }

  /** The serial units and scanned codes completion compares, read in three statements whatever the number of lines. */
  private async completionFacts(c: pg.PoolClient, sessionId: number, session: SessionHead, counted: CountedRow[]) {
    const serialProducts = [...new Set(counted.filter((r) => r.tracking === 'SERIAL' || r.tracking === 'RFID').map((r) => r.productId))];
    const codes = await rows<{ lineId: number; code: string }>(c, 'SELECT line_id AS "lineId", code FROM count_line_codes WHERE session_id = $1 ORDER BY id', [sessionId]);
    const atSite = serialProducts.length === 0 ? [] : await rows<{ productId: number; binId: number | null; batchId: number | null; serial: string }>(
      c,
      `SELECT product_id AS "productId", bin_id AS "binId", batch_id AS "batchId", serial FROM serial_units
       WHERE site_id = $1 AND in_stock AND product_id = ANY($2::int[]) ORDER BY id`,
      [session.siteId, serialProducts],
    );
    const places = codes.length === 0 ? [] : await rows<Omit<UnitPlace, 'inStock'> & Pick<PgRow<UnitRecord>, 'productId' | 'serial' | 'inStock'>>(
      c,
      `SELECT u.product_id AS "productId", u.serial, u.site_id AS "siteId", u.bin_id AS "binId", u.in_stock AS "inStock", bt.code AS "batchCode"
       FROM serial_units u LEFT JOIN batches bt ON bt.id = u.batch_id WHERE u.serial = ANY($1::text[])`,
      [[...new Set(codes.map((x) => x.code))]],
    );
    const codesOf = group(codes, (x) => String(x.lineId), (x) => x.code);
    const unitsAt = group(atSite, (u) => `${u.productId}:${u.binId}:${u.batchId}`, (u) => u.serial);
    const place = new Map(places.map((p) => [`${p.productId}\u0000${p.serial}`, { siteId: p.siteId, binId: p.binId, inStock: p.inStock ? 1 : 0, batchCode: p.batchCode } satisfies UnitPlace]));
    return {
      lineCodes: (lineId: number) => codesOf.get(String(lineId)) ?? [],
      serialsAt: (productId: number, _siteId: number, binId: number | null, batchId: number | null) => unitsAt.get(`${productId}:${binId}:${batchId}`) ?? [],
      unitPlace: (productId: number, serial: string) => place.get(`${productId}\u0000${serial}`),
    };
  }
}

function group<T>(xs: readonly T[], key: (x: T) => string, value: (x: T) => string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const x of xs) {
    const k = key(x);
    const list = out.get(k);
    if (list) list.push(value(x));
    else out.set(k, [value(x)]);
  }
  return out;
}
