import type Database from 'better-sqlite3';
import type { StockType, TrackingMode } from '../../shared/domain';

/** A product as the catalog import compares it: every field a sheet column fills, and its history flags. */
export interface CatalogProductRow {
  id: number;
  sku: string;
  name: string;
  description: string;
  unit: string;
  scale: number;
  stockType: StockType;
  tracking: TrackingMode;
  stockKeeping: boolean;
  lowStockLevel: number | null;
  active: boolean;
  groupId: number | null;
  hasMovements: boolean;
}

type Flag = 0 | 1;
type ProductSql = Omit<CatalogProductRow, 'stockKeeping' | 'active' | 'hasMovements'> & { stockKeeping: Flag; active: Flag; hasMovements: Flag };

/**
 * The catalog's bulk reads (every product, barcode and group at once, so checking 100,000 rows asks the database a
 * handful of times) and the one write the master-data store has no statement for (a product's group).
 */
export class CatalogStore {
  private readonly s;

  constructor(readonly db: Database.Database) {
    this.s = {
      products: db.prepare(
        `SELECT p.id, p.sku, p.name, p.description, p.unit, p.scale, p.stock_type AS stockType, p.tracking,
           p.stock_keeping AS stockKeeping, p.low_stock_level AS lowStockLevel, p.active, p.group_id AS groupId,
           EXISTS (SELECT 1 FROM movements m WHERE m.product_id = p.id) AS hasMovements
         FROM products p ORDER BY p.sku COLLATE NOCASE`,
      ),
      barcodes: db.prepare('SELECT barcode, product_id AS productId FROM product_barcodes ORDER BY product_id, barcode').raw(),
      stocked: db.prepare('SELECT DISTINCT product_id FROM stock_levels WHERE qty <> 0').pluck(),
      groups: db.prepare('SELECT id, code FROM product_groups ORDER BY code COLLATE NOCASE'),
      setGroup: db.prepare('UPDATE products SET group_id = ? WHERE id = ?'),
    };
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  products(): CatalogProductRow[] {
    return (this.s.products.all() as ProductSql[]).map((r) => ({ ...r, stockKeeping: r.stockKeeping === 1, active: r.active === 1, hasMovements: r.hasMovements === 1 }));
  }
  /** Every stored barcode with its product, ordered by product then barcode. */
  barcodes(): [string, number][] {
    return this.s.barcodes.all() as [string, number][];
  }
  /** Ids of products holding a non-zero quantity anywhere. */
  stockedProductIds(): Set<number> {
    return new Set(this.s.stocked.all() as number[]);
  }
  groups(): { id: number; code: string }[] {
    return this.s.groups.all() as { id: number; code: string }[];
  }
  setProductGroup(productId: number, groupId: number | null): void {
    this.s.setGroup.run(groupId, productId);
  }
}
