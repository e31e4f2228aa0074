/** Result and domain types of the stock operations (issue 3): receipts, despatches, transfers, adjustments, imports. */
import type { StockType, TrackingMode } from './domain';

export const RECEIVE_KINDS = ['supplier_order', 'inbound', 'cash_purchase', 'stock_receipt', 'excellar_stock_receipt', 'ep_stock_receipt'] as const;
export const RECEIPT_REVERSAL_KINDS = ['supplier_credit', 'inbound_reversal', 'po_stock_return', 'excellar_po_stock_return', 'ep_po_stock_return'] as const;
export const DESPATCH_KINDS = ['sale', 'outbound', 'stock_despatch', 'excellar_so_despatch', 'ep_so_sale'] as const;
export const REFUND_KINDS = ['sale_refund', 'sales_credit_note', 'excellar_so_credit_note', 'ep_so_credit_note'] as const;
export const INBOUND_RETURN_KINDS = ['sales_return_inbound', 'transfer_order_inbound'] as const;
export const WRITE_OFF_KINDS = ['wastage', 'clear'] as const;
export const WRITE_OFF_REASONS = ['damaged', 'expired', 'spoiled', 'theft', 'obsolete', 'other'] as const;
export const PRODUCTION_KINDS = ['work_order', 'product_preparation'] as const;
export const ADJUSTMENT_REASONS = ['theft', 'damage', 'found', 'correction', 'other'] as const;
export const IMPORT_KINDS = ['inventory_import', 'stock_receipt'] as const;
/** The longest batch code and serial number the ledger stores (batches.code varchar(64), serial_units.serial varchar(128)). */
export const BATCH_CODE_MAX = 64;
export const SERIAL_MAX = 128;

export type ReceiveKind = (typeof RECEIVE_KINDS)[number];
export type AdjustmentReason = (typeof ADJUSTMENT_REASONS)[number];

/** Which receipt kind a reversal kind undoes, and which sale kind a credit undoes (seed 004 pairs). */
export const REVERSAL_OF_RECEIPT: Record<(typeof RECEIPT_REVERSAL_KINDS)[number], readonly string[]> = {
  supplier_credit: ['supplier_order', 'cash_purchase'],
  inbound_reversal: ['inbound'],
  po_stock_return: ['stock_receipt', 'supplier_order', 'inbound'],
  excellar_po_stock_return: ['excellar_stock_receipt'],
  ep_po_stock_return: ['ep_stock_receipt'],
};
export const REFUND_OF_SALE: Record<(typeof REFUND_KINDS)[number], readonly string[]> = {
  sale_refund: ['sale', 'outbound', 'stock_despatch'],
  sales_credit_note: ['stock_despatch', 'sale', 'outbound'],
  excellar_so_credit_note: ['excellar_so_despatch'],
  ep_so_credit_note: ['ep_so_sale'],
};

export interface OperationResult {
  /** null when nothing moved (a value-only credit note, or only non-stock products). */
  documentId: number | null;
  /** The posted document's type code and reference, to name it in words (`documentLabel`); null when nothing moved. */
  documentType: string | null;
  reference: string | null;
  replayed: boolean;
  movementCount: number;
  firstSeq: number | null;
  lastSeq: number | null;
  /** Lines that made no movement, and why (e.g. a stock type Other product). */
  notes: string[];
  /** Value-only credits written (return to stock = false). */
  valueCredits: number;
}

export interface ProductOption {
  id: number;
  sku: string;
  name: string;
  unit: string;
  scale: number;
  stockType: StockType;
  tracking: TrackingMode;
  /** From a product search: the search text is exactly this product's SKU (any case) or one of its barcodes. */
  exact?: boolean;
  /** The bin stock of this product is put away to, by site id (only sites that have one). */
  defaultBins?: Record<string, number>;
}

export interface BinOption {
  id: number;
  siteId: number;
  code: string;
  name: string;
}

export interface AvailabilityRow {
  binId: number | null;
  binCode: string | null;
  batchCode: string | null;
  expiry: string | null;
  qty: number;
}

export interface DocumentLineInfo {
  seq: number;
  lineNo: number;
  productId: number;
  sku: string;
  name: string;
  scale: number;
  siteId: number;
  siteName: string;
  binCode: string | null;
  batchCode: string | null;
  expiry: string | null;
  serial: string | null;
  type: string;
  qty: number;
  unitCost: number;
  costSource: string;
  /** How much of this line can still be reversed or credited (base units, positive). */
  remaining: number;
}

