import type pg from 'pg';
import { barcodeKey } from '../masterdata/barcodes';
import { PgMasterStore } from '../masterdata/pg-master-store';
import type { BarcodeAttachRecords } from './barcode-attach';

/**
 * PostgreSQL's statements for attaching a barcode, on one transaction's client. The barcode is held by master data's
 * barcode lock (PgMasterStore.lockBarcodes: every form of one GTIN is one key), so an attach and a product save on
 * other servers wait for each other too.
 */
export class PgBarcodeStore implements BarcodeAttachRecords {
  constructor(private readonly c: pg.PoolClient) {}

  async productById(id: number): Promise<{ sku: string } | undefined> {
    return (await this.c.query<{ sku: string }>('SELECT sku FROM products WHERE id = $1', [id])).rows[0];
  }
  lockBarcode(barcode: string): Promise<void> {
    return new PgMasterStore(this.c).lockBarcodes([barcodeKey(barcode)]);
  }
  async barcodeOwner(barcode: string): Promise<string | undefined> {
    return (await this.c.query<{ sku: string }>('SELECT p.sku FROM product_barcodes b JOIN products p ON p.id = b.product_id WHERE b.barcode = $1', [barcode])).rows[0]?.sku;
  }
  async insertBarcode(barcode: string, productId: number): Promise<void> {
    await this.c.query('INSERT INTO product_barcodes (barcode, product_id) VALUES ($1, $2)', [barcode, productId]);
  }
}
