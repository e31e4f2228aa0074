import type pg from 'pg';
import type { StockType } from '../../../../shared/domain';
import { BEGINNING_OF_TIME } from '../../../../shared/recipes';
import type { Keyed } from '../../../masterdata/master-refusals';
import { PgRecipeStore } from '../../../recipes/pg-recipe-store';
import { takenUniqueKey } from '../pg-errors';
import { refusedAsTaken, refuseSerialDecimals, type PlainProduct, type ReferenceRecords } from '../../reference-records';
import type { NewSite } from '../../store/reference-data';
import { pgTransaction } from './pg-ledger-store';

/** A product as PostgreSQL's tests and bench write it: the stock type may be left out (Supplied). */
type PgPlainProduct = Omit<PlainProduct, 'stockType'> & { stockType?: StockType };

/**
 * The least master data a PostgreSQL ledger needs to post into, written straight in for tests and the bench: groups,
 * sites, bins and products, a recipe's components with it (the twin of SQLite's ReferenceData, reading `clock` where it
 * does). The app's master data (validation, versions, audit) is the master-data capability's (pg-master-store.ts), not
 * this. A code, name or SKU already taken is refused as the contract refuses a user (refusedAsTaken), as SQLite's
 * ReferenceData refuses it.
 */
export class PgReferenceStore implements ReferenceRecords {
  constructor(
    private readonly pool: pg.Pool,
    private readonly clock: () => number = Date.now,
  ) {}

  addGroup(code: string, name: string, postOnCosts = false): Promise<number> {
    return this.insert(this.pool, 'INSERT INTO product_groups (code, name, post_on_costs) VALUES ($1, $2, $3) RETURNING id', [code, name, postOnCosts], { code, name });
  }

  addSite(site: NewSite): Promise<number> {
    return this.insert(this.pool, 'INSERT INTO sites (code, name, kind, allow_negative) VALUES ($1, $2, $3, $4) RETURNING id', [site.code, site.name, site.kind ?? 'warehouse', site.allowNegative ?? false], site);
  }

  addBin(siteId: number, code: string): Promise<number> {
    return this.insert(this.pool, 'INSERT INTO bins (site_id, code, name) VALUES ($1, $2, $2) RETURNING id', [siteId, code], { code });
  }

  /** A product (a serial or RFID one in whole units); a recipe's components become its one version in force from the beginning, in the product's transaction. */
  async addProduct(p: PgPlainProduct): Promise<number> {
    refuseSerialDecimals(p);
    const write = async (db: pg.Pool | pg.PoolClient) => {
      const id = await this.insert(
        db,
        `INSERT INTO products (sku, name, unit, stock_type, tracking, scale, group_id, low_stock_level, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [p.sku, p.name, p.unit ?? 'ea', p.stockType ?? 'Supplied', p.tracking ?? 'BULK', p.scale ?? 0, p.groupId ?? null, p.lowStockLevel ?? null, this.clock()],
        p,
      );
      if (p.components?.length) await new PgRecipeStore(db).insertVersion(id, BEGINNING_OF_TIME, p.components, this.clock(), null);
      return id;
    };
    return p.components?.length ? pgTransaction(this.pool, write) : write(this.pool);
  }

  /** Runs an insert and answers the new id; a code, name or SKU already taken is refused as the contract refuses a user. */
  private async insert(db: pg.Pool | pg.PoolClient, sql: string, params: unknown[], record: Keyed): Promise<number> {
    try {
      return (await db.query<{ id: number }>(sql, params)).rows[0]!.id;
    } catch (e) {
      throw refusedAsTaken(e, takenUniqueKey(e), record);
    }
  }

  async userId(username: string): Promise<number | null> {
    const r = await this.pool.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [username]);
    return r.rows[0]?.id ?? null;
  }
}
