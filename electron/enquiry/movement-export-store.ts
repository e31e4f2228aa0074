import type Database from 'better-sqlite3';
import { ON_COSTS } from '../../shared/domain';
import type { EntityRecord } from '../ledger/entities/columns';
import type { Awaitable } from '../ledger/steps';
import type { DocumentEntity, MovementEntity } from '../ledger/entities/document.entities';
import type { BinEntity, SiteEntity } from '../ledger/entities/place.entities';
import type { ProductEntity } from '../ledger/entities/product.entities';
import type { BatchEntity, SerialUnitEntity } from '../ledger/entities/stock.entities';

/**
 * The movement export's SQL: the movements columns it reads (seq and occurred_at first, the keyset cursor), and the
 * names for the ids on a movement, one primary-key lookup each (the export memoises them: the joins cost more than
 * reading the movement itself).
 */

/**
 * The movements columns the export reads, as few values per row as they fit in: better-sqlite3 spends about 0.1 µs on
 * each value it hands to JavaScript, whatever the value (a null, a zero, a string), which made the export's 27 columns
 * most of its read. So SQLite packs them exactly (see LeanReader for the way back), in the positions of LEAN:
 * - the integers of a pair as one: product and bin, site and user, document and line (`pairSql`);
 * - what most movements leave empty (serial, reversal of, note) as one value, NULL when all are empty, else a JSON
 *   array of them;
 * - the on-costs per unit as one value, NULL when all are zero, else their JSON array: a product's lines repeat the
 *   same few, so the text is also the key the reader and the writers remember their numbers and bytes by.
 * seq and occurred_at come first, as the keyset cursor reads them (MovementQuery.rows).
 */
export const LEAN = {
  seq: 0, occurredAt: 1, recordedAt: 2, qty: 3, balanceAfter: 4, unitCost: 5, productBin: 6, siteUser: 7, documentLine: 8,
  batchId: 9, type: 10, costSource: 11, rare: 12, onCosts: 13,
} as const;

/** Low-part bits of each pair: ids of bins and users below 2^26 - 1, lines below 2^16 - 1; the high part gets the rest of 53. */
const BIN_BITS = 26;
const USER_BITS = 26;
const LINE_BITS = 16;
/** 2^bits of each pair: what the high part is multiplied by. */
const BIN_UNIT = 2 ** BIN_BITS;
const USER_UNIT = 2 ** USER_BITS;
const LINE_UNIT = 2 ** LINE_BITS;

/**
 * hi × 2^bits + (lo + 1, or 0 when lo is null), when hi and lo are non-negative integers small enough for the result
 * to be a safe integer; otherwise (a huge id, a negative line) the JSON array [hi, lo], which LeanReader reads instead.
 * The test per row is two ranges, BETWEEN being false for a text value: the columns have integer affinity (a whole
 * number stored as text or real is stored as an integer), and the ids are foreign keys to integer primary keys, so
 * only the line, which is not, is also asked its type (`loTyped`). typeof() on every pair cost 0.1 µs a row.
 */
function pairSql(hi: string, lo: string, bits: number, loTyped = false): string {
  const hiMax = 2 ** (53 - bits) - 1;
  const loMax = 2 ** bits - 2;
  return (
    `CASE WHEN ${hi} BETWEEN 0 AND ${hiMax} AND ifnull(${lo}, 0) BETWEEN 0 AND ${loMax}${loTyped ? ` AND typeof(${lo}) = 'integer'` : ''}` +
    ` THEN ${hi} * ${2 ** bits} + ifnull(${lo} + 1, 0) ELSE json_array(${hi}, ${lo}) END`
  );
}

const ON_COST_COLUMNS = ON_COSTS.map((k) => `m.oc_${k}`);

/** LEAN as the select list over `movements m` (MovementQuery.rows: starts with `m.seq, m.occurred_at AS occurredAt`). */
export const LEAN_SELECT = [
  'm.seq', 'm.occurred_at AS occurredAt', 'm.recorded_at', 'm.qty', 'm.balance_after', 'm.unit_cost',
  pairSql('m.product_id', 'm.bin_id', BIN_BITS), pairSql('m.site_id', 'm.user_id', USER_BITS), pairSql('m.document_id', 'm.line_no', LINE_BITS, true),
  'm.batch_id', 'm.type', 'm.cost_source',
  'CASE WHEN m.serial_id IS NULL AND m.reversal_of IS NULL AND m.note IS NULL THEN NULL ELSE json_array(m.serial_id, m.reversal_of, m.note) END',
  `CASE WHEN ${ON_COST_COLUMNS.map((c) => `${c} = 0`).join(' AND ')} THEN NULL ELSE json_array(${ON_COST_COLUMNS.join(', ')}) END`,
].join(', ');

