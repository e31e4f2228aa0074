import type Database from 'better-sqlite3';
import type { EntityRecord } from '../ledger/entities/columns';
import type { BinEntity, SiteEntity } from '../ledger/entities/place.entities';
import type { ProductEntity } from '../ledger/entities/product.entities';
import type { SerialPlace } from '../ledger/store/document-rules';

type ProductRecord = EntityRecord<typeof ProductEntity>;

/** A product as an import row is checked against it. */
export type ImportProduct = Pick<ProductRecord, 'id' | 'sku' | 'name' | 'unit' | 'scale' | 'tracking' | 'stockType' | 'stockKeeping'>;
/** A site as an import row names it by code. */
export type ImportSite = Pick<EntityRecord<typeof SiteEntity>, 'id' | 'code' | 'name' | 'kind' | 'active'>;
/** A bin as an import row names it by code within its site. */
export type ImportBin = Pick<EntityRecord<typeof BinEntity>, 'id' | 'siteId' | 'code' | 'active'>;

/** A batch already in the ledger: a file row naming it takes its expiry (and may not give another). */
export interface ImportBatch {
  productId: number;
  code: string;
  expiry: string | null;
}

/** A serial unit in stock: an import row bringing it in again is refused, as the poster refuses it (serialRefusal). */
export type ImportSerialUnit = SerialPlace;

/** What an import file is checked against, on either store: every product, site, bin and batch, and the serial units in stock. */
export interface ImportPlanSource {
  products(): Iterable<ImportProduct>;
  sites(): ImportSite[];
  bins(): ImportBin[];
  batches(): Iterable<ImportBatch>;
  /** A product's serial unit if it is in stock somewhere (one not in stock may come in again). */
  unitInStock(productId: number, serial: string): ImportSerialUnit | undefined;
}

/** What an import file is checked against: every product, site, bin and batch (read once per plan, looked up by code). */
export class ImportPlanStore implements ImportPlanSource {
  private readonly s;
  constructor(db: Database.Database) {
    this.s = {
      products: db.prepare('SELECT id, sku, name, unit, scale, tracking, stock_type AS stockType, stock_keeping AS stockKeeping FROM products'),
      sites: db.prepare('SELECT id, code, name, kind, active FROM sites'),
      bins: db.prepare('SELECT id, site_id AS siteId, code, active FROM bins'),
      batches: db.prepare('SELECT product_id AS productId, code, expiry FROM batches'),
      unit: db.prepare('SELECT site_id AS siteId, bin_id AS binId, batch_id AS batchId, 1 AS inStock FROM serial_units WHERE product_id = ? AND serial = ? AND in_stock = 1'),
    };
  }

  /** Every product, one row at a time. */
  products(): Iterable<ImportProduct> {
    return this.s.products.iterate() as Iterable<ImportProduct>;
  }

  sites(): ImportSite[] {
    return this.s.sites.all() as ImportSite[];
  }

  bins(): ImportBin[] {
    return this.s.bins.all() as ImportBin[];
  }

  /** Every batch, one row at a time. */
  batches(): Iterable<ImportBatch> {
    return this.s.batches.iterate() as Iterable<ImportBatch>;
  }

  unitInStock(productId: number, serial: string): ImportSerialUnit | undefined {
    const u = this.s.unit.get(productId, serial) as (Omit<ImportSerialUnit, 'inStock'> & { inStock: number }) | undefined;
    return u && { ...u, inStock: true };
  }
}
