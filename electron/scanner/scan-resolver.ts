import { gtinForms } from '../../shared/scanning/check-digit';
import type { ParsedScan, ScanResolution } from '../../shared/scanning/scan-types';
import { visibleCode } from '../../shared/scanning/parse-scan';
import { attachBarcode, type AttachedBarcode } from './barcode-attach';
import type { ScanStore } from './scan-store';

/**
 * Turns a parsed scan into product (by product barcode, GTIN in any of its lengths, SKU, serial number or
 * batch code), batch, expiry, serial and quantity. Runs in the ledger worker; the SQL is in scan-store.ts.
 */
export class ScanResolver {
  constructor(private readonly store: ScanStore) {}

  resolve(scan: ParsedScan): ScanResolution {
    const out: ScanResolution = { product: null, matchedBy: null, batch: null, serialUnit: null, message: '' };
    const shown = visibleCode(scan.data);
    if (scan.gtin) {
      for (const form of gtinForms(scan.gtin)) {
        const p = this.store.productByBarcode(form);
        if (p) {
          out.product = p;
          out.matchedBy = form === scan.data ? 'barcode' : 'gtin';
          break;
        }
      }
    }
    if (!out.product && !scan.gs1) {
      const byCode = this.store.productByBarcode(scan.data) ?? this.store.productBySku(scan.data);
      if (byCode) {
        out.product = byCode;
        out.matchedBy = this.store.productByBarcode(scan.data) ? 'barcode' : 'sku';
      }
    }
    const serial = scan.serial ?? (out.product || scan.gs1 ? null : scan.data);
    if (serial) {
      const units = this.store.unitsBySerial(serial);
      const unit = units.find((u) => !out.product || u.productId === out.product.id);
      if (unit) {
        out.serialUnit = { serial: unit.serial, inStock: unit.inStock === 1, siteId: unit.siteId };
        if (!out.product) {
          out.product = this.store.productById(unit.productId)!;
          out.matchedBy = 'serial';
        }
      }
    }
    if (out.product && scan.batch) {
      out.batch = this.store.batch(out.product.id, scan.batch) ?? null;
    }
    if (!out.product && !scan.gs1) {
      const batches = this.store.batchesByCode(scan.data);
      if (batches.length === 1) {
        const b = batches[0]!;
        out.product = this.store.productById(b.productId)!;
        out.matchedBy = 'batch';
        out.batch = { id: b.id, code: b.code, expiry: b.expiry };
      }
    }
    out.message = this.describe(scan, out, shown);
    return out;
  }

  /** Adds a barcode to a product; refuses one that already belongs to a product (barcode-attach.ts, the rule on both stores). */
  attachBarcode(productId: number, barcode: string): AttachedBarcode {
    return attachBarcode(this.store, productId, barcode);
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
