import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import { gtinForms } from '../../shared/scanning/check-digit';
import type { ParsedScan, ScanProduct, ScanResolution } from '../../shared/scanning/scan-types';
import { visibleCode } from '../../shared/scanning/parse-scan';

const PRODUCT_COLS = 'p.id, p.sku, p.name, p.unit, p.scale, p.stock_type AS stockType, p.tracking';

/**
 * Turns a parsed scan into product (by product barcode, GTIN in any of its lengths, SKU, serial number or
 * batch code), batch, expiry, serial and quantity. Runs in the ledger worker; read-only prepared statements.
 */
export class ScanResolver {
  private readonly s;
  constructor(private readonly db: Database.Database) {
    this.s = {
      byBarcode: db.prepare(`SELECT ${PRODUCT_COLS} FROM product_barcodes b JOIN products p ON p.id = b.product_id WHERE b.barcode = ?`),
      bySku: db.prepare(`SELECT ${PRODUCT_COLS} FROM products p WHERE p.sku = ? COLLATE NOCASE LIMIT 1`),
      byId: db.prepare(`SELECT ${PRODUCT_COLS} FROM products p WHERE p.id = ?`),
      serial: db.prepare('SELECT product_id AS productId, serial, in_stock AS inStock, site_id AS siteId FROM serial_units WHERE serial = ? ORDER BY product_id'),
      batch: db.prepare('SELECT id, code, expiry FROM batches WHERE product_id = ? AND code = ?'),
      batchByCode: db.prepare('SELECT id, product_id AS productId, code, expiry FROM batches WHERE code = ? ORDER BY id LIMIT 2'),
      barcodeOwner: db.prepare('SELECT p.sku FROM product_barcodes b JOIN products p ON p.id = b.product_id WHERE b.barcode = ?'),
      insertBarcode: db.prepare('INSERT INTO product_barcodes (barcode, product_id) VALUES (?, ?)'),
    };
  }

  resolve(scan: ParsedScan): ScanResolution {
    const out: ScanResolution = { product: null, matchedBy: null, batch: null, serialUnit: null, message: '' };
    const shown = visibleCode(scan.data);
    if (scan.gtin) {
      for (const form of gtinForms(scan.gtin)) {
        const p = this.s.byBarcode.get(form) as ScanProduct | undefined;
        if (p) {
          out.product = p;
          out.matchedBy = form === scan.data ? 'barcode' : 'gtin';
          break;
        }
      }
    }
    if (!out.product && !scan.gs1) {
      const byCode = (this.s.byBarcode.get(scan.data) ?? this.s.bySku.get(scan.data)) as ScanProduct | undefined;
      if (byCode) {
        out.product = byCode;
        out.matchedBy = (this.s.byBarcode.get(scan.data) as ScanProduct | undefined) ? 'barcode' : 'sku';
      }
    }
    const serial = scan.serial ?? (out.product || scan.gs1 ? null : scan.data);
    if (serial) {
      const units = this.s.serial.all(serial) as { productId: number; serial: string; inStock: number; siteId: number | null }[];
      const unit = units.find((u) => !out.product || u.productId === out.product.id);
      if (unit) {
        out.serialUnit = { serial: unit.serial, inStock: unit.inStock === 1, siteId: unit.siteId };
        if (!out.product) {
          out.product = this.s.byId.get(unit.productId) as ScanProduct;
          out.matchedBy = 'serial';
        }
      }
    }
    if (out.product && scan.batch) {
      out.batch = (this.s.batch.get(out.product.id, scan.batch) as ScanResolution['batch'] | undefined) ?? null;
    }
    if (!out.product && !scan.gs1) {
      const batches = this.s.batchByCode.all(scan.data) as { id: number; productId: number; code: string; expiry: string | null }[];
      if (batches.length === 1) {
        const b = batches[0]!;
        out.product = this.s.byId.get(b.productId) as ScanProduct;
        out.matchedBy = 'batch';
        out.batch = { id: b.id, code: b.code, expiry: b.expiry };
      }
    }
    out.message = this.describe(scan, out, shown);
    return out;
  }

  /** Adds a barcode to a product; refuses one that already belongs to a product. */
  attachBarcode(productId: number, barcode: string): { productId: number; sku: string; barcode: string } {
    const product = this.s.byId.get(productId) as ScanProduct | undefined;
    if (!product) throw new AppError('NOT_FOUND', 'The product picked does not exist (it may have been removed). Pick the product again.', { productId });
    const owner = this.s.barcodeOwner.get(barcode) as { sku: string } | undefined;
    if (owner) {
      if (owner.sku === product.sku) return { productId, sku: product.sku, barcode };
      throw new AppError('CONFLICT', `Barcode ${barcode} already belongs to ${owner.sku}. Remove it there first, or pick ${owner.sku}.`, { barcode, owner: owner.sku });
    }
    this.s.insertBarcode.run(barcode, productId);
    return { productId, sku: product.sku, barcode };
  }

  private describe(scan: ParsedScan, r: ScanResolution, shown: string): string {
    if (!r.product) {
      if (scan.problem) return scan.problem;
      const what = scan.gtin ? `GTIN ${scan.gtin}` : shown;
      return `No product has the barcode ${what}. Attach it to a product, or scan another code.`;
    }
    const parts = [`${r.product.sku} — ${r.product.name}`];
    if (scan.batch) parts.push(`batch ${scan.batch}${r.batch ? '' : ' (new)'}`);
    if (scan.expiry) parts.push(`expiry ${scan.expiry}`);
    if (scan.serial ?? r.serialUnit) parts.push(`serial ${scan.serial ?? r.serialUnit!.serial}`);
    if (scan.quantity !== null) parts.push(`qty ${scan.quantity}`);
    return parts.join(' · ');
  }
}
