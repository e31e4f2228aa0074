import type Database from 'better-sqlite3';
import { ON_COSTS } from '../../shared/domain';

/**
 * The movement enquiry's SQL (SQLite): the texts the planner (movement-query.ts) builds its index scans from, the
 * reads of a page's keys and details, counts, the ledger's bounds, and the filter's search and expiry resolution.
 * The planner decides which driver, index and window to read; this module only renders and runs the statements, each
 * prepared once per text (StatementCache) so infinite scroll and export chunks reuse them.
 */

/** Prepared statements by SQL text, least recently used dropped past the limit. */
export class StatementCache {
  private readonly map = new Map<string, Database.Statement>();
  constructor(private readonly db: Database.Database, private readonly limit = 200) {}
  get(sql: string): Database.Statement {
    let s = this.map.get(sql);
    if (s) {
      this.map.delete(sql);
    } else {
      s = this.db.prepare(sql);
      if (this.map.size >= this.limit) this.map.delete(this.map.keys().next().value!);
    }
    this.map.set(sql, s);
    return s;
  }
}

/** The document number a search names (`123`, `#123`, `no. 123`), or 0 (no document has it) when it names none. */
export function documentNumber(search: string): number {
  const m = /^(?:#|no\.?)?\s*(\d{1,15})$/i.exec(search.trim());
  const n = m ? Number(m[1]) : 0;
  return Number.isSafeInteger(n) ? n : 0;
}

/** Named parameters of a statement. */
export type SqlParams = Record<string, number | string>;

/** Integers only ever come from the database or zod-validated input; inlined so SQLite can use them as IN lists. */
export const inList = (ids: readonly number[]) => ids.map((n) => Math.trunc(n)).join(',');

/** A LIKE pattern's wildcards and escape character escaped (the statements say ESCAPE '\'). */
export const escLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export const DETAIL_COLUMNS = `m.seq, m.product_id AS productId, p.sku, p.name AS productName, p.unit, p.scale, m.site_id AS siteId, s.code AS siteCode,
  m.bin_id AS binId, b.code AS binCode, m.type, m.qty, m.balance_after AS balanceAfter, m.batch_id AS batchId, bt.code AS batchCode,
  bt.expiry, su.serial, m.document_id AS documentId, d.type AS documentType, d.reference AS documentReference, m.line_no AS lineNo,
  m.note, m.occurred_at AS occurredAt, m.recorded_at AS recordedAt, m.unit_cost AS unitCost, m.cost_source AS costSource,
  m.user_id AS userId, u.display_name AS userName, m.reversal_of AS reversalOf, ${ON_COSTS.map((k) => `m.oc_${k} AS oc_${k}`).join(', ')}`;

export const DETAIL_JOINS = `JOIN products p ON p.id = m.product_id JOIN sites s ON s.id = m.site_id LEFT JOIN bins b ON b.id = m.bin_id
  LEFT JOIN batches bt ON bt.id = m.batch_id LEFT JOIN serial_units su ON su.id = m.serial_id
  JOIN documents d ON d.id = m.document_id JOIN users u ON u.id = m.user_id`;

/** Detail rows (joined names) for a JSON array of seqs, in its order. */
const DETAILS_SQL = `SELECT ${DETAIL_COLUMNS} FROM json_each(?) j CROSS JOIN movements m ON m.seq = j.value ${DETAIL_JOINS}`;

/** What a page's keys read of each movement. */
export const KEY_COLUMNS = 'm.seq, m.occurred_at AS occurredAt';

/** The ledger's head: seq is dense from 1 and movements are never deleted (invariant 1), so this is also the count. */
const HEAD_SQL = 'SELECT COALESCE(MAX(seq), 0) FROM movements';
const REPORT_STATE_SQL = "SELECT (SELECT COALESCE(MAX(seq), 0) FROM movements) || ':' || (SELECT COALESCE(MAX(id), 0) FROM audit_log)";

/** The indexes the planner's drivers walk: each (x, occurred_at) unless noted. */
export const MOVEMENT_INDEX = {
  /** occurred_at alone: the time walk. */
  occurred: 'IDX_movements_occurred',
  /** document_id, not by time. */
  document: 'IDX_movements_document',
  /** A product's movements of each type in effective order (migration 0031). */
  productType: 'IDX_movements_product_type_occurred',
  product: 'IDX_movements_product_occurred',
  batch: 'IDX_movements_batch_occurred',
  /** A serial unit's movements, only those that have one (migration 0047). */
  serial: 'IDX_movements_serial_occurred',
  user: 'IDX_movements_user_occurred',
  type: 'IDX_movements_type_occurred',
  /** recorded_at, not by effective time. */
  recorded: 'IDX_movements_recorded',
} as const;

/** Predicates and clauses over `movements m` that the filter and the planner's reads are built from. */
export const movementSql = {
  /** `m.<col> = @<param>` */
  equals: (col: string, param: string) => `m.${col} = @${param}`,
  /** `m.<col> >= @<param>` */
  atLeast: (col: string, param: string) => `m.${col} >= @${param}`,
  /** `m.<col> <= @<param>` */
  atMost: (col: string, param: string) => `m.${col} <= @${param}`,
  /** The movement types as an inlined IN list (codes are zod-validated; quotes doubled all the same). */
  typesIn: (types: readonly string[]) => `m.type IN (${types.map((t) => `'${t.replace(/'/g, "''")}'`).join(',')})`,
  productsIn: (ids: readonly number[]) => `m.product_id IN (${inList(ids)})`,
  batchesIn: (ids: readonly number[]) => `m.batch_id IN (${inList(ids)})`,
  serialsIn: (ids: readonly number[]) => `m.serial_id IN (${inList(ids)})`,
  documentsIn: (ids: readonly number[]) => `m.document_id IN (${inList(ids)})`,
  /** The movements of documents whose reference starts with @refPre (a LIKE pattern, escaped), by 0049's index. */
  documentsReferenced: () => `m.document_id IN (SELECT id FROM documents WHERE reference LIKE @refPre ESCAPE '\\')`,
  /** One predicate, or several ORed in parentheses. */
  anyOf: (preds: readonly string[]) => (preds.length === 1 ? preds[0]! : `(${preds.join(' OR ')})`),
  allOf: (preds: readonly string[]) => preds.join(' AND '),
  /** Rows after the cursor (@cOcc, @cSeq) in scan order: older when `desc`. */
  pastCursor: (desc: boolean) => {
    const op = desc ? '<' : '>';
    return `m.occurred_at ${op}= @cOcc AND (m.occurred_at ${op} @cOcc OR m.seq ${op} @cSeq)`;
  },
  /** One occurred_at window: (@wLo, @wHi] going down in time, [@wLo, @wHi) going up. */
  window: (desc: boolean) => (desc ? 'm.occurred_at > @wLo AND m.occurred_at <= @wHi' : 'm.occurred_at >= @wLo AND m.occurred_at < @wHi'),
  /** The deterministic order and the page size (@limit). */
  ordered: (desc: boolean) => {
    const dir = desc ? 'DESC' : 'ASC';
    return `ORDER BY occurred_at ${dir}, seq ${dir} LIMIT @limit`;
  },
};

