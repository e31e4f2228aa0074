import type Database from 'better-sqlite3';
import type { StockType, TrackingMode } from '../../../shared/domain';

export interface ProductRef {
  id: number;
  sku: string;
  name: string;
  stockType: StockType;
  tracking: TrackingMode;
  scale: number;
  stockKeeping: boolean;
}
export interface SiteRef {
  id: number;
  code: string;
  name: string;
  allowNegative: boolean;
  external: boolean;
  active: boolean;
}
export interface BinRef {
  id: number;
  siteId: number;
  code: string;
  active: boolean;
}

/** Lazily loaded products, sites and bins for the writer; reset after any rollback or reference change. */
export class ReferenceCache {
  private products = new Map<number, ProductRef | null>();
  private sites = new Map<number, SiteRef | null>();
  private bins = new Map<number, BinRef | null>();
  private readonly productStmt: Database.Statement;
  private readonly siteStmt: Database.Statement;
  private readonly binStmt: Database.Statement;

  constructor(db: Database.Database) {
    this.productStmt = db.prepare(
      'SELECT id, sku, name, stock_type AS stockType, tracking, scale, stock_keeping AS stockKeeping FROM products WHERE id = ?',
    );
    this.siteStmt = db.prepare(
      "SELECT id, code, name, allow_negative AS allowNegative, kind = 'external' AS external, active FROM sites WHERE id = ?",
    );
    this.binStmt = db.prepare('SELECT id, site_id AS siteId, code, active FROM bins WHERE id = ?');
  }

  product(id: number): ProductRef | null {
    let p = this.products.get(id);
    if (p === undefined) {
      const row = this.productStmt.get(id) as (Omit<ProductRef, 'stockKeeping'> & { stockKeeping: number }) | undefined;
      p = row ? { ...row, stockKeeping: row.stockKeeping === 1 } : null;
      this.products.set(id, p);
    }
    return p;
  }

  site(id: number): SiteRef | null {
    let s = this.sites.get(id);
    if (s === undefined) {
      const row = this.siteStmt.get(id) as { id: number; code: string; name: string; allowNegative: number; external: number; active: number } | undefined;
      s = row ? { ...row, allowNegative: row.allowNegative === 1, external: row.external === 1, active: row.active === 1 } : null;
      this.sites.set(id, s);
    }
    return s;
  }

  bin(id: number): BinRef | null {
    let b = this.bins.get(id);
    if (b === undefined) {
      const row = this.binStmt.get(id) as (Omit<BinRef, 'active'> & { active: number }) | undefined;
      b = row ? { ...row, active: row.active === 1 } : null;
      this.bins.set(id, b);
    }
    return b;
  }

  reset(): void {
    this.products.clear();
    this.sites.clear();
    this.bins.clear();
  }
}
