/**
 * The document-type catalog: every kind of document the ledger holds, and which movement types belong on it.
 * The DocumentPoster refuses any other document type, and any movement type that does not belong to its document.
 */
import type { MovementTypeCode } from './movement-types';
import {
  DESPATCH_KINDS,
  IMPORT_KINDS,
  RECEIPT_REVERSAL_KINDS,
  RECEIVE_KINDS,
  REFUND_KINDS,
  WRITE_OFF_KINDS,
} from './operations';

export interface DocumentTypeInfo {
  readonly displayName: string;
  readonly movementTypes: readonly MovementTypeCode[];
}

/** Legs of a transfer between sites: each out leg pairs with one in leg (same product, quantity, batch and serial) at another site. */
export const TRANSFER_OUT_TYPES: readonly MovementTypeCode[] = ['transfer_out', 'stock_transfer_out'];
export const TRANSFER_IN_TYPES: readonly MovementTypeCode[] = ['transfer_in', 'stock_transfer_in', 'transfer_order_inbound'];
/** Legs of an internal transfer (bins or batches of one site): each −q pairs with a +q of the same product, site and serial. */
export const INTERNAL_TRANSFER_TYPE: MovementTypeCode = 'transfer';

export const DOCUMENT_TYPES = {
  receipt: { displayName: 'Receipt', movementTypes: [...RECEIVE_KINDS] },
  receipt_reversal: { displayName: 'Receipt reversal', movementTypes: [...RECEIPT_REVERSAL_KINDS] },
  despatch: { displayName: 'Despatch', movementTypes: [...DESPATCH_KINDS] },
  refund: { displayName: 'Refund', movementTypes: [...REFUND_KINDS] },
  sales_return_inbound: { displayName: 'Sales return', movementTypes: ['sales_return_inbound'] },
  transfer_order_inbound: { displayName: 'Transfer order inbound', movementTypes: ['transfer_order_inbound'] },
  transfer: { displayName: 'Transfer', movementTypes: [...TRANSFER_OUT_TYPES, ...TRANSFER_IN_TYPES, INTERNAL_TRANSFER_TYPE] },
  write_off: { displayName: 'Write-off', movementTypes: [...WRITE_OFF_KINDS] },
  production: { displayName: 'Production', movementTypes: ['work_order_consumption', 'work_order_production', 'product_preparation'] },
  adjustment: { displayName: 'Adjustment', movementTypes: ['inventory_adjustment', 'stock_adjustment_in', 'stock_adjustment_out'] },
  period_variance: { displayName: 'Period variance', movementTypes: ['period_variance'] },
  import: { displayName: 'Import', movementTypes: [...IMPORT_KINDS] },
  /** Posted only by a completed stock count (its Stock Taking movements). */
  stock_count: { displayName: 'Stock count', movementTypes: ['system_correction'] },
} as const satisfies Record<string, DocumentTypeInfo>;

export type DocumentTypeCode = keyof typeof DOCUMENT_TYPES;
export const DOCUMENT_TYPE_CODES = Object.keys(DOCUMENT_TYPES) as [DocumentTypeCode, ...DocumentTypeCode[]];

const allowed = new Map<string, ReadonlySet<string>>(Object.entries(DOCUMENT_TYPES).map(([k, v]) => [k, new Set<string>(v.movementTypes)]));

export function isDocumentTypeCode(code: string): code is DocumentTypeCode {
  return allowed.has(code);
}

/** Does a movement type belong on a document of this type? */
export function documentAllows(docType: string, movementType: string): boolean {
  return allowed.get(docType)?.has(movementType) ?? false;
}

/** The document types a movement type may appear on. */
export function documentTypesOf(movementType: string): DocumentTypeCode[] {
  return DOCUMENT_TYPE_CODES.filter((d) => allowed.get(d)!.has(movementType));
}

/** A document type in words ("Receipt reversal"); "document" for a code the catalog does not know. */
export function documentTypeName(type: string): string {
  return isDocumentTypeCode(type) ? DOCUMENT_TYPES[type].displayName : 'document';
}

/**
 * A document as users read it, wherever one is named (the Enquiry's Source column and chip, the batch journey, reports,
 * messages): its kind in words, then its reference — "Production WO-005123", "Receipt GRN-000042". A document saved
 * without a reference is named by its kind alone; the stored type codes and row ids stay inside the program.
 */
export function documentLabel(type: string, reference: string | null | undefined): string {
  const name = isDocumentTypeCode(type) ? DOCUMENT_TYPES[type].displayName : 'Document';
  return reference ? `${name} ${reference}` : `${name} (no reference)`;
}
