import { AppError } from '../../shared/contract/errors';
import { takenKey, type Keyed } from '../masterdata/master-refusals';
import type { Awaitable } from './steps';
import type { NewProduct, NewSite } from './store/reference-data';

/**
 * A product as both stores write it straight in: SKU, name, unit and decimals, stock type and tracking, its group and
 * low-stock level, and a recipe's components (one version in force from the beginning).
 */
export type PlainProduct = Pick<NewProduct, 'sku' | 'name' | 'unit' | 'scale' | 'stockType' | 'tracking' | 'groupId' | 'lowStockLevel' | 'components'>;

/**
 * The least master data a ledger needs to post into, written straight in for tests, the bench and the demo: product
 * groups, sites, bins and products, each answering its new id. ReferenceData on SQLite answers at once,
 * PgReferenceStore on PostgreSQL later. No validation, versions or audit: the app's master data is the master-data
 * capability's. A code, name or SKU already taken is refused by the database's unique key, as the contract refuses a
 * user (refusedAsTaken).
 */
export interface ReferenceRecords {
  /** A product group; `postOnCosts` (false unless given) posts its products' on-costs to cost of sales. */
  addGroup(code: string, name: string, postOnCosts?: boolean): Awaitable<number>;
  addSite(site: NewSite): Awaitable<number>;
  /** A bin named as its code. */
  addBin(siteId: number, code: string): Awaitable<number>;
  addProduct(p: PlainProduct): Awaitable<number>;
}

/** Refuses a serial or RFID product given decimals, on both stores: each unit is one serial, so it is counted whole. */
export function refuseSerialDecimals(p: Pick<PlainProduct, 'sku' | 'tracking' | 'scale'>): void {
  if ((p.tracking === 'SERIAL' || p.tracking === 'RFID') && (p.scale ?? 0) !== 0) {
    throw new AppError('VALIDATION', `${p.sku}: serial and RFID products are counted in whole units; set the unit scale to 0.`);
  }
}

/**
 * What a reference write refused by a unique key throws, on both stores: the refusal the contract gives a user for the
 * same duplicate (master-refusals.ts: "Another site already has the code WH1. Choose a different code."). `key` is the
 * key the write broke as its constraint names it (UQ_<table>_<key>: "sites.code", "bins.site_code"), undefined for no
 * unique key; `record` the record written. Any other error is returned as it came.
 */
export const refusedAsTaken = (e: unknown, key: string | undefined, record: Keyed): unknown => (key && takenKey(key, record)) || e;
