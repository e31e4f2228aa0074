import type Database from 'better-sqlite3';
import type { ScanProduct, ScanResolution } from '../../shared/scanning/scan-types';
import type { EntityRecord } from '../ledger/entities/columns';
import type { BatchEntity, SerialUnitEntity } from '../ledger/entities/stock.entities';
import type { BarcodeAttachRecords } from './barcode-attach';
import type { ScanLookups } from './scan-resolver';

const PRODUCT_COLS = 'p.id, p.sku, p.name, p.unit, p.scale, p.stock_type AS stockType, p.tracking';

/** A serial unit as a scan finds it. */
export type ScannedUnit = Pick<EntityRecord<typeof SerialUnitEntity>, 'productId' | 'serial' | 'inStock' | 'siteId'>;
/** A batch as a scan finds it by its code alone. */
export type ScannedBatch = Pick<EntityRecord<typeof BatchEntity>, 'id' | 'productId' | 'code' | 'expiry'>;

/** Every SQL statement of scan resolution: products by barcode, SKU or id; serial units; batches; attaching a barcode. */
export class ScanStore implements BarcodeAttachRecords, ScanLookups {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      byBarcode: db.prepare(`SELECT ${PRODUCT_COLS} FROM product_barcodes b JOIN products p ON p.id = b.product_id WHERE b.barcode = ?`),
      bySku: db.prepare(`SELECT ${PRODUCT_COLS} FROM products p WHERE p.sku = ? COLLATE NOCASE LIMIT 1`),
      byId: db.prepare(`SELECT ${PRODUCT_COLS} FROM products p WHERE p.id = ?`),
      serial: db.prepare('SELECT product_id AS productId, serial, in_stock AS inStock, site_id AS siteId FROM serial_units WHERE serial = ? ORDER BY product_id'),
      batch: db.prepare('SELECT id, code, expiry FROM batches WHERE product_id = ? AND code = ?'),
      batchByCode: db.prepare('SELECT id, product_id AS productId, code, expiry FROM batches WHERE code = ? ORDER BY id LIMIT 2'),
      barcodeOwner: db.prepare('SELECT p.sku FROM product_barcodes b JOIN products p ON p.id = b.product_id WHERE b.barcode = ?').pluck(),
      insertBarcode: db.prepare('INSERT INTO product_barcodes (barcode, product_id) VALUES (?, ?)'),
    };
  }

  productByBarcode(barcode: string): ScanProduct | undefined {
    return this.s.byBarcode.get(barcode) as ScanProduct | undefined;
  }

  /** The product with this SKU, in any letter case. */
  productBySku(sku: string): ScanProduct | undefined {
    return this.s.bySku.get(sku) as ScanProduct | undefined;
  }

  productById(id: number): ScanProduct | undefined {
    return this.s.byId.get(id) as ScanProduct | undefined;
  }

  /** Every unit with this serial, by product. */
  unitsBySerial(serial: string): ScannedUnit[] {
    return this.s.serial.all(serial) as ScannedUnit[];
  }

  /** A product's batch with this code. */
  batch(productId: number, code: string): NonNullable<ScanResolution['batch']> | undefined {
    return this.s.batch.get(productId, code) as NonNullable<ScanResolution['batch']> | undefined;
  }

  /** The first two batches (of any product) with this code: one means the code names a batch. */
  batchesByCode(code: string): ScannedBatch[] {
    return this.s.batchByCode.all(code) as ScannedBatch[];
  }

  /** The SKU of the product that has this barcode, if any. */
  barcodeOwner(barcode: string): string | undefined {
    return this.s.barcodeOwner.get(barcode) as string | undefined;
  }

  insertBarcode(barcode: string, productId: number): void {
    this.s.insertBarcode.run(barcode, productId);
  }

  /** The one writer holds the whole ledger while it writes: nothing to lock. */
  lockBarcode(): void {}
}
