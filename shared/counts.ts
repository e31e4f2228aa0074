import type { DocumentTypeCode } from './document-types';
import type { TrackingMode } from './domain';

/** Stock count sessions (seed 002). Quantities are integers in the product's base units. */
export const COUNT_STATUSES = ['DRAFT', 'COMPLETED', 'CANCELLED'] as const;
export type CountStatus = (typeof COUNT_STATUSES)[number];

/**
 * What to do when stock moved at a quant after the snapshot:
 * keep_counted — the count is the truth now (adjust to counted);
 * keep_difference — apply only counted − system-at-snapshot on top of today's stock.
 */
export const COUNT_RESOLUTIONS = ['keep_counted', 'keep_difference'] as const;
export type CountResolution = (typeof COUNT_RESOLUTIONS)[number];
/**
 * A line's resolution: by_time (the default) resolves each movement by when it happened against when the line was
 * counted (a back-dated count's lines were counted on its date) — moved before counting is already on the shelf
 * (keep counted), moved after it is not (keep difference);
 * or the user's choice of one rule for all of the line's movements.
 */
export const COUNT_RESOLUTION_CHOICES = ['by_time', ...COUNT_RESOLUTIONS] as const;
export type CountResolutionChoice = (typeof COUNT_RESOLUTION_CHOICES)[number];

/** The reason recorded on every stock-taking movement a completed count posts. */
export const STOCK_COUNT_REASON = 'stock_count';
/** A movement's note as a reader sees it (enquiry, exports): the count's recorded reason code in words, any other note as written. */
export const noteForReader = (note: string | null): string | null => (note === STOCK_COUNT_REASON ? 'Stock count difference' : note);
/** Only a completed count posts documents of this type (the DocumentPoster refuses them from anywhere else). */
export const STOCK_COUNT_DOCUMENT_TYPE = 'stock_count' satisfies DocumentTypeCode;

export interface CountSessionInfo {
  id: number;
  reference: string;
  siteId: number;
  siteName: string;
  binId: number | null;
  binCode: string | null;
  notes: string | null;
  status: CountStatus;
  snapshotSeq: number;
  /** The count's effective time (default: when it was created); completion dates its adjustments to it. */
  occurredAt: string;
  /**
   * Dated before it was created by more than a few minutes: counted on paper on its date and typed in later, so by
   * time every movement since the snapshot dated on or after the count date moved after counting.
   */
  backdated: boolean;
  createdAt: string;
  createdBy: string;
  completedAt: string | null;
  completedBy: string | null;
  cancelledAt: string | null;
  cancelledBy: string | null;
  /** The Stock Taking document posted on completion (null when nothing differed). */
  documentId: number | null;
  lineCount: number;
  countedCount: number;
}

export interface CountLine {
  id: number;
  /** Bumped by every save of the line (counted quantity, resolution, codes); migration 0030. */
  version: number;
  productId: number;
  sku: string;
  name: string;
  unit: string;
  scale: number;
  tracking: TrackingMode;
  binId: number | null;
  binCode: string | null;
  batchId: number | null;
  batchCode: string | null;
  /** System quantity at the snapshot. */
  systemQty: number;
  /** null = blank (not counted yet; skipped on completion). */
  countedQty: number | null;
  /** Stock moved at this quant since the snapshot (live while DRAFT, as found at completion afterwards). */
  movedQty: number;
  /**
   * Of movedQty, what moved after the line was counted (recorded after its count was entered, and not dated before it;
   * for a back-dated count: not dated before the count date).
   */
  movedAfterCount: number;
  /** When the counted quantity was last entered (null while blank). */
  countedAt: string | null;
  resolution: CountResolutionChoice;
  /** What completion posted for this line (null until completed). */
  adjustedQty: number | null;
  /** Latest unit cost at the site (money per display unit), for the value impact. */
  unitCost: number;
  codeCount: number;
  flaggedCount: number;
  /**
   * A counted serial/RFID line's units beside its net variance, which a swap hides (serial A expected, B scanned: 0):
   * units the system has at the quant that were not scanned (completion takes them out), scanned units it does not
   * have there (completion brings them in), and of those the units recorded in stock at another bin or site. While
   * DRAFT as completion would find them now, afterwards as it posted them. 0 on other lines and blank ones.
   */
  missingCount: number;
  foundCount: number;
  foundElsewhere: number;
  /** Which units: the missing and the found serials (sorted), for the sheet's export and print. Empty where the counts are 0. */
  missingSerials: string[];
  foundSerials: string[];
}

export interface CountSheet {
  session: CountSessionInfo;
  lines: CountLine[];
}

export interface CountBin {
  id: number;
  code: string;
  name: string;
  /** Quants with stock in the bin: the lines a count of it starts with. */
  quants: number;
}

export interface CountLineCode {
  code: string;
  /** null = in stock at this line's quant; 'elsewhere' = a unit of this product recorded at another bin/site; 'unknown' = no such unit in the system. */
  flag: 'elsewhere' | 'unknown' | null;
  scannedAt: string;
}

export interface CountScanResult {
  outcome: 'added' | 'incremented' | 'duplicate' | 'flagged' | 'not_found';
  message: string;
  line: CountLine | null;
  /** Set when a new line was added to the session by this scan. */
  addedLine?: boolean;
}

export interface CountMovementSince {
  seq: number;
  documentId: number;
  type: string;
  qty: number;
  occurredAt: string;
  note: string | null;
}

/** variance = counted − system; null while blank. */
export function countVariance(line: Pick<CountLine, 'countedQty' | 'systemQty'>): number | null {
  return line.countedQty === null ? null : line.countedQty - line.systemQty;
}

/** A line completion changes: a net variance, or serial units missing or found (a swap of units nets to 0). */
export function hasVariance(line: Pick<CountLine, 'countedQty' | 'systemQty' | 'missingCount' | 'foundCount'>): boolean {
  return (countVariance(line) ?? 0) !== 0 || line.missingCount > 0 || line.foundCount > 0;
}

type AdjustmentFacts = Pick<CountLine, 'countedQty' | 'systemQty' | 'movedQty' | 'movedAfterCount' | 'resolution'>;

/**
 * The quantity completion posts for a line: keep_counted brings the quant to the counted quantity
 * (counted − (system + moved)); keep_difference applies only the variance against the snapshot; by_time brings the
 * quant to the counted quantity plus what moved after counting (counted − system − moved before counting).
 */
export function effectiveAdjustment(line: AdjustmentFacts): number | null {
  if (line.countedQty === null) return null;
  const variance = line.countedQty - line.systemQty;
  if (line.resolution === 'keep_difference') return variance;
  if (line.resolution === 'keep_counted') return variance - line.movedQty;
  return variance - (line.movedQty - line.movedAfterCount);
}

/** Which rule a line's moved stock follows, and why, for the count sheet (null when nothing moved or the line is blank). */
export function appliedResolution(
  line: AdjustmentFacts,
): { rule: CountResolution | 'split'; chosen: boolean; movedBefore: number; movedAfter: number } | null {
  if (line.countedQty === null || (line.movedQty === 0 && line.movedAfterCount === 0)) return null;
  const movedAfter = line.movedAfterCount;
  const movedBefore = line.movedQty - movedAfter;
  if (line.resolution !== 'by_time') return { rule: line.resolution, chosen: true, movedBefore, movedAfter };
  const rule = movedBefore === 0 ? 'keep_difference' : movedAfter === 0 ? 'keep_counted' : 'split';
  return { rule, chosen: false, movedBefore, movedAfter };
}

export function countReference(id: number): string {
  return `SC-${String(id).padStart(6, '0')}`;
}
