import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/contract/errors';
import type { StockType, TrackingMode } from '../../../shared/domain';
import { BEGINNING_OF_TIME } from '../../../shared/recipes';
import { RecipeStore } from '../../recipes/recipe-store';
import type { ReferenceRecords } from '../reference-records';

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
 * Master data the ledger refers to: groups, sites, bins, products. Raw statements so bulk set-up stays fast.
 * PostgreSQL's twin (sites, bins, products) is PgReferenceStore.
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
    return this.insert(() => this.s.group.run(code, name, postOnCosts ? 1 : 0), `product group ${code}`);
  }

  addSite(site: NewSite): number {
    return this.insert(
      () => this.s.site.run(site.code, site.name, site.kind ?? 'warehouse', site.allowNegative ? 1 : 0),
      `site ${site.code}`,
    );
  }

  addBin(siteId: number, code: string, name = code): number {
    return this.insert(() => this.s.bin.run(siteId, code, name), `bin ${code}`);
  }

  addProduct(p: NewProduct): number {
    const tracking = p.tracking ?? 'BULK';
    const scale = p.scale ?? 0;
    if ((tracking === 'SERIAL' || tracking === 'RFID') && scale !== 0) {
      throw new AppError('VALIDATION', `${p.sku}: serial and RFID products are counted in whole units; set the unit scale to 0.`);
    }
    return this.db.transaction(() => {
      const id = this.insert(
        () =>
          this.s.product.run(
            p.sku, p.name, p.unit ?? 'ea', scale, p.stockType, tracking, p.groupId ?? null,
            JSON.stringify(p.variantAttributes ?? {}), p.stockKeeping === false ? 0 : 1, p.lowStockLevel ?? null, this.clock(),
          ),
        `product ${p.sku}`,
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

  private insert(run: () => Database.RunResult, what: string): number {
    try {
      return Number(run().lastInsertRowid);
    } catch (e) {
      if (e instanceof Error && /UNIQUE|PRIMARY KEY/.test(e.message)) {
        throw new AppError('CONFLICT', `A ${what} already exists. Use a different code.`);
      }
      throw e;
    }
  }
}