/** One index scan of a plan: the index it walks and its own predicate (null: none). */
export interface ScanPart {
  index: string;
  pred: string | null;
}

/**
 * The products a search matches (MovementStore.productsMatching): `fts`, those the trigram index finds the search in
 * (@phrase, a quoted FTS5 phrase; a superset of the matches, as it folds case as LIKE does and more), checked.
 */
export const productsMatchingSql = (fts: boolean) =>
  `SELECT id FROM products WHERE ${fts ? 'id IN (SELECT rowid FROM products_fts WHERE products_fts MATCH @phrase) AND ' : ''}(sku LIKE @pre ESCAPE '\\'
     OR name LIKE @pre ESCAPE '\\' OR name LIKE @word ESCAPE '\\')
   UNION SELECT product_id FROM product_barcodes WHERE barcode = @exact`;

/** A batch list's quants, most recently moved first, from the index alone. */
const recentBatchesSql = (batches: readonly number[]) =>
  `SELECT batch_id, last_movement_at FROM stock_levels INDEXED BY IDX_stock_levels_batch_recent
   WHERE batch_id IS NOT NULL AND batch_id IN (${inList(batches)}) ORDER BY last_movement_at DESC`;

/** The params a statement's text names (SQLite refuses named params the text does not use). */
const usedBy = (sql: string, params: SqlParams) => Object.fromEntries(Object.entries(params).filter(([k]) => sql.includes(`@${k}`)));