/** A movement as the export reads it (LEAN unpacked). */
export type LeanMovement = Pick<
  EntityRecord<typeof MovementEntity>,
  | 'seq' | 'occurredAt' | 'recordedAt' | 'qty' | 'balanceAfter' | 'unitCost' | 'productId' | 'binId' | 'siteId' | 'userId' | 'documentId' | 'lineNo' | 'batchId' | 'type'
  | 'costSource' | 'serialId' | 'reversalOf' | 'note'
> & {
  /** Per unit, in ON_COSTS order; all zero when `hasOnCosts` is false. Shared by every row with the same on-costs. */
  onCosts: readonly number[];
  hasOnCosts: boolean;
  /** The on-costs' text as read (null when all zero): equal texts, equal on-costs. */
  onCostsKey: string | null;
};

/**
 * A pair as a LEAN row holds it: packed in one number, or as [hi, lo] (SQLite: JSON text when too large to pack;
 * PostgreSQL: always an array, which its driver hands over as one).
 */
type Packed = number | string | readonly [number, number | null];
const pairOf = (v: string | readonly [number, number | null]): readonly [number, number | null] => (typeof v === 'string' ? (JSON.parse(v) as [number, number | null]) : v);
const hiOf = (v: Packed, unit: number): number => (typeof v === 'number' ? Math.floor(v / unit) : pairOf(v)[0]);

/** The serial unit's id of a LEAN row, or null (from the rare value, JSON [serial_id, reversal_of, note], when present). */
export const leanSerialId = (r: readonly unknown[]): number | null => {
  const rare = r[LEAN.rare] as string | null;
  return rare === null ? null : (JSON.parse(rare) as [number | null])[0];
};
/** The document id of a LEAN row. */
export const leanDocumentId = (r: readonly unknown[]): number => hiOf(r[LEAN.documentLine] as Packed, LINE_UNIT);
/** The product id of a LEAN row (chunks are keyed by product and site before their rows are read in full). */
export const leanProductId = (r: readonly unknown[]): number => hiOf(r[LEAN.productBin] as Packed, BIN_UNIT);
/** The site id of a LEAN row. */
export const leanSiteId = (r: readonly unknown[]): number => hiOf(r[LEAN.siteUser] as Packed, USER_UNIT);

const NO_ON_COSTS: readonly number[] = Object.freeze(ON_COSTS.map(() => 0));
/** Distinct on-costs a reader remembers before it starts afresh (memory stays flat). */
const ON_COSTS_HELD = 10_000;

/** The on-costs per unit a LEAN on-costs value (its `onCostsKey`) holds, in ON_COSTS order. */
export const onCostsOfKey = (key: string): readonly number[] => Object.freeze(JSON.parse(key) as number[]);

/** A LeanMovement to fill (LeanReader.read), the fields in one order so every row's object has one shape. */
export const emptyLeanMovement = (): LeanMovement => ({
  seq: 0, occurredAt: 0, recordedAt: 0, qty: 0, balanceAfter: 0, unitCost: 0, productId: 0, binId: null, siteId: 0, userId: 0, documentId: 0,
  lineNo: 0, batchId: null, type: '', costSource: '', serialId: null, reversalOf: null, note: null, onCosts: NO_ON_COSTS, hasOnCosts: false,
  onCostsKey: null,
});

/** Reads LEAN rows into a reused LeanMovement, allocating only for the rare JSON arrays and on-costs not seen yet. */
export class LeanReader {
  private hi = 0;
  private lo: number | null = null;
  private readonly onCostsOf = new Map<string, readonly number[]>();

  /** Fills `m` from the LEAN row `r`. */
  read<M extends LeanMovement>(r: readonly unknown[], m: M): M {
    m.seq = r[LEAN.seq] as number;
    m.occurredAt = r[LEAN.occurredAt] as number;
    m.recordedAt = r[LEAN.recordedAt] as number;
    m.qty = r[LEAN.qty] as number;
    m.balanceAfter = r[LEAN.balanceAfter] as number;
    m.unitCost = r[LEAN.unitCost] as number;
    this.pair(r[LEAN.productBin] as Packed, BIN_UNIT);
    m.productId = this.hi;
    m.binId = this.lo;
    this.pair(r[LEAN.siteUser] as Packed, USER_UNIT);
    m.siteId = this.hi;
    m.userId = this.lo!;
    this.pair(r[LEAN.documentLine] as Packed, LINE_UNIT);
    m.documentId = this.hi;
    m.lineNo = this.lo!;
    m.batchId = r[LEAN.batchId] as number | null;
    m.type = r[LEAN.type] as string;
    m.costSource = r[LEAN.costSource] as string;
    const rare = r[LEAN.rare] as string | null;
    if (rare === null) m.serialId = m.reversalOf = m.note = null;
    else {
      // [serial_id, reversal_of, note]
      const a = JSON.parse(rare) as [number | null, number | null, string | null];
      m.serialId = a[0];
      m.reversalOf = a[1];
      m.note = a[2];
    }
    const key = r[LEAN.onCosts] as string | null;
    m.onCostsKey = key;
    if (key === null) {
      m.onCosts = NO_ON_COSTS;
      m.hasOnCosts = false;
    } else {
      let onCosts = this.onCostsOf.get(key);
      if (onCosts === undefined) {
        if (this.onCostsOf.size >= ON_COSTS_HELD) this.onCostsOf.clear();
        this.onCostsOf.set(key, (onCosts = onCostsOfKey(key)));
      }
      m.onCosts = onCosts;
      m.hasOnCosts = true;
    }
    return m;
  }

