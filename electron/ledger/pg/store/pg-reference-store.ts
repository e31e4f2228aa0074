import type pg from 'pg';
import type { StockType } from '../../../../shared/domain';
import type { Keyed } from '../../../masterdata/master-refusals';
import { takenUniqueKey } from '../pg-errors';
import { refusedAsTaken, type PlainProduct, type ReferenceRecords } from '../../reference-records';
import type { NewSite } from '../../store/reference-data';

/** A product as PostgreSQL's tests and bench write it: the stock type may be left out (Supplied), the time it was made given. */
type PgPlainProduct = Omit<PlainProduct, 'stockType'> & { stockType?: StockType; createdAt?: number };

/**
 * The least master data a PostgreSQL ledger needs to post into, written straight in for tests and the bench: sites,
 * bins and products (the twin of SQLite's ReferenceData). The app's master data (validation, versions, audit) is the
 * master-data capability's (pg-master-store.ts), not this. A code, name or SKU already taken is refused as the contract
 * refuses a user (refusedAsTaken), as SQLite's ReferenceData refuses it.
 */
export class PgReferenceStore implements ReferenceRecords {
  constructor(private readonly pool: pg.Pool) {}

  addSite(site: NewSite): Promise<number> {
    return this.insert('INSERT INTO sites (code, name, kind, allow_negative) VALUES ($1, $2, $3, $4) RETURNING id', [site.code, site.name, site.kind ?? 'warehouse', site.allowNegative ?? false], site);
  }

  addBin(siteId: number, code: string): Promise<number> {
    return this.insert('INSERT INTO bins (site_id, code, name) VALUES ($1, $2, $2) RETURNING id', [siteId, code], { code });
  }

  addProduct(p: PgPlainProduct): Promise<number> {
    return this.insert(
      'INSERT INTO products (sku, name, unit, stock_type, tracking, scale, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
      [p.sku, p.name, p.unit ?? 'ea', p.stockType ?? 'Supplied', p.tracking ?? 'BULK', p.scale ?? 0, p.createdAt ?? Date.now()],
      p,
    );
  }

  /** Runs an insert and answers the new id; a code, name or SKU already taken is refused as the contract refuses a user. */
  private async insert(sql: string, params: unknown[], record: Keyed): Promise<number> {
    try {
      return (await this.pool.query<{ id: number }>(sql, params)).rows[0]!.id;
    } catch (e) {
      throw refusedAsTaken(e, takenUniqueKey(e), record);
    }
  }

  async userId(username: string): Promise<number | null> {
    const r = await this.pool.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [username]);
    return r.rows[0]?.id ?? null;
  }
}