/** The movement enquiry's statements over one ledger; `cache` shares prepared statements between queries. */
export class MovementStore {
  private headStmt: Database.Statement | null = null;
  private reportStateStmt: Database.Statement | null = null;

  constructor(private readonly db: Database.Database, private readonly cache: StatementCache) {}

  /** The ledger's head seq (0 when empty), which is also its movement count. */
  head(): number {
    return (this.headStmt ??= this.db.prepare(HEAD_SQL).pluck()).get() as number;
  }

  /**
   * What a whole-ledger report (stock balance, stock at a date) shows changes with: the last movement and the last
   * audit entry (every master-data change writes one), as "seq:auditId".
   */
  reportState(): string {
    return (this.reportStateStmt ??= this.db.prepare(REPORT_STATE_SQL).pluck()).get() as string;
  }

  /** Batches with an expiry in [from, to] (either end open when absent). */
  batchesExpiring(from: string | undefined, to: string | undefined): number[] {
    const conds = ['expiry IS NOT NULL'];
    const p: string[] = [];
    if (from) {
      conds.push('expiry >= ?');
      p.push(from);
    }
    if (to) {
      conds.push('expiry <= ?');
      p.push(to);
    }
    return this.cache.get(`SELECT id FROM batches WHERE ${conds.join(' AND ')}`).pluck().all(...p) as number[];
  }

  /**
   * Products the search box matches: SKU prefix, name prefix or name word prefix, exact barcode. From three characters on,
   * only the products the trigram index (0025's products_fts) finds the search in are checked: a scan of the demo's
   * 5,000 products for the name word took 1.5 ms CPU on every search, the index 0.06-0.24 ms.
   */
  productsMatching(search: string): number[] {
    const e = escLike(search);
    return this.cache
      .get(productsMatchingSql(search.length >= 3))
      .pluck()
      .all({ pre: `${e}%`, word: `% ${e}%`, exact: search, ...(search.length >= 3 ? { phrase: `"${search.replace(/"/g, '""')}"` } : {}) }) as number[];
  }

  /** Batches whose code starts with the search. */
  batchesMatching(search: string): number[] {
    return this.cache.get(`SELECT id FROM batches WHERE code LIKE ? ESCAPE '\\'`).pluck().all(`${escLike(search)}%`) as number[];
  }

  /**
   * Serial units whose serial starts with the search (the exact one among them), whatever their product and letter case
   * (`sn-1003` finds SN-1003: a clerk types what is on the label): a range of IDX_serial_units_serial_nocase (0049).
   */
  serialsMatching(search: string): number[] {
    return this.cache.get(`SELECT id FROM serial_units WHERE serial LIKE ? ESCAPE '\\' ORDER BY id`).pluck().all(`${escLike(search)}%`) as number[];
  }