  /** A pairSql value into `hi` and `lo` (division by a power of two is exact, so floor gives the high part exactly). */
  private pair(v: Packed, unit: number): void {
    if (typeof v === 'number') {
      const hi = Math.floor(v / unit);
      const lo = v - hi * unit;
      this.hi = hi;
      this.lo = lo === 0 ? null : lo - 1;
    } else {
      const a = pairOf(v);
      this.hi = a[0];
      this.lo = a[1];
    }
  }
}

export type ProductNames = Pick<EntityRecord<typeof ProductEntity>, 'sku' | 'name' | 'unit' | 'scale'>;
export type SiteNames = Pick<EntityRecord<typeof SiteEntity>, 'code'>;
export type BinNames = Pick<EntityRecord<typeof BinEntity>, 'code'>;
export interface UserNames {
  name: string;
}
export type DocumentNames = Pick<EntityRecord<typeof DocumentEntity>, 'type' | 'reference'>;
export type BatchNames = Pick<EntityRecord<typeof BatchEntity>, 'code' | 'expiry'>;
export type SerialNames = Pick<EntityRecord<typeof SerialUnitEntity>, 'serial'>;

/** Names of a kind read for many ids at once: each row with its id. */
export type NamedById<T> = T & { id: number };

/**
 * The names a movement export reads for a whole chunk's ids at once, on either store (ExportNamesStore below,
 * pg/pg-export-names-store.ts), held between chunks by export-memo.ts ChunkNames: the documents, batches and serial
 * units, which come and go along the movements. (Of
 * products, sites, bins and users, a few thousand each, SQLite reads each once by id, memoised; PostgreSQL reads those a
 * chunk's ids at once too.)
 */
export interface ExportNamesRecords {
  documents(ids: readonly number[]): Awaitable<NamedById<DocumentNames>[]>;
  batches(ids: readonly number[]): Awaitable<NamedById<BatchNames>[]>;
  serials(ids: readonly number[]): Awaitable<NamedById<SerialNames>[]>;
}

/** Names by id for the export's rows (products, sites, bins, users one id at a time; the rest a chunk's ids at once), each statement prepared once. */
export class ExportNamesStore implements ExportNamesRecords {
  readonly product: (id: number) => ProductNames;
  readonly site: (id: number) => SiteNames;
  readonly bin: (id: number) => BinNames;
  readonly user: (id: number) => UserNames;
  /** The names of many documents (a chunk's), in one statement instead of one per document. */
  readonly documents: (ids: readonly number[]) => NamedById<DocumentNames>[];
  /** The names of many batches (a chunk's), in one statement. */
  readonly batches: (ids: readonly number[]) => NamedById<BatchNames>[];
  /** The serial numbers of many serial units (a chunk's), in one statement. */
  readonly serials: (ids: readonly number[]) => NamedById<SerialNames>[];

  constructor(db: Database.Database) {
    const one = <T>(sql: string): ((id: number) => T) => {
      const stmt = db.prepare(sql);
      return (id) => stmt.get(id) as T;
    };
    const many = <T>(sql: string): ((ids: readonly number[]) => T[]) => {
      const stmt = db.prepare(sql);
      return (ids) => stmt.all(JSON.stringify(ids)) as T[];
    };
    this.documents = many('SELECT id, type, reference FROM documents WHERE id IN (SELECT value FROM json_each(?))');
    this.batches = many('SELECT id, code, expiry FROM batches WHERE id IN (SELECT value FROM json_each(?))');
    this.serials = many('SELECT id, serial FROM serial_units WHERE id IN (SELECT value FROM json_each(?))');
    this.product = one('SELECT sku, name, unit, scale FROM products WHERE id = ?');
    this.site = one('SELECT code FROM sites WHERE id = ?');
    this.bin = one('SELECT code FROM bins WHERE id = ?');
    this.user = one('SELECT display_name AS name FROM users WHERE id = ?');
  }
}
