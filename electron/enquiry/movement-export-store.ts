import type Database from 'better-sqlite3';
import { ON_COSTS } from '../../shared/domain';
import type { EntityRecord } from '../ledger/entities/columns';
import type { DocumentEntity } from '../ledger/entities/document.entities';
import type { BinEntity, SiteEntity } from '../ledger/entities/place.entities';
import type { ProductEntity } from '../ledger/entities/product.entities';
import type { BatchEntity, SerialUnitEntity } from '../ledger/entities/stock.entities';

/**
 * The movement export's SQL: the movements columns it reads (seq and occurred_at first, the keyset cursor), and the
 * names for the ids on a movement, one primary-key lookup each (the export memoises them: the joins cost more than
 * reading the movement itself).
 */

/** The movements columns the export reads, in their positions in a raw row. */
export const LEAN_COLUMNS = [
  'seq', 'occurred_at', 'product_id', 'site_id', 'bin_id', 'type', 'qty', 'balance_after', 'batch_id', 'serial_id', 'document_id', 'line_no', 'note',
  'recorded_at', 'unit_cost', 'cost_source', 'user_id', 'reversal_of', ...ON_COSTS.map((k) => `oc_${k}` as const),
] as const;

/** LEAN_COLUMNS as the select list over `movements m` (MovementQuery.rows: starts with `m.seq, m.occurred_at AS occurredAt`). */
export const LEAN_SELECT = LEAN_COLUMNS.map((c) => (c === 'occurred_at' ? 'm.occurred_at AS occurredAt' : `m.${c}`)).join(', ');

export type ProductNames = Pick<EntityRecord<typeof ProductEntity>, 'sku' | 'name' | 'unit' | 'scale'>;
export type SiteNames = Pick<EntityRecord<typeof SiteEntity>, 'code'>;
export type BinNames = Pick<EntityRecord<typeof BinEntity>, 'code'>;
export interface UserNames {
  name: string;
}
export type DocumentNames = Pick<EntityRecord<typeof DocumentEntity>, 'type' | 'reference'>;
export type BatchNames = Pick<EntityRecord<typeof BatchEntity>, 'code' | 'expiry'>;
export type SerialNames = Pick<EntityRecord<typeof SerialUnitEntity>, 'serial'>;

/** Names by id for the export's rows, each statement prepared once. */
export class ExportNamesStore {
  readonly product: (id: number) => ProductNames;
  readonly site: (id: number) => SiteNames;
  readonly bin: (id: number) => BinNames;
  readonly user: (id: number) => UserNames;
  readonly document: (id: number) => DocumentNames;
  readonly batch: (id: number) => BatchNames;
  readonly serial: (id: number) => SerialNames;

  constructor(db: Database.Database) {
    const one = <T>(sql: string): ((id: number) => T) => {
      const stmt = db.prepare(sql);
      return (id) => stmt.get(id) as T;
    };
    this.product = one('SELECT sku, name, unit, scale FROM products WHERE id = ?');
    this.site = one('SELECT code FROM sites WHERE id = ?');
    this.bin = one('SELECT code FROM bins WHERE id = ?');
    this.user = one('SELECT display_name AS name FROM users WHERE id = ?');
    this.document = one('SELECT type, reference FROM documents WHERE id = ?');
    this.batch = one('SELECT code, expiry FROM batches WHERE id = ?');
    this.serial = one('SELECT serial FROM serial_units WHERE id = ?');
  }
}