export interface DocumentSummary {
  documentId: number;
  type: string;
  /** Its operation's kind, else the one movement type all its lines share; null when its lines are of several types. */
  kind: string | null;
  reference: string | null;
  occurredAt: string;
  recordedAt: string;
  userName: string;
  movementCount: number;
  siteName: string | null;
  /** The supplier a receipt came from (Suppliers window), if one was picked. */
  supplierName: string | null;
}

export interface DocumentDetail extends DocumentSummary {
  reason: string | null;
  dutyPaid: boolean;
  sourceDocumentId: number | null;
  lines: DocumentLineInfo[];
}

export interface DraftLine {
  lineNo: number;
  /** Bumped by every save of the line (migration 0030). */
  version: number;
  productId: number;
  sku: string;
  name: string;
  scale: number;
  tracking: TrackingMode;
  binId: number | null;
  batchCode: string | null;
  batchExpiry: string | null;
  serial: string | null;
  qty: number;
  reason: AdjustmentReason;
  note: string | null;
}

export interface DraftSummary {
  id: number;
  /** Bumped by every save of the draft's own fields (name, site, date, note, duty paid), not by its lines. */
  version: number;
  name: string;
  siteId: number;
  siteName: string;
  effectiveAt: string;
  status: 'draft' | 'posted';
  documentId: number | null;
  lineCount: number;
  updatedAt: string;
  userName: string;
  /**
   * Seed 004's duty-paid stock: the draft posts as Stock Adjustment (In) / (Out), and stock coming in posts its product
   * cost and on-costs added together as one debit and one credit.
   */
  dutyPaid: boolean;
}

export interface DraftDetail extends DraftSummary {
  note: string | null;
  lines: DraftLine[];
}

export interface AdjustmentHistoryEntry {
  documentId: number;
  draftId: number | null;
  name: string;
  siteName: string;
  occurredAt: string;
  postedAt: string;
  userName: string;
  lines: { sku: string; name: string; scale: number; qty: number; reason: string; unitCost: number; value: number; balanceAfter: number }[];
}

export interface ImportRowProblem {
  /** The row as the file's viewer (a spreadsheet) numbers it: the header is row 1; 0 for the file as a whole. */
  row: number;
  field: string;
  message: string;
}

/** How many of a file's rows the import preview shows, as read and as posted (the counts cover every row). */
export const IMPORT_PREVIEW_ROWS = 100;

/**
 * One row of an import file in the preview: its cells as written, and what posting it writes (read in the file's number
 * format and the company's date format), so a misread decimal comma or date is seen before posting. A field the row
 * has a problem with is null.
 */
export interface ImportPreviewRow {
  /** The row as the file's viewer numbers it (header = 1). */
  row: number;
  /** The cells as written in the file (each cut to 200 characters). */
  file: { sku: string; site: string; bin: string; qty: string; batch: string; expiry: string; serial: string; unitCost: string };
  product: { sku: string; name: string; unit: string; scale: number } | null;
  site: { code: string; name: string } | null;
  bin: string | null;
  /** In the product's units (scale decimals). */
  qty: number | null;
  /** Money in 1/10,000 of the currency unit. */
  unitCost: number | null;
  batch: string | null;
  /** YYYY-MM-DD: the file's, or the batch's own when it is already in stock. */
  expiry: string | null;
  serial: string | null;
  /** The row has no problem (it posts as shown). */
  valid: boolean;
}

export interface ImportPreview {
  /** The locale the file's numbers were read in ("Numbers in this file"). */
  locale: string;
  rows: number;
  validRows: number;
  errorCount: number;
  /** The first problems (up to 500), in row order. */
  problems: ImportRowProblem[];
  /** Valid rows that import only when confirmed (a batch already expired on the import's business day), in row order. */
  warnings: ImportRowProblem[];
  /** The first IMPORT_PREVIEW_ROWS rows, each as the file has it and as it will be posted. */
  shown: ImportPreviewRow[];
  products: number;
  sites: number;
}

/** An earlier import of the same file content (same sha256), as a refused second import names it. */
export interface EarlierImport {
  /** ISO time it was posted. */
  recordedAt: string;
  userName: string;
  fileName: string | null;
  kind: (typeof IMPORT_KINDS)[number];
  rows: number;
  documentIds: number[];
}