  /**
   * Documents the search names, as [id, occurred_at] in (occurred_at, id) order: the reference starts with it (the
   * supplier's delivery note or invoice number typed on a receipt, a despatch's order number; 0049's NOCASE index), the
   * counterparty does (a receipt's supplier as typed, a despatch's customer; likewise), the receipt's supplier's code
   * starts with it or its name or a word of its name does (suppliers are few: read whole), letter case folded; or the
   * document's own number is it (`123`, `#123`, `no. 123`). A document's movements all have its effective time. The
   * references' times are read from their index (0049: reference, occurred_at), not from the documents' rows: a broad
   * prefix's 10,607 documents on the 1,000,000-movement demo ledger took 56 ms through the rows. `references: false`
   * leaves the reference out (a broad one is walked in time order instead: documentsByReference).
   */
  documentsMatching(search: string, references = true): [number, number][] {
    const e = escLike(search);
    const byReference = references ? `SELECT id, occurred_at FROM documents WHERE reference LIKE @pre ESCAPE '\\'\n         UNION ` : '';
    return this.cache
      .get(
        `${byReference}SELECT id, occurred_at FROM documents WHERE id IN (
           SELECT document_id FROM operation_documents WHERE counterparty LIKE @pre ESCAPE '\\'
           UNION SELECT ds.document_id FROM suppliers sp JOIN document_suppliers ds ON ds.supplier_id = sp.id
             WHERE sp.code LIKE @pre ESCAPE '\\' OR sp.name LIKE @pre ESCAPE '\\' OR sp.name LIKE @word ESCAPE '\\'
           UNION SELECT @number)
         ORDER BY 2, 1`,
      )
      .raw(true)
      .all({ pre: `${e}%`, word: `% ${e}%`, number: documentNumber(search) }) as [number, number][];
  }

  /** Documents whose reference starts with the search (any letter case), counted up to `cap` from 0049's index alone. */
  referencesCount(search: string, cap: number): number {
    return this.cache
      .get(`SELECT COUNT(*) FROM (SELECT 1 FROM documents WHERE reference LIKE @pre ESCAPE '\\' LIMIT @cap)`)
      .pluck()
      .get({ pre: `${escLike(search)}%`, cap }) as number;
  }

  /**
   * The `n` documents whose reference starts with the search (any letter case) nearest `from` in time, as
   * [id, occurred_at]: at or before it newest first (`desc`), else at or after it oldest first; walked by 0051's
   * (occurred_at, reference) index, so a broad prefix (a sixteenth of the documents) reads a few entries per document taken.
   */
  documentsByReference(search: string, desc: boolean, from: number | null, n: number): [number, number][] {
    const bound = from === null ? '' : desc ? 'occurred_at <= @from AND ' : 'occurred_at >= @from AND ';
    return this.cache
      .get(
        `SELECT id, occurred_at FROM documents INDEXED BY IDX_documents_occurred_reference
         WHERE ${bound}reference LIKE @pre ESCAPE '\\' ORDER BY occurred_at ${desc ? 'DESC' : 'ASC'} LIMIT @n`,
      )
      .raw(true)
      .all({ pre: `${escLike(search)}%`, n, ...(from === null ? {} : { from }) }) as [number, number][];
  }

  /**
   * The read of a plan's parts: one index scan per part (`INDEXED BY`), each with the common predicates `where`, its
   * own, and `extra`, each cut by `tail` (ORDER BY … LIMIT, on `m`); several parts are UNIONed and the union cut by
   * `tail` again (each part keeps its own ORDER BY … LIMIT so SQLite's early exit per IN value still applies).
   */
  scanSql(parts: readonly ScanPart[], where: readonly string[], extra: readonly string[], tail: string, columns = KEY_COLUMNS): string {
    const t = tail.replace(/occurred_at/g, 'm.occurred_at').replace(/\bseq\b/g, 'm.seq');
    const sqls = parts.map((part) => {
      const preds = [...where, ...(part.pred ? [part.pred] : []), ...extra];
      return `SELECT ${columns} FROM movements m INDEXED BY ${part.index}${preds.length ? ` WHERE ${preds.join(' AND ')}` : ''} ${t}`;
    });
    if (sqls.length === 1) return sqls[0]!;
    return `SELECT ${columns === KEY_COLUMNS ? 'seq, occurredAt' : '*'} FROM (${sqls.map((p) => `SELECT * FROM (${p})`).join(' UNION ')}) ${tail.replace(/occurred_at/g, 'occurredAt')}`;
  }

