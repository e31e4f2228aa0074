import type { ScanProduct, ScanResolution } from '../../shared/scanning/scan-types';
import type { PgReader } from '../ledger/pg/store/pg-read-snapshot';
import type { ScanLookups } from './scan-resolver';
import type { ScannedBatch, ScannedUnit } from './scan-store';

const PRODUCT_COLS = 'p.id, p.sku, p.name, p.unit, p.scale, p.stock_type AS "stockType", p.tracking';

/**
 * PostgreSQL's statements for resolving a scan (the twin of scan-store.ts): products by barcode, SKU (ASCII case folded,
 * as SQLite's NOCASE, on the UQ_products_sku_nocase index) or id; serial units; batches.
 */
export class PgScanStore implements ScanLookups {
  constructor(private readonly c: PgReader) {}

  private async one<T>(sql: string, values: unknown[]): Promise<T | undefined> {
    return (await this.c.query<T & object>(sql, values)).rows[0];
  }

  productByBarcode(barcode: string): Promise<ScanProduct | undefined> {
    return this.one(`SELECT ${PRODUCT_COLS} FROM product_barcodes b JOIN products p ON p.id = b.product_id WHERE b.barcode = $1`, [barcode]);
  }

  productBySku(sku: string): Promise<ScanProduct | undefined> {
    return this.one(`SELECT ${PRODUCT_COLS} FROM products p WHERE lower(p.sku COLLATE "C") = lower($1 COLLATE "C") LIMIT 1`, [sku]);
  }

  productById(id: number): Promise<ScanProduct | undefined> {
    return this.one(`SELECT ${PRODUCT_COLS} FROM products p WHERE p.id = $1`, [id]);
  }

  async unitsBySerial(serial: string): Promise<ScannedUnit[]> {
    const sql = 'SELECT product_id AS "productId", serial, in_stock::int AS "inStock", site_id AS "siteId" FROM serial_units WHERE serial = $1 ORDER BY product_id';
    return (await this.c.query<ScannedUnit>(sql, [serial])).rows;
  }

  batch(productId: number, code: string): Promise<NonNullable<ScanResolution['batch']> | undefined> {
    return this.one('SELECT id, code, expiry FROM batches WHERE product_id = $1 AND code = $2', [productId, code]);
  }

  async batchesByCode(code: string): Promise<ScannedBatch[]> {
    return (await this.c.query<ScannedBatch>('SELECT id, product_id AS "productId", code, expiry FROM batches WHERE code = $1 ORDER BY id LIMIT 2', [code])).rows;
  }
}
