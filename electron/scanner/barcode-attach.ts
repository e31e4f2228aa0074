import { AppError } from '../../shared/contract/errors';
import { barcodeForms } from '../masterdata/barcodes';
import { runNow, value, type Awaitable, type Steps } from '../ledger/steps';

/** What attaching a barcode asks of a store: SQLite's ScanStore answers at once, PostgreSQL's PgBarcodeStore with a promise. */
export interface BarcodeAttachRecords {
  productById(id: number): Awaitable<{ sku: string } | undefined>;
  /** Holds the barcode (every form of one GTIN as one key) against other writers until the transaction ends; SQLite's one writer needs none. */
  lockBarcode(barcode: string): Awaitable<void>;
  /** The SKU of the product that has this barcode, if any. */
  barcodeOwner(barcode: string): Awaitable<string | undefined>;
  insertBarcode(barcode: string, productId: number): Awaitable<void>;
}

export interface AttachedBarcode {
  productId: number;
  sku: string;
  barcode: string;
}

/**
 * Adds a barcode to a product (the scanner's "attach to a product"); refuses one that already belongs to another
 * product in any of its forms (a GTIN's 8, 12, 13 and 14-digit forms are one barcode, as master data's product save
 * holds them), and answers as done when the product already has it. Steps (ledger/steps.ts) for either store: the barcode
 * is held before its owner is looked up, so of two servers attaching it at once the second waits and is refused.
 */
export function* attachBarcodeSteps(store: BarcodeAttachRecords, productId: number, barcode: string): Steps<AttachedBarcode> {
  const product = yield* value(store.productById(productId));
  if (!product) throw new AppError('NOT_FOUND', 'The product picked does not exist (it may have been removed). Pick the product again.', { productId });
  yield* value(store.lockBarcode(barcode));
  for (const form of barcodeForms(barcode)) {
    const owner = yield* value(store.barcodeOwner(form));
    if (!owner) continue;
    if (owner === product.sku) return { productId, sku: product.sku, barcode };
    const as = form === barcode ? '' : ` (as ${form}, the same GTIN)`;
    throw new AppError('CONFLICT', `Barcode ${barcode} already belongs to ${owner}${as}. Remove it there first, or pick ${owner}.`, { barcode, owner });
  }
  yield* value(store.insertBarcode(barcode, productId));
  return { productId, sku: product.sku, barcode };
}

/** attachBarcodeSteps on a store that answers at once (SQLite's ScanStore, on the ledger worker). */
export function attachBarcode(store: BarcodeAttachRecords, productId: number, barcode: string): AttachedBarcode {
  return runNow(attachBarcodeSteps(store, productId, barcode));
}
