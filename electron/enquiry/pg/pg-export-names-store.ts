import type { PgReader } from '../../ledger/pg/store/pg-read-snapshot';
import type { BatchNames, BinNames, DocumentNames, ExportNamesRecords, NamedById, ProductNames, SerialNames, SiteNames, UserNames } from '../movement-export-store';

/**
 * The names the movement export writes beside a movement's ids, on PostgreSQL: one statement per kind for a chunk's
 * ids at once (the twin of ExportNamesStore, whose SQLite statements read products, sites, bins and users one id at a
 * time as well).
 */
export class PgExportNamesStore implements ExportNamesRecords {
  constructor(private readonly c: PgReader) {}

  private async read<T>(sql: string, ids: readonly number[]): Promise<NamedById<T>[]> {
    return ids.length ? (await this.c.query<NamedById<T>>(sql, [ids])).rows : [];
  }

  products = (ids: readonly number[]) => this.read<ProductNames>('SELECT id, sku, name, unit, scale FROM products WHERE id = ANY($1::int[])', ids);
  sites = (ids: readonly number[]) => this.read<SiteNames>('SELECT id, code FROM sites WHERE id = ANY($1::int[])', ids);
  bins = (ids: readonly number[]) => this.read<BinNames>('SELECT id, code FROM bins WHERE id = ANY($1::int[])', ids);
  users = (ids: readonly number[]) => this.read<UserNames>('SELECT id, display_name AS name FROM users WHERE id = ANY($1::int[])', ids);
  documents = (ids: readonly number[]) => this.read<DocumentNames>('SELECT id, type, reference FROM documents WHERE id = ANY($1::int[])', ids);
  batches = (ids: readonly number[]) => this.read<BatchNames>('SELECT id, code, expiry FROM batches WHERE id = ANY($1::int[])', ids);
  serials = (ids: readonly number[]) => this.read<SerialNames>('SELECT id, serial FROM serial_units WHERE id = ANY($1::int[])', ids);
}
