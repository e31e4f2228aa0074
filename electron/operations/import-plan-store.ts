import type Database from 'better-sqlite3';
import type { EntityRecord } from '../ledger/entities/columns';
import type { BinEntity, SiteEntity } from '../ledger/entities/place.entities';
import type { ProductEntity } from '../ledger/entities/product.entities';

type ProductRecord = EntityRecord<typeof ProductEntity>;

/** A product as an import row is checked against it. */
export type ImportProduct = Pick<ProductRecord, 'id' | 'sku' | 'scale' | 'tracking' | 'stockType' | 'stockKeeping'>;
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

/** What an import file is checked against, on either store: every product, site, bin and batch. */
export interface ImportPlanSource {
  products(): Iterable<ImportProduct>;
  sites(): ImportSite[];
  bins(): ImportBin[];
  batches(): Iterable<ImportBatch>;
}

/** What an import file is checked against: every product, site, bin and batch (read once per plan, looked up by code). */
export class ImportPlanStore implements ImportPlanSource {
  private readonly s;
  constructor(db: Database.Database) {
    this.s = {
      products: db.prepare('SELECT id, sku, scale, tracking, stock_type AS stockType, stock_keeping AS stockKeeping FROM products'),
      sites: db.prepare('SELECT id, code, name, kind, active FROM sites'),
      bins: db.prepare('SELECT id, site_id AS siteId, code, active FROM bins'),
      batches: db.prepare('SELECT product_id AS productId, code, expiry FROM batches'),
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
}