  /** Runs a scan (scanSql) for each params given: rows as objects, or as arrays of the columns when `raw`. */
  reader(sql: string, raw: boolean): (params: SqlParams) => unknown[] {
    const stmt = this.cache.get(sql).raw(raw);
    return (params) => stmt.all(params);
  }

  /** Rows of the parts' scan up to `limit` (the `cap` param), counted. */
  countScan(parts: readonly ScanPart[], where: readonly string[], params: SqlParams, limit: number): number {
    return this.cache.get(`SELECT COUNT(*) FROM (${this.scanSql(parts, where, [], 'LIMIT @cap')})`).pluck().get({ ...params, cap: limit }) as number;
  }

  /** Movements with seq in [from, to] (a rowid range) matching every predicate of `where`, counted. */
  countSlice(where: readonly string[], params: SqlParams, from: number, to: number): number {
    const preds = [...where, 'm.seq BETWEEN @sFrom AND @sTo'];
    return this.cache.get(`SELECT COUNT(*) FROM movements m WHERE ${preds.join(' AND ')}`).pluck().get({ ...params, sFrom: from, sTo: to }) as number;
  }

  /** Index entries a driver would read (index `index`, predicate `pred`), counted up to `cap` (index-only, so cheap). */
  countDriver(index: string, pred: string, params: SqlParams, cap: number): number {
    const sql = `SELECT COUNT(*) FROM (SELECT 1 FROM movements m INDEXED BY ${index} WHERE ${pred} LIMIT ${cap})`;
    return this.cache.get(sql).pluck().get(usedBy(sql, params)) as number;
  }

  /** The earliest and latest effective times and the head seq (0 each on an empty ledger). */
  bounds(): { min: number; max: number; total: number } {
    // Three separate aggregates so each is one index or rowid seek (together SQLite would scan).
    const one = (sql: string) => (this.cache.get(sql).pluck().get() as number | null) ?? 0;
    return {
      min: one('SELECT MIN(occurred_at) FROM movements'),
      max: one('SELECT MAX(occurred_at) FROM movements'),
      total: one('SELECT MAX(seq) FROM movements'),
    };
  }

  /** The batches' quants, most recently moved first, as [batchId, last movement's effective time]; return() it when done early. */
  recentBatches(batches: readonly number[]): IterableIterator<[number, number]> {
    return this.cache.get(recentBatchesSql(batches)).raw(true).iterate() as IterableIterator<[number, number]>;
  }

  /**
   * Detail rows (joined names) for seqs, in the given order; arrays of the columns when `raw`. Objects are built here
   * from the arrays: better-sqlite3's own 40-key row objects cost 2.8 ms CPU a 200-row page, arrays and this loop 1.9.
   */
  details(seqs: number[], raw = false): unknown[] {
    const rows = this.cache.get(DETAILS_SQL).raw(true).all(JSON.stringify(seqs)) as unknown[][];
    if (raw) return rows;
    const names = (this.detailNames ??= this.detailColumns());
    return rows.map((a) => {
      const o: Record<string, unknown> = {};
      for (let k = 0; k < names.length; k++) o[names[k]!] = a[k];
      return o;
    });
  }

  private detailNames: string[] | null = null;

  /** Names of the detail columns, in the positions `details(seqs, true)` returns them. */
  detailColumns(): string[] {
    return this.cache.get(DETAILS_SQL).columns().map((c) => c.name);
  }

  /** SQLite's plan (EXPLAIN QUERY PLAN details) of a scan, and before it of the recent batches' read when given. */
  queryPlan(sql: string, params: SqlParams, recentOf?: readonly number[]): string[] {
    const explain = (text: string, p: object = {}) => (this.db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(p) as { detail: string }[]).map((r) => r.detail);
    return [...(recentOf ? explain(recentBatchesSql(recentOf)) : []), ...explain(sql, usedBy(sql, params))];
  }
}
