import type { Awaitable } from './steps';
import type { NewProduct, NewSite } from './store/reference-data';

/** A product as both stores write it straight in: SKU, name, unit and decimals, stock type and tracking. */
export type PlainProduct = Pick<NewProduct, 'sku' | 'name' | 'unit' | 'scale' | 'stockType' | 'tracking'>;

/**
 * The least master data a ledger needs to post into, written straight in for tests, the bench and the demo: sites,
 * bins and products, each answering its new id. ReferenceData on SQLite answers at once, PgReferenceStore on
 * PostgreSQL later. No validation, versions or audit: the app's master data is the master-data capability's.
 */
export interface ReferenceRecords {
  addSite(site: NewSite): Awaitable<number>;
  /** A bin named as its code. */
  addBin(siteId: number, code: string): Awaitable<number>;
  addProduct(p: PlainProduct): Awaitable<number>;
}
