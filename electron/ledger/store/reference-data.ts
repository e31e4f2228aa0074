import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/contract/errors';
import type { StockType, TrackingMode } from '../../../shared/domain';
import { BEGINNING_OF_TIME } from '../../../shared/recipes';
import { RecipeStore } from '../../recipes/recipe-store';
import type { Keyed } from '../../masterdata/master-refusals';
import { refusedAsTaken, refuseSerialDecimals, type ReferenceRecords } from '../reference-records';

export interface NewProduct {
  sku: string;
  name: string;
  unit?: string;
  scale?: number;
  stockType: StockType;
  tracking?: TrackingMode;
  groupId?: number | null;
  barcodes?: string[];
  variantAttributes?: Record<string, string>;
  stockKeeping?: boolean;
  lowStockLevel?: number | null;
  /** For Recipe products: components and quantity (component base units) per one recipe unit; one version in force from the beginning. */
  components?: { productId: number; qtyPerUnit: number }[];
}
export interface NewSite {
  code: string;
  name: string;
  kind?: 'warehouse' | 'shop';
  allowNegative?: boolean;
}

/**
 * The unique key a SQLite write broke, as its constraint is named (UQ_<table>_<key>, the columns without their "_id"):
 * "UNIQUE constraint failed: sites.code" is sites.code, "… bins.site_id, bins.code" is bins.site_code.
 */
function sqliteUniqueKey(e: Error): string | undefined {
  const columns = /^UNIQUE constraint failed: (\w+\.\w+(?:, \w+\.\w+)*)$/.exec(e.message)?.[1]?.split(', ').map((c) => c.split('.') as [string, string]);
  return columns && `${columns[0]![0]}.${columns.map(([, c]) => c.replace(/_id$/, '')).join('_')}`;
}

/**
 * Master data the ledger refers to: groups, sites, bins, products. Raw statements so bulk set-up stays fast.
 * PostgreSQL's twin (groups, sites, bins, products, a recipe's components) is PgReferenceStore.
 */
export class ReferenceData implements ReferenceRecords {
  private readonly s;
  private readonly recipes: RecipeStore;
  constructor(private readonly db: Database.Database, private readonly clock: () => number = Date.now) {
    this.recipes = new RecipeStore(db);
    this.s = {
      group: db.prepare('INSERT INTO product_groups (code, name, post_on_costs) VALUES (?, ?, ?)'),
      site: db.prepare('INSERT INTO sites (code, name, kind, allow_negative) VALUES (?, ?, ?, ?)'),
      bin: db.prepare('INSERT INTO bins (site_id, code, name) VALUES (?, ?, ?)'),
      product: db.prepare(
        `INSERT INTO products (sku, name, unit, scale, stock_type, tracking, group_id, variant_attributes, stock_keeping, low_stock_level, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      barcode: db.prepare('INSERT INTO product_barcodes (barcode, product_id) VALUES (?, ?)'),
      user: db.prepare('INSERT INTO users (username, display_name, permissions, created_at) VALUES (?, ?, ?, ?)'),
      userByName: db.prepare('SELECT id FROM users WHERE username = ?'),
    };
  }

  addGroup(code: string, name: string, postOnCosts = false): number {
    return this.insert(() => this.s.group.run(code, name, postOnCosts ? 1 : 0), `product group ${code}`, { code, name });
  }

  addSite(site: NewSite): number {
    return this.insert(
      () => this.s.site.run(site.code, site.name, site.kind ?? 'warehouse', site.allowNegative ? 1 : 0),
      `site ${site.code}`,
      site,
    );
  }

  addBin(siteId: number, code: string, name = code): number {
    return this.insert(() => this.s.bin.run(siteId, code, name), `bin ${code}`, { code });
  }

  addProduct(p: NewProduct): number {
    const tracking = p.tracking ?? 'BULK';
    const scale = p.scale ?? 0;
    refuseSerialDecimals(p);
    return this.db.transaction(() => {
      const id = this.insert(
        () =>
          this.s.product.run(
            p.sku, p.name, p.unit ?? 'ea', scale, p.stockType, tracking, p.groupId ?? null,
            JSON.stringify(p.variantAttributes ?? {}), p.stockKeeping === false ? 0 : 1, p.lowStockLevel ?? null, this.clock(),
          ),
        `product ${p.sku}`,
        p,
      );
      for (const b of p.barcodes ?? []) this.insert(() => this.s.barcode.run(b, id), `barcode ${b}`);
      if (p.components?.length) this.recipes.insertVersion(id, BEGINNING_OF_TIME, p.components, this.clock(), null);
      return id;
    })();
  }

  addUser(username: string, displayName: string, permissions: string[]): number {
    return this.insert(() => this.s.user.run(username, displayName, JSON.stringify(permissions), this.clock()), `user ${username}`);
  }

  userId(username: string): number {
    const row = this.s.userByName.get(username) as { id: number } | undefined;
    if (!row) throw new AppError('NOT_FOUND', `There is no user "${username}".`);
    return row.id;
  }

  /**
   * Runs an insert and answers the new id. A code, name or SKU already taken is refused as the contract refuses a user
   * (refusedAsTaken, as PostgreSQL's PgReferenceStore); another duplicate (a barcode, a user) names `what`.
   */
  private insert(run: () => Database.RunResult, what: string, record: Keyed = {}): number {
    try {
      return Number(run().lastInsertRowid);
    } catch (e) {
      if (e instanceof Error && /UNIQUE|PRIMARY KEY/.test(e.message)) {
        const refusal = refusedAsTaken(e, sqliteUniqueKey(e), record);
        throw refusal === e ? new AppError('CONFLICT', `A ${what} already exists. Use a different code.`) : refusal;
      }
      throw e;
    }
  }
}
