import { gtinForms } from '../../shared/scanning/check-digit';
import type { ParsedScan, ScanProduct, ScanResolution } from '../../shared/scanning/scan-types';
import { visibleCode } from '../../shared/scanning/parse-scan';
import { runNow, value, type Awaitable, type Steps } from '../ledger/steps';
import { attachBarcode, type AttachedBarcode } from './barcode-attach';
import type { ScanStore, ScannedBatch, ScannedUnit } from './scan-store';

/** What resolving a scan asks of a store: SQLite's ScanStore answers at once, PostgreSQL's PgScanStore with a promise. */
export interface ScanLookups {
  productByBarcode(barcode: string): Awaitable<ScanProduct | undefined>;
  /** The product with this SKU, in any (ASCII) letter case. */
  productBySku(sku: string): Awaitable<ScanProduct | undefined>;
  productById(id: number): Awaitable<ScanProduct | undefined>;
  /** Every unit with this serial, by product. */
  unitsBySerial(serial: string): Awaitable<ScannedUnit[]>;
  /** A product's batch with this code. */
  batch(productId: number, code: string): Awaitable<NonNullable<ScanResolution['batch']> | undefined>;
  /** The first two batches (of any product) with this code: one means the code names a batch. */
  batchesByCode(code: string): Awaitable<ScannedBatch[]>;
}

/**
 * Turns a parsed scan into product (by product barcode, GTIN in any of its lengths, SKU, serial number or batch code),
 * batch, expiry, serial and quantity. Steps (ledger/steps.ts), the rule written once for both stores.
 */
export function* resolveScanSteps(store: ScanLookups, scan: ParsedScan): Steps<ScanResolution> {
  const out: ScanResolution = { product: null, matchedBy: null, batch: null, serialUnit: null, message: '' };
  const shown = visibleCode(scan.data);
  if (scan.gtin) {
    for (const form of gtinForms(scan.gtin)) {
      const p = yield* value(store.productByBarcode(form));
      if (p) {
        out.product = p;
        out.matchedBy = form === scan.data ? 'barcode' : 'gtin';
        break;
      }
    }
  }
  if (!out.product && !scan.gs1) {
    const byBarcode = yield* value(store.productByBarcode(scan.data));
    const byCode = byBarcode ?? (yield* value(store.productBySku(scan.data)));
    if (byCode) {
      out.product = byCode;
      out.matchedBy = byBarcode ? 'barcode' : 'sku';
    }
  }
  const serial = scan.serial ?? (out.product || scan.gs1 ? null : scan.data);
  if (serial) {
    const units = yield* value(store.unitsBySerial(serial));
    const unit = units.find((u) => !out.product || u.productId === out.product.id);
    if (unit) {
      out.serialUnit = { serial: unit.serial, inStock: unit.inStock === 1, siteId: unit.siteId };
      if (!out.product) {
        out.product = (yield* value(store.productById(unit.productId)))!;
        out.matchedBy = 'serial';
      }
    }
  }
  if (out.product && scan.batch) {
    out.batch = (yield* value(store.batch(out.product.id, scan.batch))) ?? null;
  }
  if (!out.product && !scan.gs1) {
    const batches = yield* value(store.batchesByCode(scan.data));
    if (batches.length === 1) {
      const b = batches[0]!;
      out.product = (yield* value(store.productById(b.productId)))!;
      out.matchedBy = 'batch';
      out.batch = { id: b.id, code: b.code, expiry: b.expiry };
    }
  }
  out.message = describeScan(scan, out, shown);
  return out;
}

/** Resolves scans and attaches barcodes on the SQLite ledger (the ledger worker); the SQL is in scan-store.ts. */
export class ScanResolver {
  constructor(private readonly store: ScanStore) {}

  resolve(scan: ParsedScan): ScanResolution {
    return runNow(resolveScanSteps(this.store, scan));
  }

  /** Adds a barcode to a product; refuses one that already belongs to a product (barcode-attach.ts, the rule on both stores). */
  attachBarcode(productId: number, barcode: string): AttachedBarcode {
    return attachBarcode(this.store, productId, barcode);
  }
}

/** The scan's one line for the user: what it is, or that it is unknown and what to do. */
function describeScan(scan: ParsedScan, r: ScanResolution, shown: string): string {
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