/** The `details` of the CONFLICT that refuses a second import of the same content: confirm with `confirmDuplicate: true`. */
export interface DuplicateImportDetails {
  duplicateImport: { earlier: EarlierImport[] };
}

/** A batch received (or imported) that expired before the document's business day: `line` is the form's line or the file's row. */
export interface ExpiredLot {
  line: number;
  sku: string;
  batch: string;
  /** The batch's expiry and the document's business day, both YYYY-MM-DD. */
  expiry: string;
  day: string;
}

/** The `details` of the CONFLICT that refuses receiving expired batches unconfirmed: confirm with `confirmExpired: true`. */
export interface ExpiredLotsDetails {
  expiredLots: ExpiredLot[];
}

/** The documents the review step can preview (the same names as their `operations.<name>` methods). */
export const REVIEWABLE_OPERATIONS = [
  'receive',
  'reverseReceipt',
  'despatch',
  'refund',
  'inboundReturn',
  'transfer',
  'internalTransfer',
  'writeOff',
  'produce',
  'periodVariance',
] as const;
export type ReviewableOperation = (typeof REVIEWABLE_OPERATIONS)[number];

/** One movement a document would create, with its cost and value, and (outbound) what was there before. */
export interface ReviewMovement {
  lineNo: number;
  productId: number;
  sku: string;
  name: string;
  unit: string;
  scale: number;
  siteName: string;
  binCode: string | null;
  batchCode: string | null;
  expiry: string | null;
  serial: string | null;
  type: string;
  qty: number;
  unitCost: number;
  costSource: string;
  /** Sum of the on-costs per unit. */
  onCostPerUnit: number;
  value: number;
  onCostValue: number;
  /** Outbound lines: on hand in this bin/batch, and at the whole site, before the line (at the document's effective time). */
  availableHere: number | null;
  availableAtSite: number | null;
  /**
   * The product has movements at the site later than this document's effective time (a backdated document): the
   * on-hand figures are what was held then, by effective time, not the stock now.
   */
  onHandThen: boolean;
}

export interface ReviewCredit {
  sku: string;
  name: string;
  scale: number;
  qty: number;
  unitCost: number;
  value: number;
  /** The sale line's on-costs per unit and their value for the quantity credited (posting folds them into the credit). */
  onCostPerUnit: number;
  onCostValue: number;
}

/** What posting would do, worked out by posting in a transaction that is rolled back: nothing is written. */
/**
 * One bad line of a document refused with several (details.problems of the refusal): the form line, the field the
 * ledger names (the form marks it), the refusal's code and its message ("Line 4: …").
 */
export interface ReviewLineProblem {
  line: number;
  field: string | null;
  code: string;
  message: string;
}

/**
 * A kit line of the form (a Recipe product sold, written off or consumed as one) as the clerk typed it, and the
 * movements its components became: those whose lineNo is firstLineNo..lastLineNo (the document's line numbers). On a
 * refund of a sale, the sale's kit line over the returning movements of its components (movement_kit_lines).
 */
export interface ReviewKit {
  /** The form line: "Line 1", "Component 2"; on a refund, the sale's: "Sale line 2". */
  where: string;
  sku: string;
  name: string;
  unit: string;
  scale: number;
  /**
   * The quantity typed on the line, in the kit's smallest unit; on a refund, the kits coming back (null when the
   * components come back in other proportions than the kit's: part of a kit).
   */
  qty: number | null;
  /** On a refund only: the kits sold on the sale line (`qty` of them come back now). */
  sold?: number;
  firstLineNo: number;
  lastLineNo: number;
}

export interface OperationReview {
  /**
   * The key was already used for this same request: it is posted, and posting again only replays it (the review shows
   * what it wrote). A refund that moved no stock posted only value-only credits: then there is no document to name.
   */
  alreadyPosted: boolean;
  /** The document posted under the key (null when nothing is posted, or when only value-only credits were). */
  alreadyPostedDocumentId: number | null;
  movements: ReviewMovement[];
  /** The kit lines typed on the form, each over the movements of its components (none for a replayed review). */
  kits: ReviewKit[];
  credits: ReviewCredit[];
  notes: string[];
  valueIn: number;
  valueOut: number;
}
